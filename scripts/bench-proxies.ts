/**
 * Training speed of the real proxy networks, tfjs-wasm against PyTorch on one thread, measured
 * interleaved: for each repetition and each row (architecture × layer × image size) a tfjs
 * measurement, then the same network's PyTorch twin (scripts/proxy_twin.py) right after, so both
 * see the same machine load; each figure is the median over the repetitions, and the ratio is
 * the median of the per-repetition ratios. Throughput is given per second of the process's CPU
 * time (tfjs: process.cpuUsage, PyTorch: time.process_time; both compute on one thread), which
 * on a loaded machine leaves out the time spent waiting for a core, and by wall clock.
 *
 *   rows: configs/quick.json's architectures (resnet, mobilenetv2, efficientnet at their
 *         defaults) × bn-relu, evonorm-s0, evonorm-b0, two random graphs (scripts/proxy-twin.ts)
 *         × MNIST 14×14 and 28×28, 1 channel, 10 classes
 *   step: src/train/train.ts's: batch 64, label smoothing 0.1, SGD Nesterov momentum 0.9, weight
 *         decay 5e-4 on kernels (tfjs: MNIST batches via makeBatch; PyTorch: random batches)
 *
 * Usage: node --import tsx scripts/bench-proxies.ts [--reps 3] [--steps 5] [--warmup 2]
 *          [--arch a,b] [--layer l,m] [--sizes 14,28]
 * A layer "<name>/ops" runs op by op, without its fused kernel (to measure a kernel's gain);
 * "<name>/before" without the kernels ISSUE 11 added (fused BN-ReLU, SGD step, 1×1 conv gradients
 * as matmuls), as before; "<name>/conv-old" without the 1×1 conv gradient paths only.
 * Prints the table (markdown) on stdout; writes bench-results/proxies.json. Without a python3
 * with torch, prints the tfjs column only and says why.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, DatasetConfigSchema, type ImageDataset } from '../src/data/index.js';
import { ModelConfigSchema } from '../src/models/config.js';
import type { ProxyModel } from '../src/models/proxy-model.js';
import { buildModel } from '../src/models/registry.js';
import { selectBackend } from '../src/tensor/backend.js';
import { convGradOptions } from '../src/tensor/wasm-kernels/index.js';
import { graphNormAct } from '../src/tensor/norm-act.js';
import { BatchSampler, channelStats, crossEntropy, makeBatch, MomentumSgd } from '../src/train/index.js';
import { Rng } from '../src/util/rng.js';
import { findPython } from '../test/export/python.js';
import { benchLayers, buildMessage, layerExpression, TwinServer, writeTorchLayers, type BenchLayer } from './proxy-twin.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const REPS = Number(opt('reps', '3'));
const STEPS = Number(opt('steps', '5'));
const WARMUP = Number(opt('warmup', '2'));
const ARCHS = opt('arch', 'resnet,mobilenetv2,efficientnet').split(',');
const SIZES = opt('sizes', '14,28').split(',').map(Number);
const BATCH = 64;
const LR = 0.05;
const SGD = { momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
const SMOOTHING = 0.1;

interface Row {
  readonly arch: string;
  readonly layer: BenchLayer;
  readonly size: number;
  /** img/s by wall clock, per repetition. */
  readonly tfjs: number[];
  readonly torch: number[];
  /** img per second of process CPU time (user + system), per repetition. */
  readonly tfjsCpu: number[];
  readonly torchCpu: number[];
}

/** A built tfjs network with its optimizer and batch sampler, reused across repetitions. */
interface TfjsNet {
  readonly model: ProxyModel;
  readonly sgd: MomentumSgd;
  step(): number;
}

function tfjsNet(dataset: ImageDataset, arch: string, layer: BenchLayer): TfjsNet {
  const rng = Rng.fromSeed('bench-proxies').child(`${arch}/${layer.name.split('/')[0]}`);
  const normAct = graphNormAct(layer.graph);
  const model = buildModel(ModelConfigSchema.parse({ arch }), [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, rng.child('init'));
  const variant = layer.name.split('/')[1];
  // "/before": without ISSUE 11's kernels (fused BN-ReLU, fused SGD step, 1×1 conv gradients).
  if (variant === 'ops' || (variant === 'before' && layer.name.startsWith('bn-relu'))) for (const l of normAct.layers) l.useFusedKernels = false;
  const vars = model.trainableVariables();
  const sgd = new MomentumSgd(vars, model.kernels(), SGD);
  if (variant === 'before') sgd.useFusedKernel = false;
  const sampler = new BatchSampler(dataset.train.count, rng.child('batches'));
  const stats = channelStats(dataset.train, dataset.channels);
  const step = (): number => {
    const indices = sampler.next(BATCH);
    // A global switch, set per step because the variants' nets are interleaved.
    convGradOptions.unpadded1x1 = variant !== 'before' && variant !== 'conv-old';
    return tf.tidy(() => {
      const batch = makeBatch(dataset.train, indices, model.inputShape, stats);
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(batch.images, true), batch.labels, SMOOTHING), vars);
      sgd.apply(grads, LR);
      return (value as tf.Scalar).dataSync()[0]!;
    });
  };
  return { model, sgd, step };
}

