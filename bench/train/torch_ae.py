#!/usr/bin/python3
"""The PyTorch side of bench_train: the same autoencoder, trained the same way.

Models (--model): "ae" 784-256-64-256-784, ReLU on the hidden layers; "deep"
784-1000-500-250-30-250-500-1000-784, logistic hidden layers and a linear code. Both: sigmoid
output, PyTorch's default nn.Linear initialisation; MSE (mean over all pixels of the batch);
Adam lr 1e-3; batch 128,
reshuffled every epoch, last partial batch kept (469 steps on 60000 images). Pixels are
byte / 255 as float32. Timed: the training loop of each epoch (batch gather, forward,
backward, Adam step), as ../shared/peers/torch_ae_peer.py times it. Not timed: loading, and
the test MSE (per pixel, batches of 1000, eval mode, no_grad) computed after every epoch.

Output, one line per epoch, then "done":
  epoch <e> seconds <s> cpu <s> train_loss <mean batch loss> test <test loss>
(seconds: wall time; cpu: the process's CPU time over the same loop, all threads; the test
loss is the training loss's measure on the test images: here the MSE per pixel)

torch_conv_ae.py and torch_vae.py use this file's reader and loop (train_and_report) with
their own model and loss.

Threads: --threads T:B sets torch's intra-op threads to T and OpenBLAS's own count to B
(Debian's torch sends float GEMMs to OpenBLAS, whose thread count torch does not set).
Run with /usr/bin/python3 (Debian's python, which has python3-torch).
"""
import argparse
import ctypes
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(data_dir, stem):
    for name in (stem, stem.replace("-idx", ".idx")):
        for suffix in ("", ".gz"):
            p = os.path.join(data_dir, name + suffix)
            if os.path.exists(p):
                return p
    raise FileNotFoundError(os.path.join(data_dir, stem))


def load(data_dir, split, limit):
    x = read_idx(find(data_dir, f"{split}-images-idx3-ubyte")).reshape(-1, 784)
    if limit > 0:
        x = x[:limit]
    return torch.from_numpy(np.ascontiguousarray(x.astype(np.float32) / 255.0))


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2 = nn.Linear(784, 256), nn.Linear(256, 64)
        self.d1, self.d2 = nn.Linear(64, 256), nn.Linear(256, 784)

    def forward(self, x):
        z = F.relu(self.e2(F.relu(self.e1(x))))
        return torch.sigmoid(self.d2(F.relu(self.d1(z))))


class DeepAE(nn.Module):
    """784-1000-500-250-30-250-500-1000-784: logistic hidden units, linear code, sigmoid out."""

    def __init__(self):
        super().__init__()
        sizes = [784, 1000, 500, 250, 30]
        self.enc = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        back = sizes[::-1]
        self.dec = nn.ModuleList(nn.Linear(a, b) for a, b in zip(back, back[1:]))

    def forward(self, x):
        for i, layer in enumerate(self.enc):
            x = layer(x)
            if i + 1 < len(self.enc):
                x = torch.sigmoid(x)
        for layer in self.dec:
            x = torch.sigmoid(layer(x))
        return x


@torch.no_grad()
def test_loss(model, x, batch_loss, batch=1000):
    """Mean over the test set of batch_loss(model, xb), weighted by batch size."""
    model.eval()
    total = 0.0
    for i in range(0, x.shape[0], batch):
        xb = x[i:i + batch]
        total += batch_loss(model, xb).item() * xb.shape[0]
    model.train()
    return total / x.shape[0]


def openblas_threads(n):
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
    except OSError:
        return -1
    lib.openblas_set_num_threads(int(n))
    return lib.openblas_get_num_threads()


def common_arguments(description):
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", default="1:1", help="T:B = torch T threads, OpenBLAS B threads")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="first N training images only (0 = all)")
    ap.add_argument("--test-limit", type=int, default=0)
    ap.add_argument("--flush-denormal", action="store_true")
    return ap


def train_and_report(a, make_model, batch_loss, shape=(784,)):
    """Trains make_model() with Adam 1e-3 on batch_loss(model, xb) (a scalar), printing one
    line per epoch (see the top of this file). Images are reshaped to (N,) + shape."""
    t, _, b = a.threads.partition(":")
    torch.set_num_threads(int(t))
    ob = openblas_threads(int(b) if b else int(t))
    if a.flush_denormal:
        torch.set_flush_denormal(True)
    xtr = load(a.data, "train", a.limit).reshape((-1,) + tuple(shape))
    xte = load(a.data, "t10k", a.test_limit).reshape((-1,) + tuple(shape))
    print(f"# torch {torch.__version__} threads {torch.get_num_threads()} openblas {ob} "
          f"mkldnn {torch.backends.mkldnn.is_available()} "
          f"flush_denormal {a.flush_denormal} train {xtr.shape[0]} test {xte.shape[0]}", flush=True)

    torch.manual_seed(a.seed)
    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = xtr.shape[0]
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(n)
        t0, c0 = time.perf_counter(), time.process_time()
        running = 0.0
        for i in range(0, n, a.batch):
            xb = xtr[perm[i:i + a.batch]]
            opt.zero_grad(set_to_none=True)
            loss = batch_loss(model, xb)
            loss.backward()
            opt.step()
            running += loss.item() * xb.shape[0]
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"epoch {epoch} seconds {seconds:.6f} cpu {cpu:.6f} train_loss {running / n:.8f} "
              f"test {test_loss(model, xte, batch_loss):.8f}", flush=True)
    print("done", flush=True)


def main():
    ap = common_arguments(__doc__)
    ap.add_argument("--model", choices=["ae", "deep"], default="ae")
    a = ap.parse_args()
    make = AE if a.model == "ae" else DeepAE
    train_and_report(a, make, lambda model, xb: F.mse_loss(model(xb), xb))


if __name__ == "__main__":
    sys.exit(main())
