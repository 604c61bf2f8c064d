"""PyTorch twins of the proxy networks of src/models (resnet, mobilenetv2, efficientnet), and a
JSON-lines server that builds, loads, runs, trains and times them for the TypeScript side
(scripts/bench-proxies.ts, test/models/torch-twin.test.ts).

The twins mirror src/models layer by layer (NCHW instead of NHWC):
  - every convolution and depthwise convolution pads as tfjs 'same' (the extra pixel right/bottom)
  - variables are made in NetBuilder's order: `kernels` (conv, depthwise, dense weights: weight
    decay) and `others` (affine gamma/beta, biases), then each site's parameters, so tfjs weights
    copy over by position (kernels transposed from HWIO to OIHW)
  - norm-activation sites are the PyTorch export of the layer graph (src/export/torch.ts), one
    module class loaded from the file the caller wrote; or, for the layers PyTorch has natively
    ({"native": "bn-relu"} / {"native": "gn-relu"}), what a PyTorch user writes: nn.BatchNorm2d /
    nn.GroupNorm followed by an in-place ReLU (NativeBnRelu, NativeGnRelu below)
  - the training step is src/train/train.ts's: softmax cross-entropy with label smoothing, SGD
    with (Nesterov) momentum and L2 weight decay on the kernels only

Protocol (one JSON object per line on stdin, one reply per line on stdout):
  {"cmd": "build", "id", "config", "input": [h, w, c], "classes", "layer": {"path", "class"} | {"native"},
   "options": {"eps", "groups", "momentum"}}            -> {"params": n, "sites": k}
  {"cmd": "load", "id", "kernels": [[...]], "others": [[...]], "sites": [{"weight": [...], ...}]}
  {"cmd": "forward", "id", "x": [...NHWC], "n", "training"}   -> {"logits": [...]}
  {"cmd": "train", "id", "x", "labels", "n", "steps", "lr", "momentum", "nesterov",
   "weightDecay", "smoothing"}                          -> {"losses": [...], "logits": [...]}
  {"cmd": "bench", "id", "batch", "steps", "warmup", "lr", ...optimizer}
                                 -> {"imgPerSec" (wall clock), "imgPerCpuSec" (process CPU time),
                                     "imgPerThreadCpuSec" (this thread's CPU time), "loss",
                                     "sysShare" (kernel time / CPU time: page faults of large tensors)}
  {"cmd": "quit"}
Errors come back as {"error": "..."}; torch runs on one thread.
"""
import importlib.util
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Stages of src/models/mobilenetv2.ts and efficientnet.ts at width = depth = 1
# (expand None = the configured expansion): (expand, kernel, channels, blocks, stride).
MOBILENETV2_STAGES = [(1, 3, 8, 1, 1), (None, 3, 16, 2, 2), (None, 3, 24, 2, 2)]
EFFICIENTNET_STAGES = [(1, 3, 8, 1, 1), (None, 3, 16, 2, 2), (None, 5, 24, 2, 2)]
BOTTLENECK_EXPANSION = 4


def scale_channels(channels, width, divisor=4):
    """src/models/scale.ts scaleChannels (MobileNet's make_divisible)."""
    exact = channels * width
    c = max(divisor, int(math.floor(exact / divisor + 0.5)) * divisor)
    if c < 0.9 * exact:
        c += divisor
    return c


def scale_depth(blocks, depth):
    return max(1, math.ceil(blocks * depth))


