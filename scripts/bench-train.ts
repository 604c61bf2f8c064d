/**
 * Benchmarks proxy training: throughput (img/s) of each proxy network (resnet, mobilenetv2,
 * efficientnet at their default tiny sizes) with bn-relu and evonorm-s0 GraphLayers, on MNIST
 * 28×28 and 14×14, batch 64, on wasm and cpu; the time of one full quick evaluation
 * (configs/quick.json, evonorm-s0); the PyTorch comparison of scripts/bench-kernels.ts; and the
 * proxy table of scripts/bench-proxies.ts (the three proxies × five layers × 14/28, tfjs-wasm vs
 * their PyTorch twins, interleaved).
 *
 * Usage: node --import tsx scripts/bench-train.ts [--quick] [--no-torch] [--no-cpu]
 *          [--no-eval] [--no-train] [--no-proxies] [--steps N] [--arch a,b] [--layer l,m] [--sizes 28,14] [--profile]
 * Layers are zoo names; "evonorm-s0/ops" is EvoNorm-S0 op by op instead of its fused kernel.
 * Prints one line per figure (stdout); writes bench-results/train.json.
 * --profile prints the time per tfjs kernel of one training step (largest first; BENCH_PROFILE_ROWS
 * rows, default 20; BENCH_SHAPES=1 splits kernels by input shapes).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadEvaluationConfig } from '../src/config/evaluation-config.js';
import { loadDataset, DatasetConfigSchema, type ImageDataset } from '../src/data/index.js';
import { createProxyEvaluator } from '../src/evaluate/proxy.js';
import { zooLayer } from '../src/graph/zoo.js';
import { functionalFingerprint } from '../src/tensor/fingerprint.js';
import { ModelConfigSchema } from '../src/models/config.js';
import { buildModel } from '../src/models/registry.js';
import { selectBackend } from '../src/tensor/backend.js';
import { graphNormAct } from '../src/tensor/norm-act.js';
import { BatchSampler, channelStats, crossEntropy, makeBatch, MomentumSgd } from '../src/train/index.js';
import { Rng } from '../src/util/rng.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const QUICK = flag('quick');
const STEPS = Number(opt('steps', QUICK ? '5' : '15'));
const CPU_STEPS = QUICK ? 1 : 3;
const BATCH = 64;
const ARCHS = opt('arch', 'resnet,mobilenetv2,efficientnet').split(',');
const LAYERS = opt('layer', 'bn-relu,evonorm-s0').split(',');
const SIZES = opt('sizes', '28,14').split(',').map(Number);
const BACKENDS = (flag('no-train') ? [] : flag('no-cpu') ? ['wasm'] : ['wasm', 'cpu']) as Array<'wasm' | 'cpu'>;

interface TrainFigure {
  backend: string;
  arch: string;
  layer: string;
  size: number;
  batch: number;
  steps: number;
  imgPerSec: number;
  loss: number;
}

/** Trains `steps` steps (after `warmup`) as src/train/train.ts does; returns images per second. */
function measureTraining(dataset: ImageDataset, arch: string, layer: string, steps: number, warmup: number, profile: boolean): { imgPerSec: number; loss: number } {
  // "<zoo name>/ops": the layer op by op, without its fused kernel (GraphLayer.useFusedKernels).
  const [zooName, variant] = layer.split('/');
  const rng = Rng.fromSeed('bench-train').child(`${arch}/${zooName}`);
  const normAct = graphNormAct(zooLayer(zooName!));
  const model = buildModel(ModelConfigSchema.parse({ arch }), [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, rng.child('init'));
  if (variant === 'ops') for (const l of normAct.layers) l.useFusedKernels = false;
  const vars = model.trainableVariables();
  const sgd = new MomentumSgd(vars, model.kernels(), { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const sampler = new BatchSampler(dataset.train.count, rng.child('batches'));
  const stats = channelStats(dataset.train, dataset.channels);
  const step = (): number => {
    const indices = sampler.next(BATCH);
    return tf.tidy(() => {
      const batch = makeBatch(dataset.train, indices, model.inputShape, stats);
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(batch.images, true), batch.labels, 0.1), vars);
      sgd.apply(grads, 0.05);
      return (value as tf.Scalar).dataSync()[0]!;
    });
  };
  try {
    for (let i = 0; i < warmup; i++) step();
    let loss = NaN;
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) loss = step();
    const seconds = (performance.now() - t0) / 1000;
    if (profile) printProfile(`${arch} ${layer} ${dataset.height}x${dataset.width}`, step);
    return { imgPerSec: (BATCH * steps) / seconds, loss };
  } finally {
    sgd.dispose();
    model.dispose();
  }
}

