"""Normalization-activation layer discovery-1-2373, exported by evonorm 0.1.0.

Formula:  tanh(x / (mean_group(exp(mean_batch(v1))) / exp(mean_batch(v1))))
Layer:    y = g(x) * weight + bias   (g: the formula's graph, weight = gamma, bias = beta)
Source:   run discovery-1, candidate 2373, objectives resnet=0.9424640400250156, mobilenetv2=0.924953095684803, efficientnet=0.9468417761100688
Scored with: eps=0.00001, groups=32, momentum=0.9.

Input layout NCHW (N, C, H, W); every parameter and buffer has one value per channel.
Numerics (as evonorm's GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),
with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).
Groups: consecutive channels; `groups` is lowered to the largest divisor of C that is <= groups
and leaves at least 2 channels per group;
`group_size` (channels per group), when given, sets groups = C // group_size (lowered the same way).
Batch statistics (over N, H, W): training uses the batch statistic and updates its moving buffer
  m <- momentum * m + (1 - momentum) * batch_statistic   (no gradient; variances biased),
inference uses the buffers (initial values: means 0, variances 1). Note: this momentum weighs the
OLD value, so momentum=0.9 is torch.nn.BatchNorm2d(momentum=0.1); and BatchNorm2d updates
running_var with the unbiased batch variance, this layer with the biased one (what it normalises with).
Buffers: running_mean (mean of n4).
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


class Discovery12373(torch.nn.Module):
    """tanh(x / (mean_group(exp(mean_batch(v1))) / exp(mean_batch(v1))))

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
        self.register_buffer('running_mean', torch.zeros(num_features))

    def forward(self, x):
        c = self.num_features
        v1 = self.v1.view(1, c, 1, 1)
        n4 = self._batch_stat(v1, x, var=False, buffer='running_mean')  # n4: mean_batch(v1)
        n5 = torch.exp(n4)  # n5: exp(mean_batch(v1))
        n6 = self._group_stat(n5, x, var=False)  # n6: mean_group(exp(mean_batch(v1)))
        n7 = n6 / n5  # n7: mean_group(exp(mean_batch(v1))) / exp(mean_batch(v1))
        n8 = x / n7  # n8: x / (mean_group(exp(mean_batch(v1))) / exp(mean_batch(v1)))
        n9 = torch.tanh(n8)  # n9: tanh(x / (mean_group(exp(mean_batch(v1))) / exp(mean_batch(v1))))
        y = n9 * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)
        return y if y.shape == x.shape else y.expand_as(x).contiguous()

    def _group_stat(self, a, x, var):
        """Mean or variance of a over each group of channels and H, W, per sample: (N, C, 1, 1)."""
        n, c, h, w = x.shape
        g = a.expand_as(x).reshape(n, self.groups, c // self.groups, h, w)
        s = g.var(dim=(2, 3, 4), unbiased=False, keepdim=True) if var else g.mean(dim=(2, 3, 4), keepdim=True)
        return s.expand(n, self.groups, c // self.groups, 1, 1).reshape(n, c, 1, 1)

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
