"""Checks Keras exports of evonorm layers without Keras; used by keras-export.test.ts.

Reads a JSON list of cases (argv[1]); prints one JSON list of results. For each case:
- "structure": the file parsed with `ast`: imports, decorators, the class and its bases, its
  methods and their arguments, the add_weight calls (name, initializer, trainable), the names
  assigned in call(), and the keys get_config adds.
- "run" (only with numpy): the layer executed against a small numpy stand-in for keras and
  keras.ops (no real Keras is installable here), through the parity sequence: inference with
  the initial weights, 3 training calls, inference after them; outputs as flat NHWC lists.
"""
import ast
import importlib.util
import json
import sys
import types


def literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def structure(path):
    tree = ast.parse(open(path).read(), path)
    info = {"imports": [], "classes": [], "functions": []}
    for node in tree.body:
        if isinstance(node, ast.Import):
            info["imports"] += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            info["imports"].append(node.module)
        elif isinstance(node, ast.FunctionDef):
            info["functions"].append(node.name)
        elif isinstance(node, ast.ClassDef):
            cls = {
                "name": node.name,
                "bases": [ast.unparse(b) for b in node.bases],
                "decorators": [ast.unparse(d) for d in node.decorator_list],
                "methods": {},
                "weights": [],
                "callAssigned": [],
                "configKeys": [],
            }
            for item in node.body:
                if not isinstance(item, ast.FunctionDef):
                    continue
                cls["methods"][item.name] = [a.arg for a in item.args.args] + [a.arg for a in item.args.kwonlyargs]
                for sub in ast.walk(item):
                    if isinstance(sub, ast.Call) and ast.unparse(sub.func) == "self.add_weight":
                        kw = {k.arg: literal(k.value) for k in sub.keywords}
                        cls["weights"].append(kw)
                    if item.name == "call" and isinstance(sub, ast.Assign):
                        cls["callAssigned"] += [ast.unparse(t) for t in sub.targets]
                    if item.name == "get_config" and isinstance(sub, ast.Dict):
                        cls["configKeys"] += [ast.literal_eval(k) for k in sub.keys]
            info["classes"].append(cls)
    return info


def numpy_keras():
    """A numpy stand-in for the part of Keras 3 the exports use."""
    import numpy as np

    class Variable(np.lib.mixins.NDArrayOperatorsMixin):
        def __init__(self, value):
            self.value = np.array(value, dtype=np.float64)

        def __array__(self, dtype=None):
            return self.value if dtype is None else self.value.astype(dtype)

        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            inputs = [np.asarray(i) if isinstance(i, Variable) else i for i in inputs]
            return getattr(ufunc, method)(*inputs, **kwargs)

        def assign(self, value):
            self.value = np.array(value, dtype=np.float64)

    class Layer:
        def __init__(self, **kwargs):
            self.name = kwargs.get("name", "layer")
            self.built = False

        def add_weight(self, name, shape, initializer, trainable=True):
            return Variable(np.ones(shape) if initializer == "ones" else np.zeros(shape))

        def __call__(self, x, training=False):
            if not self.built:
                self.build(x.shape)
                self.built = True
            return self.call(x, training=training)

        def get_config(self):
            return {"name": self.name}

    a = np.asarray
    ops = types.ModuleType("keras.ops")
    ops.mean = lambda x, axis=None, keepdims=False: np.mean(a(x), axis=axis, keepdims=keepdims)
    ops.var = lambda x, axis=None, keepdims=False: np.var(a(x), axis=axis, keepdims=keepdims)
    for name in ["sqrt", "abs", "log", "exp", "tanh", "square", "maximum", "minimum", "where", "reshape", "shape"]:
        setattr(ops, name, (lambda f: lambda *args, **kw: f(*[a(v) if isinstance(v, Variable) else v for v in args], **kw))(getattr(np, name)))
    ops.sigmoid = lambda x: 1 / (1 + np.exp(-a(x)))
    ops.relu = lambda x: np.maximum(a(x), 0)
    ops.softplus = lambda x: np.logaddexp(0, a(x))
    ops.cast = lambda x, dtype: a(x).astype(dtype)
    ops.stop_gradient = lambda x: a(x)
    ops.zeros = lambda shape, dtype=None: np.zeros(shape, dtype=dtype)
    ops.zeros_like = lambda x: np.zeros_like(a(x))
    ops.ones = lambda shape, dtype=None: np.ones(shape, dtype=dtype)
    keras = types.ModuleType("keras")
    keras.ops = ops
    keras.layers = types.SimpleNamespace(Layer=Layer)
    keras.saving = types.SimpleNamespace(register_keras_serializable=lambda package=None: (lambda cls: cls))
    sys.modules["keras"] = keras
    sys.modules["keras.ops"] = ops
    return np


def run(case, np):
    spec = importlib.util.spec_from_file_location(case["className"], case["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    layer = getattr(module, case["className"])(**case["kwargs"])
    shape = case["shape"]
    xs = [np.array(x, dtype=np.float64).reshape(shape) for x in case["xs"]]
    layer.build(tuple(shape))
    layer.built = True
    for name, values in case["params"].items():
        getattr(layer, name).assign(np.array(values))
    out = {"eval0": layer(xs[3], training=False).reshape(-1).tolist()}
    out["train"] = layer(xs[0], training=True).reshape(-1).tolist()
    layer(xs[1], training=True)
    layer(xs[2], training=True)
    out["eval3"] = layer(xs[3], training=False).reshape(-1).tolist()
    out["config"] = layer.get_config()
    return out


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    try:
        np = numpy_keras()
    except ImportError:
        np = None
    results = []
    for case in cases:
        result = {"structure": structure(case["path"])}
        if np is not None:
            try:
                result["run"] = run(case, np)
            except Exception as err:
                result["runError"] = f"{type(err).__name__}: {err}"
        results.append(result)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