/** Wall-clock ms, or with BENCH_CPU=1 this process's CPU ms (immune to waiting on a loaded machine). */
const clock = process.env.BENCH_CPU ? (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : (): number => performance.now();

/**
 * Prints time per top-level kernel of one step (BENCH_PROFILE_STEPS steps, summed), largest
 * first (stderr); BENCH_CPU=1 measures CPU time instead of wall clock.
 */
function printProfile(label: string, step: () => number): void {
  const times = new Map<string, { ms: number; calls: number }>();
  const engine = tf.engine() as unknown as { runKernelFunc: (p: unknown) => unknown };
  const run = engine.runKernelFunc.bind(engine);
  let depth = 0;
  engine.runKernelFunc = (params: unknown) => {
    const p = params as { kernelName?: string; inputs?: Record<string, tf.TensorInfo> };
    let name = p.kernelName ?? 'custom';
    if (process.env.BENCH_SHAPES && p.inputs) name += ` ${Object.values(p.inputs).map((t) => `[${t.shape}]`).join('')}`;
    const t0 = clock();
    depth++;
    try {
      return run(params);
    } finally {
      depth--;
      if (depth === 0) {
        const t = times.get(name) ?? { ms: 0, calls: 0 };
        t.ms += clock() - t0;
        t.calls++;
        times.set(name, t);
      }
    }
  };
  const t0 = clock();
  const profileSteps = Number(process.env.BENCH_PROFILE_STEPS ?? '1');
  for (let i = 0; i < profileSteps; i++) step();
  const total = clock() - t0;
  engine.runKernelFunc = run;
  const rows = [...times.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const kernelSum = rows.reduce((a, [, t]) => a + t.ms, 0);
  const calls = rows.reduce((a, [, t]) => a + t.calls, 0);
  process.stderr.write(`profile ${tf.getBackend()} ${label} (${process.env.BENCH_CPU ? 'CPU' : 'wall'} time): ${profileSteps} step(s) ${total.toFixed(1)} ms, kernels ${kernelSum.toFixed(1)} ms in ${calls} calls\n`);
  for (const [name, t] of rows.slice(0, Number(process.env.BENCH_PROFILE_ROWS ?? '20'))) {
    process.stderr.write(`  ${name.padEnd(34)} ${t.ms.toFixed(2).padStart(8)} ms ${String(t.calls).padStart(5)} calls ${((100 * t.ms) / total).toFixed(1).padStart(5)}%\n`);
  }
}

/** MNIST at `size`×`size` (the quick config's data: 8,000 training and 2,000 validation digits). */
function mnist(size: number): ImageDataset {
  return loadDataset(DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 8000, validationLimit: 2000, imageSize: size }), Rng.fromSeed('data'));
}

/** One full proxy evaluation of evonorm-s0 with configs/quick.json's evaluation section, on wasm. */
async function quickEvaluationMs(): Promise<{ ms: number; status: string; objectives?: number[] }> {
  const config = loadEvaluationConfig('configs/quick.json', 'wasm');
  const evaluator = await createProxyEvaluator(config);
  const graph = zooLayer('evonorm-s0');
  const t0 = performance.now();
  const result = await evaluator.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: 0 });
  const ms = performance.now() - t0;
  evaluator.dispose();
  return { ms, status: result.status, objectives: result.status === 'ok' ? [...result.objectives] : undefined };
}

/** Runs scripts/bench-kernels.ts (the PyTorch comparison); returns its figure lines and JSON file. */
function kernelBench(): { lines: string[]; status: number | null } {
  const flags = ['--import', 'tsx', 'scripts/bench-kernels.ts', '--no-cpu', '--steps', QUICK ? '10' : '30'];
  const r = spawnSync(process.execPath, flags, { encoding: 'utf8' });
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  return { lines, status: r.status };
}

const machine = { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavg: loadavg().map((l) => Number(l.toFixed(2))) };
console.log(`machine: ${machine.nproc} × ${machine.cpu}, node ${machine.node}, load ${machine.loadavg.join(' ')}`);
const training: TrainFigure[] = [];
const datasets = new Map(SIZES.map((s) => [s, mnist(s)]));
for (const backend of BACKENDS) {
  await selectBackend(backend);
  const steps = backend === 'cpu' ? CPU_STEPS : STEPS;
  const warmup = backend === 'cpu' ? 1 : 2;
  for (const size of SIZES) {
    // tfjs-cpu trains at a few img/s: only the smaller size, to keep its run short.
    if (backend === 'cpu' && size !== Math.min(...SIZES)) continue;
    for (const arch of ARCHS) {
      for (const layer of LAYERS) {
        const { imgPerSec, loss } = measureTraining(datasets.get(size)!, arch, layer, steps, warmup, flag('profile') && backend === 'wasm');
        training.push({ backend, arch, layer, size, batch: BATCH, steps, imgPerSec, loss });
        console.log(`train ${backend} ${arch} ${layer} ${size}x${size} batch ${BATCH}: ${imgPerSec.toFixed(0)} img/s (${steps} steps, loss ${loss.toFixed(3)})`);
      }
    }
  }
}

let evaluation: Awaited<ReturnType<typeof quickEvaluationMs>> | undefined;
if (!flag('no-eval')) {
  evaluation = await quickEvaluationMs();
  console.log(`quick evaluation wasm evonorm-s0 (configs/quick.json): ${(evaluation.ms / 1000).toFixed(1)} s (${evaluation.status}${evaluation.objectives ? `, accuracies ${evaluation.objectives.map((a) => a.toFixed(3)).join(' ')}` : ''})`);
}

let torch: ReturnType<typeof kernelBench> | undefined;
if (!flag('no-torch')) {
  torch = kernelBench();
  for (const line of torch.lines) console.log(`kernels: ${line}`);
  if (torch.status !== 0) console.log(`kernels: scripts/bench-kernels.ts exited with ${torch.status}`);
}

/** Runs scripts/bench-proxies.ts (the proxy networks against their PyTorch twins); its table lines. */
function proxyBench(): { lines: string[]; status: number | null } {
  const flags = ['--import', 'tsx', 'scripts/bench-proxies.ts', ...(QUICK ? ['--reps', '1', '--steps', '2'] : [])];
  const r = spawnSync(process.execPath, flags, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return { lines: r.stdout.split('\n'), status: r.status };
}

let proxies: ReturnType<typeof proxyBench> | undefined;
if (!flag('no-proxies')) {
  proxies = proxyBench();
  console.log(proxies.lines.join('\n').trimEnd());
  if (proxies.status !== 0) console.log(`proxies: scripts/bench-proxies.ts exited with ${proxies.status}`);
}

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/train.json', JSON.stringify({ date: new Date().toISOString(), argv: args, machine, training, evaluation, kernels: torch?.lines, proxies: proxies?.lines }, null, 2));
console.log('wrote bench-results/train.json');
