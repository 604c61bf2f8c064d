"""Normalization-activation layer run-35, exported by evonorm 0.1.0.

Formula:  x / max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))
Layer:    y = g(x) * weight + bias   (g: the formula's graph, weight = gamma, bias = beta)
Source:   run run, candidate 35, objectives resnet=0.8334, mobilenetv2=0.8324, efficientnet=0.8384
Scored with: eps=0.00001, groups=32, momentum=0.9.

Input layout NCHW (N, C, H, W); every parameter and buffer has one value per channel.
Numerics (as evonorm's GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),
with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).
Batch statistics (over N, H, W): training uses the batch statistic and updates its moving buffer
  m <- momentum * m + (1 - momentum) * batch_statistic   (no gradient; variances biased),
inference uses the buffers (initial values: means 0, variances 1). Note: this momentum weighs the
OLD value, so momentum=0.9 is torch.nn.BatchNorm2d(momentum=0.1); and BatchNorm2d updates
running_var with the unbiased batch variance, this layer with the biased one (what it normalises with).
Buffers: running_var (var of n0).
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


class Candidate35(torch.nn.Module):
    """x / max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))

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
        self.v1 = torch.nn.Parameter(torch.ones(num_features))
        self.register_buffer('running_var', torch.ones(num_features))

    def forward(self, x):
        c = self.num_features
        v1 = self.v1.view(1, c, 1, 1)
        n0 = self._batch_stat(x, x, var=True, buffer='running_var')  # n0: var_batch(x)
        n1 = torch.sqrt(n0 + self.eps)  # n1: sqrt(var_batch(x))
        n2 = v1 * x  # n2: v1 * x
        n3 = x.var(dim=(2, 3), unbiased=False, keepdim=True)  # n3: var_instance(x)
        n4 = torch.sigmoid(n3)  # n4: sigmoid(var_instance(x))
        n5 = n2 + n4  # n5: v1 * x + sigmoid(var_instance(x))
        n6 = torch.where(n1 >= n5, n1, n5)  # n6: max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))
        n7 = x / n6  # n7: x / max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))
        y = n7 * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)
        return y if y.shape == x.shape else y.expand_as(x).contiguous()

    def _batch_stat(self, a, x, var, buffer):
        """Training: the batch statistic over (N, H, W), updating the buffer; eval: the buffer."""
        running = getattr(self, buffer)
        if not self.training:
            return running.view(1, -1, 1, 1)
        a = a.expand_as(x)
        s = a.var(dim=(0, 2, 3), unbiased=False, keepdim=True) if var else a.mean(dim=(0, 2, 3), keepdim=True)
        with torch.no_grad():
            running.mul_(self.momentum).add_((1 - self.momentum) * s.detach().reshape(-1))
        return s
