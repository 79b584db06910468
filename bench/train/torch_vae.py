#!/usr/bin/python3
"""The PyTorch side of bench_train --model vae: the VAE 784-400-20 of PyTorch's example.

Model (as nn/vae.hpp builds it): fc1 784-400 + ReLU, heads 400-20 for mu and logvar, one
reparameterised sample z = mu + exp(logvar / 2) * eps, decoder 20-400 + ReLU, 400-784 Bernoulli
logits; PyTorch's default nn.Linear initialisation. Loss: the negative ELBO, binary
cross-entropy with logits summed over pixels plus the closed-form KL, averaged over the
examples of the batch (nats per example). Adam lr 1e-3, batch 128 reshuffled every epoch.

Output as torch_ae.py's: one line per epoch, then "done"; the test loss is the single-sample
negative ELBO per example.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_ae import common_arguments, train_and_report  # noqa: E402


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def negative_elbo(model, xb):
    logits, mu, logvar = model(xb)
    rec = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return (rec + kl) / xb.shape[0]


def main():
    a = common_arguments(__doc__).parse_args()
    train_and_report(a, VAE, negative_elbo)


if __name__ == "__main__":
    sys.exit(main())
