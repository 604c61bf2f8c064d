"""Trains the wasm-kernel benchmark network with PyTorch on one CPU thread; prints one JSON line.

Same network as scripts/bench-kernels.ts: 4 bias-free 3x3 convs (16 s1, 16 s2, 32 s1, 32 s2,
'same' padding as in TF), EvoNorm-S0 after each, global average pool, dense 10, softmax
cross-entropy, SGD with momentum 0.9. Usage: bench_torch.py --size 28 --batch 64 --steps 40
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class EvoNormS0(nn.Module):
    """x * sigmoid(v1 * x) / sqrt(var over (h, w, c/g) + eps) * gamma + beta."""

    def __init__(self, channels, groups, eps=1e-5):
        super().__init__()
        self.groups, self.eps = groups, eps
        self.v1 = nn.Parameter(torch.ones(1, channels, 1, 1))
        self.gamma = nn.Parameter(torch.ones(1, channels, 1, 1))
        self.beta = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def forward(self, x):
        n, c, h, w = x.shape
        xg = x.view(n, self.groups, -1)
        var = xg.var(dim=2, unbiased=False, keepdim=True)
        std = (var + self.eps).sqrt().expand(n, self.groups, (c // self.groups) * h * w).reshape(n, c, h, w)
        return x * torch.sigmoid(self.v1 * x) / std * self.gamma + self.beta


def same_pad(size, k, s):
    """TF 'same' padding (left, right) for one axis: the extra pixel goes right/bottom."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class Net(nn.Module):
    def __init__(self, size):
        super().__init__()
        specs = [(1, 16, 1), (16, 16, 2), (16, 32, 1), (32, 32, 2)]
        self.convs = nn.ModuleList(nn.Conv2d(i, o, 3, s, bias=False) for i, o, s in specs)
        self.norms = nn.ModuleList(EvoNormS0(o, 8) for _, o, _ in specs)
        self.pads, self.strides = [], [s for _, _, s in specs]
        for _, _, s in specs:
            lo, hi = same_pad(size, 3, s)
            self.pads.append((lo, hi, lo, hi))
            size = -(-size // s)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        for conv, norm, pad in zip(self.convs, self.norms, self.pads):
            x = norm(conv(F.pad(x, pad)))
        return self.fc(x.mean(dim=(2, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    net = Net(args.size)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    x = torch.randn(args.batch, 1, args.size, args.size)
    y = torch.randint(0, 10, (args.batch,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        loss = step()
    dt = time.perf_counter() - t0
    print(json.dumps({"imgPerSec": args.batch * args.steps / dt, "loss": loss, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
