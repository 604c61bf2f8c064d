"""Runs PyTorch exports of evonorm layers on given inputs; used by torch-parity.test.ts.

Reads a JSON list of cases (argv[1]) and prints one JSON list of results: for each case the
outputs and gradients (input and every parameter) of sum(y * up) in inference mode with the
initial buffers, in training mode (first of 3 training steps), the buffers after the 3 steps,
and inference mode after them. Everything in float64; tensors are exchanged as flat NHWC lists.
"""
import importlib.util
import json
import sys

import torch


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def run(case):
    n, h, w, c = case["shape"]

    def nchw(flat):
        return torch.tensor(flat, dtype=torch.float64).reshape(n, h, w, c).permute(0, 3, 1, 2).contiguous()

    def nhwc(t):
        return t.detach().permute(0, 2, 3, 1).reshape(-1).tolist()

    module = load(case["path"], case["className"])(c, **case["kwargs"]).double()
    with torch.no_grad():
        for name, values in case["params"].items():
            getattr(module, name).copy_(torch.tensor(values, dtype=torch.float64))
    up = nchw(case["up"])
    xs = case["xs"]

    def forward(flat, training):
        module.train(training)
        x = nchw(flat).requires_grad_(True)
        for p in module.parameters():
            p.grad = None
        y = module(x)
        (y * up).sum().backward()
        # In inference a layer may not depend on x at all (batch statistics only): gradient 0.
        grads = {"x": nhwc(x.grad) if x.grad is not None else [0.0] * (n * h * w * c)}
        for name, p in module.named_parameters():
            grads[name] = p.grad.tolist() if p.grad is not None else [0.0] * c
        return {"y": nhwc(y), "grads": grads}

    out = {"eval0": forward(xs[3], False), "train": forward(xs[0], True)}
    module.train(True)
    with torch.no_grad():
        module(nchw(xs[1]))
        module(nchw(xs[2]))
    out["buffers"] = {name: b.tolist() for name, b in module.named_buffers()}
    out["eval3"] = forward(xs[3], False)
    out["parameters"] = sorted(name for name, _ in module.named_parameters())
    return out


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        try:
            results.append(run(case))
        except Exception as err:  # reported per case by the test
            results.append({"error": f"{type(err).__name__}: {err}"})
    # JSON has no NaN or Infinity: they travel as strings, and the test reads them back.
    json.dump(finite_json(results), sys.stdout, allow_nan=False)


def finite_json(value):
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, list):
        return [finite_json(v) for v in value]
    if isinstance(value, dict):
        return {k: finite_json(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    main()
