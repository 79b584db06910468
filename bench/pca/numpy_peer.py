#!/usr/bin/python3
"""NumPy/LAPACK side of bench_pca: times np.cov, np.linalg.eigh on the covariance (LAPACK
dsyevd), the two in one call (PCA end to end) and np.linalg.svd of the centred matrix (dgesdd) on the first --rows images of an
IDX file, and prints one JSON object with the timings and reference values.

Conventions as in ../../../shared/peers/linalg_peer.py: pixels / 255 in float64, mean = the
data mean, C = Xc^T Xc / (n - 1), explained-variance ratio(k) = top-k eigenvalues / trace.
Times are medians over --repeats runs (the full SVD: over --svd-repeats runs).

Usage: /usr/bin/python3 numpy_peer.py --images FILE [--rows N] [--cols N] [--threads T]
       [--repeats R] [--svd-repeats S] [--clock wall|cpu]
"""
import argparse
import ctypes
import gzip
import json
import statistics
import struct
import sys
import time

import numpy as np


def read_images(path, rows, cols):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, code, ndim = struct.unpack(">HBB", raw[:4])
    assert zero == 0 and code == 0x08 and ndim == 3, "expected an unsigned-byte IDX image file"
    count, h, w = struct.unpack(">III", raw[4:16])
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, h * w)
    return x[: min(rows, count), :cols].astype(np.float64) / 255.0


CLOCK = time.perf_counter  # --clock cpu: time.process_time, the CPU time of this process


def timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t0 = CLOCK()
        out = fn()
        times.append(CLOCK() - t0)
    return out, statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", required=True)
    ap.add_argument("--rows", type=int, default=60000)
    ap.add_argument("--cols", type=int, default=784, help="the first COLS pixels of each image")
    ap.add_argument("--threads", type=int, default=0, help="OpenBLAS threads (0: leave)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--svd-repeats", type=int, default=1)
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="cpu: the process's CPU time (meaningful at one thread)")
    a = ap.parse_args()
    global CLOCK
    if a.clock == "cpu":
        CLOCK = time.process_time

    core = None
    try:
        ob = ctypes.CDLL("libopenblas.so.0")
        ob.openblas_get_corename.restype = ctypes.c_char_p
        if a.threads > 0:
            ob.openblas_set_num_threads(a.threads)
        core = ob.openblas_get_corename().decode()
        threads = ob.openblas_get_num_threads()
    except (OSError, AttributeError):
        threads = None

    x = read_images(a.images, a.rows, a.cols)
    n = x.shape[0]
    cov, t_cov = timed(lambda: np.cov(x, rowvar=False), a.repeats)
    (w, _), t_eigh = timed(lambda: np.linalg.eigh(cov), a.repeats)
    w = w[::-1]
    # PCA end to end as a NumPy user writes it: the covariance and all its eigenpairs.
    _, t_cov_eigh = timed(lambda: np.linalg.eigh(np.cov(x, rowvar=False)), a.repeats)
    xc = x - x.mean(axis=0)
    (_, s, _), t_svd = timed(lambda: np.linalg.svd(xc, full_matrices=False), a.svd_repeats)
    w_svd = s ** 2 / (n - 1)
    out = {
        "numpy": np.__version__,
        "openblas_core": core,
        "openblas_threads": threads,
        "rows": n,
        "seconds_cov": t_cov,
        "seconds_eigh": t_eigh,
        "seconds_cov_eigh": t_cov_eigh,
        "seconds_svd": t_svd,
        "trace": float(np.trace(cov)),
        "eigenvalues": [float(v) for v in w],
        "eigenvalues_svd": [float(v) for v in w_svd],
    }
    for k in (2, 30, 50):  # flat keys keep the reader in bench_pca.cpp small
        out[f"evr_{k}"] = float(w[:k].sum() / w.sum())
        out[f"evr_svd_{k}"] = float(w_svd[:k].sum() / w_svd.sum())
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
