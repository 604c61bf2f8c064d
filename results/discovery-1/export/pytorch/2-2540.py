"""Normalization-activation layer discovery-1-2540, exported by evonorm 0.1.0.

Formula:  tanh((x + mean_group(log(abs(square(exp((one + one) * zero)))))) / exp((one + one) * zero))
Layer:    y = g(x) * weight + bias   (g: the formula's graph, weight = gamma, bias = beta)
Source:   run discovery-1, candidate 2540, objectives resnet=0.9499687304565353, mobilenetv2=0.9255784865540964, efficientnet=0.9318323952470294
Scored with: eps=0.00001, groups=32, momentum=0.9.

Input layout NCHW (N, C, H, W); every parameter and buffer has one value per channel.
Numerics (as evonorm's GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),
with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).
Groups: consecutive channels; `groups` is lowered to the largest divisor of C that is <= groups
and leaves at least 2 channels per group;
`group_size` (channels per group), when given, sets groups = C // group_size (lowered the same way).
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


class Discovery12540(torch.nn.Module):
    """tanh((x + mean_group(log(abs(square(exp((one + one) * zero)))))) / exp((one + one) * zero))

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
        zero = x.new_zeros((1, 1, 1, 1))
        one = x.new_ones((1, 1, 1, 1))
        n0 = one + one  # n0: one + one
        n1 = n0 * zero  # n1: (one + one) * zero
        n2 = torch.exp(n1)  # n2: exp((one + one) * zero)
        n3 = torch.square(n2)  # n3: square(exp((one + one) * zero))
        n4 = torch.abs(n3)  # n4: abs(square(exp((one + one) * zero)))
        n5 = torch.log(n4 + self.eps)  # n5: log(abs(square(exp((one + one) * zero))))
        n6 = self._group_stat(n5, x, var=False)  # n6: mean_group(log(abs(square(exp((one + one) * zero)))))
        n7 = x + n6  # n7: x + mean_group(log(abs(square(exp((one + one) * zero)))))
        n8 = n7 / n2  # n8: (x + mean_group(log(abs(square(exp((one + one) * zero)))))) / exp((one …
        n9 = torch.tanh(n8)  # n9: tanh((x + mean_group(log(abs(square(exp((one + one) * zero)))))) / exp(…
        y = n9 * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)
        return y if y.shape == x.shape else y.expand_as(x).contiguous()

    def _group_stat(self, a, x, var):
        """Mean or variance of a over each group of channels and H, W, per sample: (N, C, 1, 1)."""
        n, c, h, w = x.shape
        g = a.expand_as(x).reshape(n, self.groups, c // self.groups, h, w)
        s = g.var(dim=(2, 3, 4), unbiased=False, keepdim=True) if var else g.mean(dim=(2, 3, 4), keepdim=True)
        return s.expand(n, self.groups, c // self.groups, 1, 1).reshape(n, c, 1, 1)
