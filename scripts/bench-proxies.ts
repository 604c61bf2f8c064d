/**
 * Training speed of the real proxy networks, tfjs-wasm against PyTorch on one thread, measured
 * interleaved: for each repetition and each row (architecture × layer × image size) a tfjs
 * measurement, then the same network's PyTorch twin (scripts/proxy_twin.py) right after, so both
 * see the same machine load; each figure is the median over the repetitions, and the ratio is
 * the median of the per-repetition ratios. Throughput is images per CPU-second of the measuring
 * thread (tfjs: /proc/thread-self/schedstat, ns; PyTorch: time.thread_time), which on a loaded
 * machine leaves out the time spent waiting for a core; also per CPU-second of the whole process
 * (tfjs: process.cpuUsage, V8's GC and compiler threads included; PyTorch: time.process_time)
 * and by wall clock. The 1-minute load average is recorded with every figure.
 *
 * The PyTorch side is what a PyTorch user writes (issue 18, item 1): bn-relu is nn.BatchNorm2d +
 * ReLU, gn-relu nn.GroupNorm + ReLU; layers without a native form (EvoNorm, random graphs) run the
 * code exporter's module (src/export/torch.ts). `--torch export` runs the exporter's module for
 * every layer (the comparison before issue 18).
 *
 *   rows: configs/quick.json's architectures (resnet, mobilenetv2, efficientnet at their
 *         defaults) × bn-relu, evonorm-s0, evonorm-b0, two random graphs (scripts/proxy-twin.ts)
 *         × MNIST 14×14 and 28×28, 1 channel, 10 classes
 *   step: src/train/train.ts's: batch 64, label smoothing 0.1, SGD Nesterov momentum 0.9, weight
 *         decay 5e-4 on kernels (tfjs: MNIST batches via makeBatch; PyTorch: random batches)
 *
 * Usage: node --import tsx scripts/bench-proxies.ts [--reps 3] [--steps 5] [--warmup 2]
 *          [--arch a,b] [--layer l,m] [--sizes 14,28] [--torch native|export] [--compare v,w]
 *          [--out bench-results/proxies.json] [--python /usr/bin/python3]   (npm run bench:proxies)
 * Layers: the five of scripts/proxy-twin.ts benchLayers, or any zoo name (gn-relu, …).
 * A layer "<name>/<variant>" runs a kernel variant (scripts/bench-net.ts: ops, before, conv-old,
 * nosimd = every SIMD kernel off, nosimd2 = the second batch of SIMD kernels off (conv, evonorm-s0),
 * nosimd3 = the third (graph-ops: moments, max/min, log/sqrt), nosimd4 = the fourth (step-calls));
 * `--compare nosimd2` adds a "/nosimd2" row after every row (the before/after table of one
 * interleaved run).
 * Prints the table (markdown) on stdout; writes bench-results/proxies.json. Without a python3
 * with torch, prints the tfjs column only and says why.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { loadDataset, DatasetConfigSchema } from '../src/data/index.js';
import { zooLayer } from '../src/graph/zoo.js';
import { ModelConfigSchema } from '../src/models/config.js';
import { selectBackend } from '../src/tensor/backend.js';
import { Rng } from '../src/util/rng.js';
import { findPython } from '../test/export/python.js';
import { BATCH, LR, SGD, SMOOTHING, threadCpuNs, tfjsNet, type TfjsNet } from './bench-net.js';
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
const TORCH_SITES = opt('torch', 'native');
if (TORCH_SITES !== 'native' && TORCH_SITES !== 'export') throw new Error(`--torch must be native or export, got ${TORCH_SITES}`);
const COMPARE = opt('compare', '').split(',').filter(Boolean);
const OUT = opt('out', 'bench-results/proxies.json');
/** Zoo layers PyTorch has as modules (scripts/proxy_twin.py NATIVE). */
const NATIVE_TORCH = new Set(['bn-relu', 'gn-relu']);

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
  /** img per second of the measuring thread's CPU time, per repetition. */
  readonly tfjsThread: number[];
  readonly torchThread: number[];
  /** 1-minute load average when each repetition's tfjs measurement started. */
  readonly load: number[];
  /** Share of system (kernel) time in each side's CPU time (tfjs: the process's), per repetition. */
  readonly tfjsSys: number[];
  readonly torchSys: number[];
}