/** Images per second of wall clock and of this process's CPU time. */
function timeSteps(net: TfjsNet, steps: number): { wall: number; cpu: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) net.step();
  const c = process.cpuUsage(c0);
  return { wall: (BATCH * steps * 1000) / (performance.now() - t0), cpu: (BATCH * steps * 1e6) / (c.user + c.system) };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<number> {
  // "<name>/ops": the layer op by op, without its fused kernel (GraphLayer.useFusedKernels).
  const layerNames = opt('layer', '').split(',').filter(Boolean);
  const all = benchLayers();
  const layers = layerNames.length === 0 ? all : layerNames.map((name) => {
    const base = all.find((l) => l.name === name.split('/')[0]);
    if (!base) throw new Error(`unknown layer ${name} (known: ${all.map((l) => l.name).join(', ')})`);
    return { ...base, name };
  });
  const load0 = loadavg();
  await selectBackend('wasm');
  const { python, reason } = findPython('torch');
  const server = python === undefined ? undefined : new TwinServer(python);
  const files = writeTorchLayers(layers);
  const ready = server ? await server.ready : undefined;
  if (!server) process.stderr.write(`bench-proxies: no PyTorch column (${reason})\n`);
  const datasets = new Map(SIZES.map((s) => [s, loadDataset(DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 8000, validationLimit: 2000, imageSize: s }), Rng.fromSeed('data'))]));
  const rows: Row[] = [];
  for (const size of SIZES) for (const arch of ARCHS) for (const layer of layers) rows.push({ arch, layer, size, tfjs: [], torch: [], tfjsCpu: [], torchCpu: [] });
  const nets = new Map<Row, TfjsNet>();
  const t0 = performance.now();
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const row of rows) {
        const id = `${row.arch}/${row.layer.name}/${row.size}`;
        let net = nets.get(row);
        if (!net) {
          net = tfjsNet(datasets.get(row.size)!, row.arch, row.layer);
          nets.set(row, net);
          for (let i = 0; i < WARMUP; i++) net.step();
          if (server) await server.request(buildMessage(id, ModelConfigSchema.parse({ arch: row.arch }), [row.size, row.size, 1], 10, files.get(row.layer.name)!));
        }
        const t = timeSteps(net, STEPS);
        row.tfjs.push(t.wall);
        row.tfjsCpu.push(t.cpu);
        if (server) {
          const r = await server.request<{ imgPerSec: number; imgPerCpuSec: number }>({ cmd: 'bench', id, batch: BATCH, steps: STEPS, warmup: rep === 0 ? WARMUP : 1, lr: LR, ...SGD, smoothing: SMOOTHING });
          row.torch.push(r.imgPerSec);
          row.torchCpu.push(r.imgPerCpuSec);
        }
        process.stderr.write(`rep ${rep + 1}/${REPS} ${id}: tfjs ${row.tfjsCpu.at(-1)!.toFixed(0)} img/CPU-s${server ? `, torch ${row.torchCpu.at(-1)!.toFixed(0)} img/CPU-s` : ''}\n`);
      }
    }
  } finally {
    for (const net of nets.values()) {
      net.sgd.dispose();
      net.model.dispose();
    }
    server?.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const load1 = loadavg();
  const ratioOf = (a: readonly number[], b: readonly number[]): number => median(a.map((v, i) => v / b[i]!));
  const ratios = rows.map((r) => ratioOf(r.tfjsCpu, r.torchCpu));
  const wallRatios = rows.map((r) => ratioOf(r.tfjs, r.torch));
  const out: string[] = [];
  out.push(`proxy training speed, tfjs-wasm vs PyTorch ${String(ready?.torch ?? '—')} (1 thread), batch ${BATCH}, ${REPS} interleaved repetitions × ${STEPS} steps, medians; ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load ${load0.map((l) => l.toFixed(1)).join(' ')} → ${load1.map((l) => l.toFixed(1)).join(' ')}; ${seconds.toFixed(0)} s`);
  out.push('', 'img/CPU-s: images per second of the process\'s CPU time (one core each; immune to waiting for the CPU); img/s: wall clock.');
  out.push('', '| network | layer | size | tfjs-wasm img/CPU-s | PyTorch img/CPU-s | tfjs / PyTorch (CPU) | tfjs img/s | PyTorch img/s | tfjs / PyTorch (wall) |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const f = (v: number, digits = 0): string => (server && Number.isFinite(v) ? v.toFixed(digits) : '—');
  rows.forEach((r, i) => {
    out.push(`| ${r.arch} | ${r.layer.name} | ${r.size}×${r.size} | ${median(r.tfjsCpu).toFixed(0)} | ${f(median(r.torchCpu))} | ${f(ratios[i]!, 2)} | ${median(r.tfjs).toFixed(0)} | ${f(median(r.torch))} | ${f(wallRatios[i]!, 2)} |`);
  });
  if (server) {
    const summary = (xs: number[]): string => {
      const finite = xs.filter((r) => Number.isFinite(r));
      return `min ${Math.min(...finite).toFixed(2)}, median ${median(finite).toFixed(2)}, max ${Math.max(...finite).toFixed(2)}`;
    };
    out.push('', `ratio (CPU time): ${summary(ratios)}; ratio (wall): ${summary(wallRatios)} (goal: ≥ 0.6 every row, ≥ 0.8 median)`);
  }
  out.push('', 'layers:', ...layers.map((l) => `  ${l.name}: ${layerExpression(l)}`));
  console.log(out.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/proxies.json', JSON.stringify({
    date: new Date().toISOString(), argv: args, loadavg: { start: load0, end: load1 }, torch: ready?.torch ?? null,
    rows: rows.map((r, i) => ({ arch: r.arch, layer: r.layer.name, expression: layerExpression(r.layer), size: r.size, tfjs: r.tfjs, torch: r.torch, tfjsCpu: r.tfjsCpu, torchCpu: r.torchCpu, ratioCpu: ratios[i], ratioWall: wallRatios[i] })),
  }, null, 2));
  return 0;
}

process.exitCode = await main();