def same_pad(size, k, s):
    """tfjs 'same' padding (before, after) for one axis."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    """A 'same'-padded convolution (groups = channels for depthwise), optional bias."""

    def __init__(self, weight, bias, stride, depthwise, in_hw):
        super().__init__()
        self.weight, self.bias, self.stride = weight, bias, stride
        self.groups = weight.shape[0] if depthwise else 1
        k = weight.shape[2]
        ph, pw = same_pad(in_hw[0], k, stride), same_pad(in_hw[1], k, stride)
        self.pad = (pw[0], pw[1], ph[0], ph[1])
        self.symmetric = ph[0] == ph[1] and pw[0] == pw[1]

    def forward(self, x):
        if self.symmetric:
            return F.conv2d(x, self.weight, self.bias, self.stride, (self.pad[2], self.pad[0]), 1, self.groups)
        return F.conv2d(F.pad(x, self.pad), self.weight, self.bias, self.stride, 0, 1, self.groups)


class Affine(nn.Module):
    def __init__(self, gamma, beta):
        super().__init__()
        self.gamma, self.beta = gamma, beta

    def forward(self, x):
        return x * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


class Chain(nn.Module):
    def __init__(self, ops):
        super().__init__()
        self.ops = nn.ModuleList(ops)

    def forward(self, x):
        for op in self.ops:
            x = op(x)
        return x


class Residual(nn.Module):
    def __init__(self, body, shortcut, post_relu):
        super().__init__()
        self.body, self.shortcut, self.post_relu = body, shortcut, post_relu

    def forward(self, x):
        y = self.body(x) + (x if self.shortcut is None else self.shortcut(x))
        return torch.relu(y) if self.post_relu else y


class SqueezeExcite(nn.Module):
    def __init__(self, reduce, expand, act):
        super().__init__()
        self.reduce, self.expand, self.act = reduce, expand, act

    def forward(self, x):
        r = self.reduce(x.mean(dim=(2, 3), keepdim=True))
        a = r * torch.sigmoid(r) if self.act == "swish" else torch.relu(r)
        return x * torch.sigmoid(self.expand(a))


class Builder:
    """src/models/builder.ts NetBuilder: makes the variables in the same order."""

    def __init__(self, site_factory):
        self.site_factory = site_factory
        self.kernels, self.others, self.sites = [], [], []

    def _kernel(self, shape):
        p = nn.Parameter(torch.randn(*shape) * math.sqrt(2.0 / (shape[1] * shape[2] * shape[3])))
        self.kernels.append(p)
        return p

    def _other(self, shape, value):
        p = nn.Parameter(torch.full(shape, float(value)))
        self.others.append(p)
        return p

    def conv(self, shape, out_c, k, stride, bias=False):
        h, w, c = shape
        weight = self._kernel((out_c, c, k, k))
        b = self._other((out_c,), 0) if bias else None
        return Conv(weight, b, stride, False, (h, w)), (-(-h // stride), -(-w // stride), out_c)

    def depthwise(self, shape, k, stride):
        h, w, c = shape
        weight = self._kernel((c, 1, k, k))
        return Conv(weight, None, stride, True, (h, w)), (-(-h // stride), -(-w // stride), c)

    def affine(self, shape):
        return Affine(self._other((shape[2],), 1), self._other((shape[2],), 0))

    def site(self, shape):
        s = self.site_factory(shape[2])
        self.sites.append(s)
        return s

    def squeeze_excite(self, shape, reduced, act):
        reduce, rshape = self.conv((1, 1, shape[2]), reduced, 1, 1, True)
        expand, _ = self.conv(rshape, shape[2], 1, 1, True)
        return SqueezeExcite(reduce, expand, act)

    def head(self, shape, classes):
        weight = self._kernel((classes, shape[2], 1, 1))
        bias = self._other((classes,), 0)
        return weight, bias


def resnet(b, shape, o):
    stem, shape2 = b.conv(shape, scale_channels(o["baseChannels"], o["width"]), 3, 2)
    ops = [stem, b.site(shape2)]
    shape = shape2
    for i, n in enumerate(o["stageBlocks"]):
        inner = scale_channels(o["baseChannels"] * 2 ** i, o["width"])
        for j in range(scale_depth(n, o["depth"])):
            stride = 2 if i > 0 and j == 0 else 1
            block, shape = resnet_block(b, shape, inner, stride, o)
            ops.append(block)
    return Chain(ops), shape


def resnet_block(b, shape, inner, stride, o):
    branch = []
    if o["block"] == "basic":
        c1, s1 = b.conv(shape, inner, 3, stride)
        c2, s2 = b.conv(s1, inner, 3, 1)
        branch += [c1, b.site(s1), c2, b.affine(s2)]
        out = s2
    else:
        c1, s1 = b.conv(shape, inner, 1, 1)
        c2, s2 = b.conv(s1, inner, 3, stride)
        c3, s3 = b.conv(s2, inner * BOTTLENECK_EXPANSION, 1, 1)
        branch += [c1, b.site(s1), c2, b.site(s2), c3, b.affine(s3)]
        out = s3
    shortcut = None
    if not (stride == 1 and shape[2] == out[2]):
        proj, ps = b.conv(shape, out[2], 1, stride)
        shortcut = Chain([proj, b.affine(ps)])
    return Residual(Chain(branch), shortcut, o["postAddActivation"] == "relu"), out


def inverted_residual(b, shape, expansion, out_c, kernel, stride, se):
    ops = []
    inp = shape
    if expansion != 1:
        expand, shape = b.conv(shape, inp[2] * expansion, 1, 1)
        ops += [expand, b.site(shape)]
    dw, shape = b.depthwise(shape, kernel, stride)
    ops += [dw, b.site(shape)]
    if se is not None:
        ops.append(b.squeeze_excite(shape, se[0], se[1]))
    project, shape = b.conv(shape, out_c, 1, 1)
    ops += [project, b.affine(shape)]
    body = Chain(ops)
    if stride == 1 and inp[2] == out_c:
        return Residual(body, None, False), shape
    return body, shape


def inverted_residual_body(b, shape, o, stages, se_ratio=None):
    stem, shape = b.conv(shape, scale_channels(o["stemChannels"], o["width"]), 3, 2)
    ops = [stem, b.site(shape)]
    for expand, kernel, channels, blocks, stride in stages:
        for j in range(scale_depth(blocks, o["depth"])):
            se = None if se_ratio is None else (max(1, int(math.floor(shape[2] * se_ratio))), o["seActivation"])
            block, shape = inverted_residual(b, shape, expand if expand is not None else o["expansion"],
                                             scale_channels(channels, o["width"]), kernel, stride if j == 0 else 1, se)
            ops.append(block)
    head, shape = b.conv(shape, scale_channels(o["headChannels"], o["width"]), 1, 1)
    ops += [head, b.site(shape)]
    return Chain(ops), shape


class ProxyNet(nn.Module):
    """The whole network: body, global average pool, dense head (logits)."""

    def __init__(self, config, input_shape, classes, site_factory):
        super().__init__()
        b = Builder(site_factory)
        arch = config["arch"]
        if arch == "resnet":
            body, shape = resnet(b, input_shape, config)
        elif arch == "mobilenetv2":
            body, shape = inverted_residual_body(b, input_shape, config, MOBILENETV2_STAGES)
        elif arch == "efficientnet":
            body, shape = inverted_residual_body(b, input_shape, config, EFFICIENTNET_STAGES, config["seRatio"])
        else:
            raise ValueError(f"unknown arch {arch}")
        self.body = body
        self.head_weight, self.head_bias = b.head(shape, classes)
        self.kernels, self.others, self.sites = b.kernels, b.others, nn.ModuleList(b.sites)

    def forward(self, x):
        pooled = self.body(x).mean(dim=(2, 3))
        return F.linear(pooled, self.head_weight.view(self.head_weight.shape[0], -1), self.head_bias)


def effective_groups(channels, groups):
    """src/tensor/layer-options.ts effectiveGroups (no group size): groups capped so every group
    keeps >= 2 channels, lowered to a divisor of C."""
    g = max(1, min(min(groups, channels // 2), channels))
    while channels % g:
        g -= 1
    return g


class NativeBnRelu(nn.BatchNorm2d):
    """bn-relu as a PyTorch user writes it: nn.BatchNorm2d then ReLU (in place, as torchvision).
    evonorm's momentum weighs the old value, PyTorch's the new one: momentum = 1 - evonorm's."""

    def __init__(self, channels, eps, groups, momentum):
        super().__init__(channels, eps=eps, momentum=1 - momentum)

    def forward(self, x):
        return F.relu(super().forward(x), inplace=True)


