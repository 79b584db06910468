#!/usr/bin/python3
"""The PyTorch side of bench_train --model conv: chapter 8's convolutional autoencoder.

Model (the Keras blog's, as nn/conv_autoencoder.hpp builds it): 3x3 convolutions with
padding 1, ReLU, 2x2 max-pooling and 2x2 nearest upsampling,
    1x28x28 -> conv 32 -> pool -> conv 32 -> pool -> 32x7x7
            -> conv 32 -> up -> conv 32 -> up -> conv 1 -> sigmoid,
with Glorot-uniform weights and zero biases (Keras' default, which the chapter uses);
BCE (mean over all pixels of the batch); Adam lr 1e-3; batch 128 reshuffled every epoch.
Images are (N, 1, 28, 28), byte / 255 as float32. PyTorch's convolutions run on oneDNN
(mkldnn) with torch's intra-op threads, so --threads T:B should give T = B here.

Output as torch_ae.py's: one line per epoch, then "done"; the test loss is the BCE per pixel.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_ae import common_arguments, train_and_report  # noqa: E402


def conv3x3(cin, cout):
    c = nn.Conv2d(cin, cout, 3, padding=1)
    nn.init.xavier_uniform_(c.weight)
    nn.init.zeros_(c.bias)
    return c


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            conv3x3(1, 32), nn.ReLU(), nn.MaxPool2d(2),
            conv3x3(32, 32), nn.ReLU(), nn.MaxPool2d(2))
        self.decoder = nn.Sequential(
            conv3x3(32, 32), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            conv3x3(32, 32), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            conv3x3(32, 1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def main():
    a = common_arguments(__doc__).parse_args()
    train_and_report(a, ConvAE, lambda model, xb: F.binary_cross_entropy(model(xb), xb),
                     shape=(1, 28, 28))


if __name__ == "__main__":
    sys.exit(main())
