/**
 * The SIMD convolution kernels against PyTorch: for convolutions of the proxies' kinds (3×3 and
 * 1×1, strided and not, the stem's one input channel, 3×3 and 5×5 depthwise, strided and not),
 * tfjs-wasm with the SIMD kernels computes y = conv(x, W) and the gradients of Σ up ⊙ y; torch
 * (float64, 'same' padding written out as TensorFlow pads: the extra row and column after) does
 * the same on the same values. Within 1e-5 of the largest magnitude of torch's answer. Needs a
 * python3 with torch (Debian python3-torch); skips without one, except in CI, where it fails.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { setSimdFamilyEnabled, simdFamilyKernels } from '../../src/tensor/wasm-kernels/simd/index.js';
import { Rng } from '../../src/util/rng.js';
import { IN_CI, findPython } from '../export/python.js';

const TOL = 1e-5;

/** One convolution: input [n, h, w, c], k×k filter, output channels (depthwise: c), stride. */
interface Case { readonly x: [number, number, number, number]; readonly k: number; readonly co: number; readonly s: number; readonly depthwise: boolean }

const CASES: Case[] = [
  { x: [4, 28, 28, 1], k: 3, co: 8, s: 2, depthwise: false }, // stem
  { x: [4, 14, 14, 8], k: 3, co: 8, s: 1, depthwise: false }, // resnet stage 1 3×3
  { x: [4, 14, 14, 16], k: 3, co: 16, s: 2, depthwise: false }, // resnet stage 2 3×3/2
  { x: [4, 7, 7, 32], k: 1, co: 64, s: 2, depthwise: false }, // resnet projection 1×1/2
  { x: [4, 7, 7, 96], k: 1, co: 16, s: 1, depthwise: false }, // mobilenetv2 project 1×1
  { x: [4, 14, 14, 48], k: 3, co: 48, s: 2, depthwise: true }, // mobilenetv2 depthwise 3×3/2
  { x: [4, 7, 7, 96], k: 3, co: 96, s: 1, depthwise: true }, // mobilenetv2 depthwise 3×3
  { x: [4, 7, 7, 96], k: 5, co: 96, s: 2, depthwise: true }, // efficientnet depthwise 5×5/2
];

/** torch: y and the gradients of Σ up ⊙ y for x, W (NHWC / HWIO lists in, the same layouts out). */
const SCRIPT = `
import json, sys, torch
import torch.nn.functional as F
torch.set_num_threads(1)
out = []
for c in json.load(sys.stdin):
    n, h, w, ci = c["x"]; k, co, s, dw = c["k"], c["co"], c["s"], c["depthwise"]
    x = torch.tensor(c["xv"], dtype=torch.float64).reshape(n, h, w, ci).permute(0, 3, 1, 2).requires_grad_()
    wt = torch.tensor(c["wv"], dtype=torch.float64)
    wt = (wt.reshape(k, k, ci, 1).permute(2, 3, 0, 1) if dw else wt.reshape(k, k, ci, co).permute(3, 2, 0, 1)).contiguous().requires_grad_()
    def pads(size):
        o = -(-size // s); total = max((o - 1) * s + k - size, 0); return total // 2, total - total // 2
    (pt, pb), (pl, pr) = pads(h), pads(w)
    y = F.conv2d(F.pad(x, (pl, pr, pt, pb)), wt, None, s, 0, 1, ci if dw else 1)
    up = torch.tensor(c["upv"], dtype=torch.float64).reshape(y.shape[0], y.shape[2], y.shape[3], y.shape[1]).permute(0, 3, 1, 2)
    gx, gw = torch.autograd.grad((y * up).sum(), [x, wt])
    gw = gw.permute(2, 3, 1, 0) if dw else gw.permute(2, 3, 1, 0)
    out.append({"y": y.permute(0, 2, 3, 1).reshape(-1).tolist(), "dx": gx.permute(0, 2, 3, 1).reshape(-1).tolist(), "dw": gw.reshape(-1).tolist()})
print(json.dumps(out))
`;

function seeded(count: number, seed: string): number[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: count }, () => rng.normal());
}

/** max |a − b| / max |b|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return d / scale;
}

before(async () => {
  await selectBackend('wasm');
  setSimdFamilyEnabled('conv', true);
});

test('when tfjs-wasm runs convolutions with the SIMD kernels, then y and the gradients of x and W match PyTorch to 1e-5', (t) => {
  const { python, reason } = findPython('torch');
  if (python === undefined) {
    const message = `SIMD conv vs PyTorch NOT RUN: ${reason}; install Debian's python3-torch (or set EVONORM_PYTHON)`;
    if (IN_CI) assert.fail(message);
    t.skip(message);
    return;
  }
  assert.ok(simdFamilyKernels(tf.backend(), 'conv') !== undefined, 'SIMD module did not load');
  const runs = CASES.map((c, i) => {
    const [n, h, w, ci] = c.x;
    const wShape: [number, number, number, number] = c.depthwise ? [c.k, c.k, ci, 1] : [c.k, c.k, ci, c.co];
    const xv = seeded(n * h * w * ci, `torch-conv/${i}/x`);
    const wv = seeded(wShape.reduce((a, d) => a * d, 1), `torch-conv/${i}/w`);
    const oh = Math.ceil(h / c.s);
    const ow = Math.ceil(w / c.s);
    const upv = seeded(n * oh * ow * c.co, `torch-conv/${i}/up`);
    const ours = tf.tidy(() => {
      const x = tf.tensor4d(xv, c.x);
      const wt = tf.tensor4d(wv, wShape);
      const up = tf.tensor4d(upv, [n, oh, ow, c.co]);
      const f = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => (c.depthwise ? tf.depthwiseConv2d(a, b, c.s, 'same') : tf.conv2d(a, b, c.s, 'same'));
      const y = f(x, wt);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), up)))([x, wt]);
      return { y: y.dataSync(), dx: dx!.dataSync(), dw: dw!.dataSync() };
    });
    return { c, ours, input: { ...c, xv, wv, upv } };
  });
  const r = spawnSync(python, ['-c', SCRIPT], { input: JSON.stringify(runs.map((x) => x.input)), encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  const theirs = JSON.parse(r.stdout) as Array<{ y: number[]; dx: number[]; dw: number[] }>;
  runs.forEach(({ c, ours }, i) => {
    for (const key of ['y', 'dx', 'dw'] as const) {
      const e = relErr(ours[key], theirs[i]![key]);
      assert.ok(e <= TOL, `${JSON.stringify(c)} ${key}: ${e} from PyTorch`);
    }
  });
});