class NativeGnRelu(nn.GroupNorm):
    """gn-relu as a PyTorch user writes it: nn.GroupNorm (evonorm's group count) then ReLU."""

    def __init__(self, channels, eps, groups, momentum):
        super().__init__(effective_groups(channels, groups), channels, eps=eps)

    def forward(self, x):
        return F.relu(super().forward(x), inplace=True)


NATIVE = {"bn-relu": NativeBnRelu, "gn-relu": NativeGnRelu}


def load_class(path, name):
    spec = importlib.util.spec_from_file_location(f"layer_{abs(hash(path))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def optimizer(net, msg):
    kernel_ids = {id(p) for p in net.kernels}
    decayed = [p for p in net.parameters() if id(p) in kernel_ids]
    rest = [p for p in net.parameters() if id(p) not in kernel_ids]
    groups = [{"params": decayed, "weight_decay": msg.get("weightDecay", 5e-4)}, {"params": rest, "weight_decay": 0.0}]
    return torch.optim.SGD(groups, lr=msg.get("lr", 0.05), momentum=msg.get("momentum", 0.9), nesterov=msg.get("nesterov", True))


def nchw(flat, n, shape):
    h, w, c = shape
    return torch.tensor(flat, dtype=torch.float32).reshape(n, h, w, c).permute(0, 3, 1, 2).contiguous()


class Server:
    def __init__(self):
        self.nets = {}

    def build(self, msg):
        spec = msg["layer"]
        layer = NATIVE[spec["native"]] if "native" in spec else load_class(spec["path"], spec["class"])
        o = msg.get("options", {})
        factory = lambda c: layer(c, eps=o.get("eps", 1e-5), groups=o.get("groups", 32), momentum=o.get("momentum", 0.9))
        torch.manual_seed(msg.get("seed", 0))
        net = ProxyNet(msg["config"], tuple(msg["input"]), msg["classes"], factory)
        self.nets[msg["id"]] = (net, tuple(msg["input"]))
        return {"params": sum(p.numel() for p in net.parameters()), "sites": len(net.sites)}

    def load(self, msg):
        net, _ = self.nets[msg["id"]]
        with torch.no_grad():
            if len(msg["kernels"]) != len(net.kernels) or len(msg["others"]) != len(net.others) or len(msg["sites"]) != len(net.sites):
                raise ValueError(f"variable counts differ: kernels {len(msg['kernels'])} vs {len(net.kernels)}, "
                                 f"others {len(msg['others'])} vs {len(net.others)}, sites {len(msg['sites'])} vs {len(net.sites)}")
            for p, k in zip(net.kernels, msg["kernels"]):
                t = torch.tensor(k["values"], dtype=torch.float32).reshape(k["shape"])
                if t.dim() == 2:  # dense [in, out] -> [out, in, 1, 1]
                    t = t.t().reshape(p.shape)
                elif k.get("depthwise"):  # [k, k, C, 1] -> [C, 1, k, k]
                    t = t.permute(2, 3, 0, 1)
                else:  # HWIO -> OIHW
                    t = t.permute(3, 2, 0, 1)
                if t.shape != p.shape:
                    raise ValueError(f"kernel shape {list(t.shape)} vs twin {list(p.shape)}")
                p.copy_(t)
            for p, v in zip(net.others, msg["others"]):
                if len(v) != p.numel():
                    raise ValueError(f"other variable size {len(v)} vs twin {p.numel()}")
                p.copy_(torch.tensor(v, dtype=torch.float32).reshape(p.shape))
            for site, params in zip(net.sites, msg["sites"]):
                for name, values in params.items():
                    getattr(site, name).copy_(torch.tensor(values, dtype=torch.float32))
        return {}

    def forward(self, msg):
        net, shape = self.nets[msg["id"]]
        net.train(msg.get("training", True))
        with torch.no_grad():
            return {"logits": net(nchw(msg["x"], msg["n"], shape)).reshape(-1).tolist()}

    def train(self, msg):
        net, shape = self.nets[msg["id"]]
        net.train(True)
        opt = optimizer(net, msg)
        x, y = nchw(msg["x"], msg["n"], shape), torch.tensor(msg["labels"], dtype=torch.long)
        losses = []
        for _ in range(msg["steps"]):
            opt.zero_grad()
            loss = F.cross_entropy(net(x), y, label_smoothing=msg.get("smoothing", 0.1))
            loss.backward()
            opt.step()
            losses.append(loss.item())
        with torch.no_grad():
            logits = net(x).reshape(-1).tolist()
        return {"losses": losses, "logits": logits}

    def bench(self, msg):
        net, (h, w, c) = self.nets[msg["id"]]
        net.train(True)
        opt = optimizer(net, msg)
        n = msg.get("batch", 64)
        g = torch.Generator().manual_seed(1)
        batches = [(torch.randn(n, c, h, w, generator=g), torch.randint(0, 10, (n,), generator=g)) for _ in range(4)]

        def step(i):
            x, y = batches[i % len(batches)]
            opt.zero_grad()
            loss = F.cross_entropy(net(x), y, label_smoothing=msg.get("smoothing", 0.1))
            loss.backward()
            opt.step()
            return loss

        for i in range(msg.get("warmup", 2)):
            step(i)
        r0 = resource.getrusage(resource.RUSAGE_THREAD)
        t0, c0, h0 = time.perf_counter(), time.process_time(), time.thread_time()
        for i in range(msg["steps"]):
            loss = step(i)
        dt, dc, dh = time.perf_counter() - t0, time.process_time() - c0, time.thread_time() - h0
        r1 = resource.getrusage(resource.RUSAGE_THREAD)
        images = n * msg["steps"]
        return {"imgPerSec": images / dt, "imgPerCpuSec": images / dc, "imgPerThreadCpuSec": images / dh, "loss": loss.item(),
                "sysShare": (r1.ru_stime - r0.ru_stime) / max(1e-9, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))}


def main():
    torch.set_num_threads(1)
    server = Server()
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        if msg["cmd"] == "quit":
            break
        try:
            reply = getattr(server, msg["cmd"])(msg)
        except Exception as err:  # reported to the caller, who fails the test or the row
            reply = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
