/**
 * Training speed of the real proxy networks, tfjs-wasm against PyTorch on one thread, measured
 * interleaved: for each repetition and each row (architecture × layer × image size) a tfjs
 * measurement, then the same network's PyTorch twin (scripts/proxy_twin.py) right after, so both
 * see the same machine load; each figure is the median over the repetitions, and the ratio is
 * the median of the per-repetition ratios.
 *
 *   rows: configs/quick.json's architectures (resnet, mobilenetv2, efficientnet at their
 *         defaults) × bn-relu, evonorm-s0, evonorm-b0, two random graphs (scripts/proxy-twin.ts)
 *         × MNIST 14×14 and 28×28, 1 channel, 10 classes
 *   step: src/train/train.ts's: batch 64, label smoothing 0.1, SGD Nesterov momentum 0.9, weight
 *         decay 5e-4 on kernels (tfjs: MNIST batches via makeBatch; PyTorch: random batches)
 *
 * Usage: node --import tsx scripts/bench-proxies.ts [--reps 3] [--steps 5] [--warmup 2]
 *          [--arch a,b] [--layer l,m] [--sizes 14,28] [--profile]
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
  readonly tfjs: number[];
  readonly torch: number[];
}

/** A built tfjs network with its optimizer and batch sampler, reused across repetitions. */
interface TfjsNet {
  readonly model: ProxyModel;
  readonly sgd: MomentumSgd;
  step(): number;
}

function tfjsNet(dataset: ImageDataset, arch: string, layer: BenchLayer): TfjsNet {
  const rng = Rng.fromSeed('bench-proxies').child(`${arch}/${layer.name}`);
  const normAct = graphNormAct(layer.graph);
  const model = buildModel(ModelConfigSchema.parse({ arch }), [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, rng.child('init'));
  const vars = model.trainableVariables();
  const sgd = new MomentumSgd(vars, model.kernels(), SGD);
  const sampler = new BatchSampler(dataset.train.count, rng.child('batches'));
  const stats = channelStats(dataset.train, dataset.channels);
  const step = (): number => {
    const indices = sampler.next(BATCH);
    return tf.tidy(() => {
      const batch = makeBatch(dataset.train, indices, model.inputShape, stats);
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(batch.images, true), batch.labels, SMOOTHING), vars);
      sgd.apply(grads, LR);
      return (value as tf.Scalar).dataSync()[0]!;
    });
  };
  return { model, sgd, step };
}

function timeSteps(net: TfjsNet, steps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) net.step();
  return (BATCH * steps * 1000) / (performance.now() - t0);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<number> {
  const layerNames = opt('layer', '').split(',').filter(Boolean);
  const layers = benchLayers().filter((l) => layerNames.length === 0 || layerNames.includes(l.name));
  const load0 = loadavg();
  await selectBackend('wasm');
  const { python, reason } = findPython('torch');
  const server = python === undefined ? undefined : new TwinServer(python);
  const files = writeTorchLayers(layers);
  const ready = server ? await server.ready : undefined;
  if (!server) process.stderr.write(`bench-proxies: no PyTorch column (${reason})\n`);
  const datasets = new Map(SIZES.map((s) => [s, loadDataset(DatasetConfigSchema.parse({ name: 'mnist', validationFraction: 0.2, imageSize: s }), Rng.fromSeed('data'))]));
  const rows: Row[] = [];
  for (const size of SIZES) for (const arch of ARCHS) for (const layer of layers) rows.push({ arch, layer, size, tfjs: [], torch: [] });
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
        row.tfjs.push(timeSteps(net, STEPS));
        if (server) {
          const r = await server.request<{ imgPerSec: number }>({ cmd: 'bench', id, batch: BATCH, steps: STEPS, warmup: rep === 0 ? WARMUP : 1, lr: LR, ...SGD, smoothing: SMOOTHING });
          row.torch.push(r.imgPerSec);
        }
        process.stderr.write(`rep ${rep + 1}/${REPS} ${id}: tfjs ${row.tfjs.at(-1)!.toFixed(0)} img/s${server ? `, torch ${row.torch.at(-1)!.toFixed(0)} img/s` : ''}\n`);
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
  const ratioOf = (r: Row): number => median(r.tfjs.map((v, i) => v / r.torch[i]!));
  const ratios = rows.map(ratioOf);
  const out: string[] = [];
  out.push(`proxy training speed, tfjs-wasm vs PyTorch ${String(ready?.torch ?? '—')} (1 thread), batch ${BATCH}, ${REPS} interleaved repetitions × ${STEPS} steps, medians; ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load ${load0.map((l) => l.toFixed(1)).join(' ')} → ${load1.map((l) => l.toFixed(1)).join(' ')}; ${seconds.toFixed(0)} s`);
  out.push('', '| network | layer | size | tfjs-wasm img/s | PyTorch img/s | tfjs / PyTorch |', '| --- | --- | --- | --- | --- | --- |');
  rows.forEach((r, i) => {
    const torch = server ? median(r.torch).toFixed(0) : '—';
    const ratio = server ? ratios[i]!.toFixed(2) : '—';
    out.push(`| ${r.arch} | ${r.layer.name} | ${r.size}×${r.size} | ${median(r.tfjs).toFixed(0)} | ${torch} | ${ratio} |`);
  });
  if (server) {
    const finite = ratios.filter((r) => Number.isFinite(r));
    out.push('', `ratio: min ${Math.min(...finite).toFixed(2)}, median ${median(finite).toFixed(2)}, max ${Math.max(...finite).toFixed(2)} (goal: ≥ 0.6 every row, ≥ 0.8 median)`);
  }
  out.push('', 'layers:', ...layers.map((l) => `  ${l.name}: ${layerExpression(l)}`));
  console.log(out.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/proxies.json', JSON.stringify({
    date: new Date().toISOString(), argv: args, loadavg: { start: load0, end: load1 }, torch: ready?.torch ?? null,
    rows: rows.map((r, i) => ({ arch: r.arch, layer: r.layer.name, expression: layerExpression(r.layer), size: r.size, tfjs: r.tfjs, torch: r.torch, ratio: ratios[i] })),
  }, null, 2));
  return 0;
}

process.exitCode = await main();
