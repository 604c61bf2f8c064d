/**
 * Benchmarks training of a small conv net with EvoNorm-S0 on tfjs-wasm (with the training
 * kernels of src/tensor/wasm-kernels), tfjs-cpu and, when python3 with torch is found,
 * PyTorch on one thread (scripts/bench_torch.py), all in the same run.
 *
 * Network: 4 bias-free 3x3 convs (16 s1, 16 s2, 32 s1, 32 s2, 'same'), EvoNorm-S0 (8 groups)
 * after each, global average pool, dense 10, softmax cross-entropy, SGD momentum 0.9; batch 64.
 *
 * Usage: node --import tsx scripts/bench-kernels.ts [--steps 30] [--sizes 28,14] [--no-torch]
 *          [--no-cpu] [--profile] [--norm both|fused|plain]
 * 'fused' uses the EvoNorm-S0 kernel of src/tensor/wasm-kernels; 'plain' composes tfjs ops.
 * Prints one line per figure; writes bench-results/kernels-<time>.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/tensor/backend.js';
import { evonormS0 as fusedS0 } from '../src/tensor/wasm-kernels/index.js';
import { Rng } from '../src/util/rng.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const STEPS = Number(opt('steps', '30'));
const SIZES = opt('sizes', '28,14').split(',').map(Number);
const BATCH = 64;
const NORM_OPT = opt('norm', 'both');
const NORMS: Norm[] = NORM_OPT === 'both' ? ['plain', 'fused'] : [NORM_OPT as Norm];
const GROUPS = 8;
const SPECS: Array<[number, number, number]> = [[1, 16, 1], [16, 16, 2], [16, 32, 1], [32, 32, 2]];

/** EvoNorm-S0 in plain tfjs ops: x·σ(v1·x) / √(var over (h,w,c/g) + 1e-5) · γ + β. */
function evonormS0(x: tf.Tensor4D, v1: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const xg = tf.reshape(x, [n, h, w, GROUPS, c / GROUPS]);
  const { variance } = tf.moments(xg, [1, 2, 4], true);
  const std = tf.sqrt(tf.add(variance, 1e-5));
  const num = tf.reshape(tf.mul(x, tf.sigmoid(tf.mul(x, v1))), [n, h, w, GROUPS, c / GROUPS]);
  return tf.add(tf.mul(tf.reshape(tf.div(num, std), [n, h, w, c]), gamma), beta) as tf.Tensor4D;
}

interface Net {
  vars: tf.Variable[];
  loss: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Scalar;
}

type Norm = 'fused' | 'plain';

function buildNet(rng: Rng, norm: Norm): Net {
  const vars: tf.Variable[] = [];
  const param = (shape: number[], fill: (i: number) => number): tf.Variable => {
    const size = shape.reduce((a, b) => a * b, 1);
    const v = tf.variable(tf.tensor(Float32Array.from({ length: size }, (_, i) => fill(i)), shape));
    vars.push(v);
    return v;
  };
  const layers = SPECS.map(([cin, cout, stride]) => ({
    stride,
    w: param([3, 3, cin, cout], () => rng.normal() * Math.sqrt(2 / (9 * cin))),
    v1: param([cout], () => 1),
    gamma: param([cout], () => 1),
    beta: param([cout], () => 0),
  }));
  const dense = param([32, 10], () => rng.normal() * Math.sqrt(1 / 32));
  const bias = param([10], () => 0);
  const loss = (x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar => {
    let h = x;
    for (const l of layers) {
      const z = tf.conv2d(h, l.w as tf.Tensor4D, l.stride, 'same');
      h = norm === 'fused' ? fusedS0(z, l.v1, l.gamma, l.beta, GROUPS) : evonormS0(z, l.v1, l.gamma, l.beta);
    }
    const logits = tf.add(tf.matMul(tf.mean(h, [1, 2]) as tf.Tensor2D, dense as tf.Tensor2D), bias);
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  };
  return { vars, loss };
}

/** Trains `steps` steps after `warmup` warm-up steps; returns images per second. */
function measure(size: number, steps: number, norm: Norm, profile: boolean, warmup = 3): { imgPerSec: number; loss: number } {
  const rng = Rng.fromSeed(1).child(`bench-${size}`);
  const net = buildNet(rng.child('init'), norm);
  const x = tf.tensor4d(Float32Array.from({ length: BATCH * size * size }, () => rng.normal()), [BATCH, size, size, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, () => rng.int(10)), 'int32'), 10).toFloat() as tf.Tensor2D;
  const sgd = tf.train.momentum(0.05, 0.9);
  const step = (): number => tf.tidy(() => (sgd.minimize(() => net.loss(x, y), true, net.vars) as tf.Scalar).dataSync()[0]!);
  for (let i = 0; i < warmup; i++) step();
  let loss = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) loss = step();
  const seconds = (performance.now() - t0) / 1000;
  if (profile) printProfile(step);
  sgd.dispose();
  tf.dispose([x, y, ...net.vars]);
  return { imgPerSec: (BATCH * steps) / seconds, loss };
}