/** Images per second of wall clock, of this process's CPU time and of this thread's CPU time. */
function timeSteps(net: TfjsNet, steps: number): { wall: number; cpu: number; thread: number; sys: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const h0 = threadCpuNs();
  for (let i = 0; i < steps; i++) net.step();
  const h = threadCpuNs() - h0;
  const c = process.cpuUsage(c0);
  const images = BATCH * steps;
  return { wall: (images * 1000) / (performance.now() - t0), cpu: (images * 1e6) / (c.user + c.system), thread: (images * 1e9) / h, sys: c.system / (c.user + c.system) };
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
  const chosen = layerNames.length === 0 ? all : layerNames.map((name) => {
    const base = name.split('/')[0]!;
    const known = all.find((l) => l.name === base);
    if (known) return { ...known, name };
    try {
      return { name, graph: zooLayer(base) };
    } catch {
      throw new Error(`unknown layer ${name} (known: ${all.map((l) => l.name).join(', ')} and the zoo's names)`);
    }
  });
  const layers = chosen.flatMap((l) => [l, ...COMPARE.map((v) => ({ ...l, name: `${l.name.split('/')[0]}/${v}` }))]);
  const load0 = loadavg();
  await selectBackend('wasm');
  // --python skips findPython's probe (an `import torch` it gives up on after 60 s on a loaded machine).
  const given = opt('python', '');
  const { python, reason } = given ? { python: given, reason: '' } : findPython('torch');
  const server = python === undefined ? undefined : new TwinServer(python);
  const files = writeTorchLayers(layers);
  const ready = server ? await server.ready : undefined;
  if (!server) process.stderr.write(`bench-proxies: no PyTorch column (${reason})\n`);
  const datasets = new Map(SIZES.map((s) => [s, loadDataset(DatasetConfigSchema.parse({ name: 'mnist', trainLimit: 8000, validationLimit: 2000, imageSize: s }), Rng.fromSeed('data'))]));
  const rows: Row[] = [];
  for (const size of SIZES) for (const arch of ARCHS) for (const layer of layers) rows.push({ arch, layer, size, tfjs: [], torch: [], tfjsCpu: [], torchCpu: [], tfjsThread: [], torchThread: [], load: [], tfjsSys: [], torchSys: [] });
  /** The PyTorch site of a layer: the native module where PyTorch has one (unless --torch export). */
  const torchSite = (layer: BenchLayer): Record<string, unknown> => {
    const base = layer.name.split('/')[0]!;
    return TORCH_SITES === 'native' && NATIVE_TORCH.has(base) ? { native: base } : files.get(layer.name)!;
  };
  /** Variants of one base layer share its PyTorch twin (measured once per repetition). */
  const twinId = (row: Row): string => `${row.arch}/${row.layer.name.split('/')[0]}/${row.size}`;
  const builtTwins = new Set<string>();
  const nets = new Map<Row, TfjsNet>();
  const t0 = performance.now();
  try {
    for (let rep = 0; rep < REPS; rep++) {
      for (const row of rows) {
        const id = `${row.arch}/${row.layer.name}/${row.size}`;
        let net = nets.get(row);
        if (!net) {
          net = tfjsNet(datasets.get(row.size)!, row.arch, row.layer.name, row.layer.graph);
          nets.set(row, net);
          for (let i = 0; i < WARMUP; i++) net.step();
          if (server && !builtTwins.has(twinId(row))) {
            const msg = buildMessage(twinId(row), ModelConfigSchema.parse({ arch: row.arch }), [row.size, row.size, 1], 10, { path: '', class: '' });
            await server.request({ ...msg, layer: torchSite(row.layer) });
            builtTwins.add(twinId(row));
          }
        }
        row.load.push(loadavg()[0]!);
        const t = timeSteps(net, STEPS);
        row.tfjs.push(t.wall);
        row.tfjsCpu.push(t.cpu);
        row.tfjsThread.push(t.thread);
        row.tfjsSys.push(t.sys);
        if (server) {
          // Each row's tfjs figure is followed by its twin's (variants of a layer each get their own).
          const r = await server.request<{ imgPerSec: number; imgPerCpuSec: number; imgPerThreadCpuSec: number; sysShare: number }>({ cmd: 'bench', id: twinId(row), batch: BATCH, steps: STEPS, warmup: rep === 0 ? WARMUP : 1, lr: LR, ...SGD, smoothing: SMOOTHING });
          row.torch.push(r.imgPerSec);
          row.torchCpu.push(r.imgPerCpuSec);
          row.torchThread.push(r.imgPerThreadCpuSec);
          row.torchSys.push(r.sysShare);
        }
        process.stderr.write(`rep ${rep + 1}/${REPS} ${id} (load ${row.load.at(-1)!.toFixed(2)}): tfjs ${row.tfjsThread.at(-1)!.toFixed(0)} img/thread-CPU-s (${row.tfjsCpu.at(-1)!.toFixed(0)} process)${server ? `, torch ${row.torchThread.at(-1)!.toFixed(0)} (${row.torchCpu.at(-1)!.toFixed(0)})` : ''}\n`);
      }
    }
  } finally {
    for (const net of nets.values()) net.dispose();
    server?.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const load1 = loadavg();
  const ratioOf = (a: readonly number[], b: readonly number[]): number => median(a.map((v, i) => v / b[i]!));
  const ratios = rows.map((r) => ratioOf(r.tfjsThread, r.torchThread));
  const cpuRatios = rows.map((r) => ratioOf(r.tfjsCpu, r.torchCpu));
  const wallRatios = rows.map((r) => ratioOf(r.tfjs, r.torch));
  const out: string[] = [];
  out.push(`proxy training speed, tfjs-wasm vs PyTorch ${String(ready?.torch ?? '—')} (1 thread; sites: ${TORCH_SITES === 'native' ? 'nn.BatchNorm2d/nn.GroupNorm + ReLU where native, else the exported module' : 'the exported module'}), batch ${BATCH}, ${REPS} interleaved repetitions × ${STEPS} steps, medians; ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load ${load0.map((l) => l.toFixed(2)).join(' ')} → ${load1.map((l) => l.toFixed(2)).join(' ')}; ${seconds.toFixed(0)} s`);
  out.push('', 'img/CPU-s: images per CPU-second of the measuring thread (tfjs: the main thread; PyTorch: its one thread); process: of the whole process (tfjs: GC/compiler threads too); wall: by wall clock; load: 1-min load average at each repetition (min–max).');
  out.push('', '| network | layer | size | tfjs-wasm img/CPU-s | PyTorch img/CPU-s | tfjs / PyTorch | ratio (process CPU) | ratio (wall) | load |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const f = (v: number, digits = 0): string => (server && Number.isFinite(v) ? v.toFixed(digits) : '—');
  rows.forEach((r, i) => {
    out.push(`| ${r.arch} | ${r.layer.name} | ${r.size}×${r.size} | ${median(r.tfjsThread).toFixed(0)} | ${f(median(r.torchThread))} | ${f(ratios[i]!, 2)} | ${f(cpuRatios[i]!, 2)} | ${f(wallRatios[i]!, 2)} | ${Math.min(...r.load).toFixed(1)}–${Math.max(...r.load).toFixed(1)} |`);
  });
  /** Summary lines per variant ('' = the plain layers): min, median, max, rows ≥ 0.6. */
  const summaries: Record<string, unknown> = {};
  if (server) {
    const variants = [...new Set(rows.map((r) => r.layer.name.split('/')[1] ?? ''))];
    const summary = (xs: number[]): { min: number; median: number; max: number; atLeast06: number; rows: number } => {
      const finite = xs.filter((r) => Number.isFinite(r));
      return { min: Math.min(...finite), median: median(finite), max: Math.max(...finite), atLeast06: finite.filter((r) => r >= 0.6).length, rows: finite.length };
    };
    const text = (s: ReturnType<typeof summary>): string => `min ${s.min.toFixed(2)}, median ${s.median.toFixed(2)}, max ${s.max.toFixed(2)}, ${s.atLeast06} of ${s.rows} rows ≥ 0.6`;
    out.push('');
    for (const v of variants) {
      const pick = (xs: number[]): number[] => xs.filter((_, i) => (rows[i]!.layer.name.split('/')[1] ?? '') === v);
      const s = { thread: summary(pick(ratios)), process: summary(pick(cpuRatios)), wall: summary(pick(wallRatios)) };
      summaries[v || 'plain'] = s;
      out.push(`ratio ${v ? `/${v} rows` : 'plain rows'} (thread CPU): ${text(s.thread)}; process CPU: ${text(s.process)}; wall: ${text(s.wall)}`);
    }
    for (const v of variants.filter(Boolean)) {
      const speedups = rows.flatMap((r, i) => {
        if ((r.layer.name.split('/')[1] ?? '') !== '') return [];
        const other = rows.findIndex((o) => o.arch === r.arch && o.size === r.size && o.layer.name === `${r.layer.name}/${v}`);
        return other < 0 ? [] : [ratioOf(r.tfjsThread, rows[other]!.tfjsThread)];
      });
      if (speedups.length > 0) out.push(`tfjs plain ÷ /${v} (same run, thread CPU): median ${median(speedups).toFixed(2)}×, ${Math.min(...speedups).toFixed(2)}–${Math.max(...speedups).toFixed(2)}×`);
    }
    const sysMedian = (pick: (r: Row) => number[]): string => (100 * median(rows.map((r) => median(pick(r))))).toFixed(0);
    out.push(`system (kernel) time, median share of CPU time: PyTorch ${sysMedian((r) => r.torchSys)}%, tfjs ${sysMedian((r) => r.tfjsSys)}% (page faults: glibc returns PyTorch's large tensors to the kernel)`);
    out.push('(goal of issue 18: ≥ 0.6 every row, ≥ 0.8 median, per CPU-second)');
  }
  out.push('', 'layers:', ...layers.filter((l) => !l.name.includes('/')).map((l) => `  ${l.name}: ${layerExpression(l)}`));
  console.log(out.join('\n'));
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({
    date: new Date().toISOString(), argv: args, loadavg: { start: load0, end: load1 }, torch: ready?.torch ?? null, torchSites: TORCH_SITES, summaries,
    rows: rows.map((r, i) => ({
      arch: r.arch, layer: r.layer.name, expression: layerExpression(r.layer), size: r.size, load: r.load,
      tfjs: r.tfjs, torch: r.torch, tfjsCpu: r.tfjsCpu, torchCpu: r.torchCpu, tfjsThread: r.tfjsThread, torchThread: r.torchThread,
      tfjsSys: r.tfjsSys, torchSys: r.torchSys,
      ratio: ratios[i], ratioCpu: cpuRatios[i], ratioWall: wallRatios[i],
    })),
  }, null, 2));
  return 0;
}

process.exitCode = await main();
