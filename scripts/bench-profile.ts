/**
 * Per-kernel CPU profile of proxy training steps on tfjs-wasm: where one step's time goes, by
 * top-level tfjs kernel (its forward and gradient kernels, the optimizer's), plus the time of the
 * step outside any kernel (tape, tidy, engine bookkeeping, the batch). Several variants of a net
 * (scripts/bench-net.ts: e.g. "bn-relu" and "bn-relu/nosimd2") are profiled interleaved, step
 * by step, so they see the same machine load.
 *
 *   for each row (arch × size × layer variant): build, warm up
 *   repeat --steps times: for each row: one step with every top-level kernel call timed
 *   print per row: ms per step (total, in kernels, outside), then kernels by time
 *
 * Times are CPU time of the process (process.cpuUsage, µs), read around every top-level kernel
 * call; the step total also by this thread's CPU clock (schedstat, ns) for comparison.
 *
 * Usage: node --import tsx scripts/bench-profile.ts [--arch resnet,mobilenetv2] [--sizes 28,14]
 *          [--layer bn-relu,bn-relu/nosimd2] [--steps 10] [--warmup 3] [--rows 16] [--shapes]
 *          [--md results/speed/profile-resnet-….md]
 * --shapes splits each kernel by its input shapes. Prints the tables on stdout (markdown);
 * writes bench-results/profile.json, and with --md the tables with the command that made them.
 * "calls" counts top-level kernel calls: the kernels a custom-gradient op runs inside its
 * forward are timed within its "custom" row, not counted apart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, DatasetConfigSchema } from '../src/data/index.js';
import { zooLayer } from '../src/graph/zoo.js';
import { selectBackend } from '../src/tensor/backend.js';
import { Rng } from '../src/util/rng.js';
import { threadCpuNs, tfjsNet, type TfjsNet } from './bench-net.js';
import { benchLayers } from './proxy-twin.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const ARCHS = opt('arch', 'resnet,mobilenetv2').split(',');
const SIZES = opt('sizes', '28,14').split(',').map(Number);
const LAYERS = opt('layer', 'bn-relu').split(',');
const STEPS = Number(opt('steps', '10'));
const WARMUP = Number(opt('warmup', '3'));
const ROWS = Number(opt('rows', '16'));
const SHAPES = args.includes('--shapes');

interface Entry { ms: number; calls: number }
interface Profiled {
  readonly label: string;
  readonly net: TfjsNet;
  readonly kernels: Map<string, Entry>;
  stepMs: number;
  threadMs: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Times every top-level kernel call into `current.kernels` while `current` is set. */
let current: Profiled | undefined;
function instrument(): void {
  const engine = tf.engine() as unknown as { runKernelFunc: (p: unknown) => unknown };
  const run = engine.runKernelFunc.bind(engine);
  let depth = 0;
  engine.runKernelFunc = (params: unknown) => {
    if (current === undefined) return run(params);
    const p = params as { kernelName?: string; inputs?: Record<string, tf.TensorInfo> };
    let name = p.kernelName ?? 'custom';
    if (SHAPES && p.inputs) name += ` ${Object.values(p.inputs).map((t) => `[${t.shape}]`).join('')}`;
    const t0 = depth === 0 ? cpuMs() : 0;
    depth++;
    try {
      return run(params);
    } finally {
      depth--;
      if (depth === 0) {
        const e = current.kernels.get(name) ?? { ms: 0, calls: 0 };
        e.ms += cpuMs() - t0;
        e.calls++;
        current.kernels.set(name, e);
      }
    }
  };
}

const layerGraph = (name: string) => benchLayers().find((l) => l.name === name)?.graph ?? zooLayer(name);

await selectBackend('wasm');
const load0 = loadavg();
const profiled: Profiled[] = [];
for (const size of SIZES) {
  const dataset = loadDataset(DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 8000, validationLimit: 2000, imageSize: size }), Rng.fromSeed('data'));
  for (const arch of ARCHS) {
    for (const layer of LAYERS) {
      const net = tfjsNet(dataset, arch, layer, layerGraph(layer.split('/')[0]!));
      for (let i = 0; i < WARMUP; i++) net.step();
      profiled.push({ label: `${arch} ${layer} ${size}×${size}`, net, kernels: new Map(), stepMs: 0, threadMs: 0 });
    }
  }
}
instrument();
for (let i = 0; i < STEPS; i++) {
  for (const p of profiled) {
    p.net.select();
    current = p;
    const t0 = cpuMs();
    const h0 = threadCpuNs();
    p.net.step();
    p.threadMs += (threadCpuNs() - h0) / 1e6;
    p.stepMs += cpuMs() - t0;
    current = undefined;
  }
}
const load1 = loadavg();
const out: string[] = [];
out.push(`per-kernel CPU profile, tfjs-wasm, batch 64, ${STEPS} steps per row interleaved (after ${WARMUP} warm-up steps); ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load ${load0.map((l) => l.toFixed(2)).join(' ')} → ${load1.map((l) => l.toFixed(2)).join(' ')}`);
for (const p of profiled) {
  const rows = [...p.kernels.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((a, [, e]) => a + e.ms, 0);
  const calls = rows.reduce((a, [, e]) => a + e.calls, 0);
  out.push('', `### ${p.label}: ${(p.stepMs / STEPS).toFixed(2)} ms CPU per step (thread ${(p.threadMs / STEPS).toFixed(2)} ms), kernels ${(inKernels / STEPS).toFixed(2)} ms in ${(calls / STEPS).toFixed(0)} calls, outside kernels ${((p.stepMs - inKernels) / STEPS).toFixed(2)} ms (${((100 * (p.stepMs - inKernels)) / p.stepMs).toFixed(0)}%)`);
  out.push('', '| kernel | ms/step | calls/step | µs/call | share |', '| --- | --- | --- | --- | --- |');
  for (const [name, e] of rows.slice(0, ROWS)) {
    out.push(`| ${name} | ${(e.ms / STEPS).toFixed(3)} | ${(e.calls / STEPS).toFixed(0)} | ${((1000 * e.ms) / e.calls).toFixed(0)} | ${((100 * e.ms) / p.stepMs).toFixed(1)}% |`);
  }
  const rest = rows.slice(ROWS);
  if (rest.length > 0) {
    const ms = rest.reduce((a, [, e]) => a + e.ms, 0);
    out.push(`| ${rest.length} others | ${(ms / STEPS).toFixed(3)} | ${(rest.reduce((a, [, e]) => a + e.calls, 0) / STEPS).toFixed(0)} | | ${((100 * ms) / p.stepMs).toFixed(1)}% |`);
  }
}
console.log(out.join('\n'));
const md = opt('md', '');
if (md !== '') writeFileSync(md, `${['command: node --import tsx scripts/bench-profile.ts ' + args.join(' '), '', ...out].join('\n')}\n`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/profile.json', JSON.stringify({
  date: new Date().toISOString(), argv: args, loadavg: { start: load0, end: load1 }, steps: STEPS,
  rows: profiled.map((p) => ({ label: p.label, stepMs: p.stepMs / STEPS, threadMs: p.threadMs / STEPS, kernels: Object.fromEntries([...p.kernels].map(([k, e]) => [k, { ms: e.ms / STEPS, calls: e.calls / STEPS }])) })),
}, null, 2));
for (const p of profiled) p.net.dispose();