/** Prints time per kernel name for one step, largest first. */
function printProfile(step: () => number): void {
  const times = new Map<string, number>();
  const orig = tf.engine().backend.time.bind(tf.engine().backend);
  void orig;
  const engine = tf.engine() as unknown as { runKernelFunc: (...a: unknown[]) => unknown };
  const run = engine.runKernelFunc.bind(engine);
  let depth = 0;
  engine.runKernelFunc = (kernelParams: unknown) => {
    const name = (kernelParams as { kernelName?: string }).kernelName ?? '?';
    const t0 = performance.now();
    depth++;
    try {
      return run(kernelParams);
    } finally {
      depth--;
      if (depth === 0) times.set(name, (times.get(name) ?? 0) + performance.now() - t0);
    }
  };
  const t0 = performance.now();
  step();
  const total = performance.now() - t0;
  engine.runKernelFunc = run;
  const rows = [...times.entries()].sort((a, b) => b[1] - a[1]);
  const kernelSum = rows.reduce((a, [, t]) => a + t, 0);
  console.log(`profile ${tf.getBackend()}: step ${total.toFixed(1)} ms, kernels ${kernelSum.toFixed(1)} ms`);
  for (const [name, t] of rows.slice(0, 25)) console.log(`  ${name.padEnd(36)} ${t.toFixed(2).padStart(8)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%`);
}

/** Runs scripts/bench_torch.py with the first python that has torch; undefined when none does. */
function torchFigure(size: number, steps: number): { imgPerSec: number; torch: string; python: string } | undefined {
  for (const python of [process.env.EVONORM_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p)) {
    const r = spawnSync(python, ['scripts/bench_torch.py', '--size', String(size), '--steps', String(steps)], { encoding: 'utf8' });
    if (r.status === 0) {
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { imgPerSec: number; torch: string };
      return { ...out, python };
    }
  }
  return undefined;
}

const results: Record<string, unknown>[] = [];
const fmt = (v: number): string => v.toFixed(0);
for (const size of SIZES) {
  await selectBackend('wasm');
  const row: Record<string, unknown> = { size, batch: BATCH, steps: STEPS };
  let wasm = { imgPerSec: 0, loss: 0 };
  for (const norm of NORMS) {
    wasm = measure(size, STEPS, norm, flag('profile'));
    console.log(`tfjs-wasm ${norm}-evonorm ${size}x${size} batch ${BATCH}: ${fmt(wasm.imgPerSec)} img/s (loss ${wasm.loss.toFixed(3)})`);
    row[`wasm_${norm}_ImgPerSec`] = wasm.imgPerSec;
  }
  row.wasmImgPerSec = wasm.imgPerSec; // the last norm measured: fused unless --norm plain
  if (!flag('no-cpu')) {
    await selectBackend('cpu');
    // tfjs-cpu trains at a few img/s: one warm-up step and two timed ones are enough.
    const cpu = measure(size, 2, NORMS[NORMS.length - 1]!, false, 1);
    console.log(`tfjs-cpu ${size}x${size} batch ${BATCH}: ${fmt(cpu.imgPerSec)} img/s`);
    row.cpuImgPerSec = cpu.imgPerSec;
  }
  const torch = flag('no-torch') ? undefined : torchFigure(size, STEPS);
  if (torch) {
    console.log(`pytorch-1thread ${size}x${size} batch ${BATCH}: ${fmt(torch.imgPerSec)} img/s (torch ${torch.torch})`);
    console.log(`ratio tfjs-wasm(${NORMS[NORMS.length - 1]})/pytorch ${size}x${size}: ${(wasm.imgPerSec / torch.imgPerSec).toFixed(2)}`);
    Object.assign(row, { torchImgPerSec: torch.imgPerSec, torchVersion: torch.torch, ratioWasmTorch: wasm.imgPerSec / torch.imgPerSec });
  } else if (!flag('no-torch')) {
    console.log(`pytorch ${size}x${size}: skipped (no python3 with torch)`);
  }
  results.push(row);
}
mkdirSync('bench-results', { recursive: true });
const file = join('bench-results', `kernels-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ machine: { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version }, results }, null, 2));
console.log(`wrote ${file}`);
