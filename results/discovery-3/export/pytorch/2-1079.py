"""Normalization-activation layer run-1079, exported by evonorm 0.1.0.

Formula:  x / max(mean_instance(abs(x)), sigmoid(x))
Layer:    y = g(x) * weight + bias   (g: the formula's graph, weight = gamma, bias = beta)
Source:   run run, candidate 1079, objectives resnet=0.8406, mobilenetv2=0.8208, efficientnet=0.8374
Scored with: eps=0.00001, groups=32, momentum=0.9.

Input layout NCHW (N, C, H, W); every parameter and buffer has one value per channel.
Numerics (as evonorm's GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),
with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).
No batch statistics: training and inference compute the same function.
"""
import torch


def _groups(channels, groups, group_size=None):
    """Groups used for C channels (as evonorm's effectiveGroups): C // group_size when given, else
    groups capped so every group keeps >= 2 channels; then lowered to a divisor of C."""
    g = channels // group_size if group_size else min(groups, channels // 2)
    g = max(1, min(g, channels))
    while channels % g:
        g -= 1
    return g


class Candidate1079(torch.nn.Module):
    """x / max(mean_instance(abs(x)), sigmoid(x))

    See the module docstring for the numerics and the moving-statistics convention.
    """

    def __init__(self, num_features, eps=0.00001, groups=32, group_size=None, momentum=0.9):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.groups = _groups(num_features, groups, group_size)
        self.momentum = momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))

    def forward(self, x):
        c = self.num_features
        n0 = torch.sigmoid(x)  # n0: sigmoid(x)
        n1 = torch.abs(x)  # n1: abs(x)
        n2 = n1.expand_as(x).mean(dim=(2, 3), keepdim=True)  # n2: mean_instance(abs(x))
        n6 = torch.where(n2 >= n0, n2, n0)  # n6: max(mean_instance(abs(x)), sigmoid(x))
        n7 = x / n6  # n7: x / max(mean_instance(abs(x)), sigmoid(x))
        y = n7 * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)
        return y if y.shape == x.shape else y.expand_as(x).contiguous()
