/**
 * The TypeScript side of the PyTorch proxy twins (scripts/proxy_twin.py): the benchmark's layer
 * set, a client for the twin server (one python process, JSON lines), and the messages that build
 * a twin of a tfjs ProxyModel and copy its weights into it.
 *
 * Layer set: bn-relu, evonorm-s0, evonorm-b0 and two random graphs of the search's generator
 * (src/search/random-graph.ts, seed "bench-proxies"): the first two draws with at least 3 live
 * nodes, an aggregation of x (a normaliser), an output that varies per element like x (as every front
 * layer does), no exp (overflows in float32 at these scales), an output
 * that is finite, not constant and does not grow with the input's scale (a normaliser), and PyTorch export code. Their sites in PyTorch are the
 * code exporter's modules (src/export/torch.ts), so both sides compute the same layer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { className, planLayer, torchSource } from '../src/export/index.js';
import { liveNodes } from '../src/graph/live.js';
import { INPUT_COUNT, OPS } from '../src/graph/ops.js';
import { printExpression } from '../src/graph/print.js';
import type { LayerGraph } from '../src/graph/types.js';
import { zooLayer } from '../src/graph/zoo.js';
import type { ModelConfig } from '../src/models/config.js';
import type { ProxyModel } from '../src/models/proxy-model.js';
import { randomGraph } from '../src/search/random-graph.js';
import { searchSpace } from '../src/search/space.js';
import { interpretGraph } from '../src/tensor/interpret.js';
import { DEFAULT_LAYER_OPTIONS } from '../src/tensor/layer-options.js';
import type { GraphNormAct } from '../src/tensor/norm-act.js';
import { Rng } from '../src/util/rng.js';

export const TWIN_SCRIPT = fileURLToPath(new URL('./proxy_twin.py', import.meta.url));

export interface BenchLayer {
  readonly name: string;
  readonly graph: LayerGraph;
}

/** The benchmark's five layers (see the module comment); deterministic. */
export function benchLayers(): BenchLayer[] {
  const layers: BenchLayer[] = ['bn-relu', 'evonorm-s0', 'evonorm-b0'].map((name) => ({ name, graph: zooLayer(name) }));
  const rng = Rng.fromSeed('bench-proxies');
  const space = searchSpace();
  for (let draw = 0; layers.length < 5 && draw < 10_000; draw++) {
    const graph = randomGraph(rng, space);
    const live = [...liveNodes(graph)].filter((i) => i >= INPUT_COUNT);
    const onX = dependsOnX(graph);
    if (live.length < 3 || !live.some((i) => OPS[graph.nodes[i - INPUT_COUNT]!.op].kind === 'aggregation' && onX[i])) continue;
    if (!xShaped(graph)[graph.output] || live.some((i) => graph.nodes[i - INPUT_COUNT]!.op === 'exp') || !tame(graph)) continue;
    try {
      planLayer(graph, 'torch');
    } catch {
      continue;
    }
    layers.push({ name: `random-${layers.length - 2}`, graph });
  }
  return layers;
}

/**
 * Which values of `graph` vary per element like x (x, or an element-wise op of such a value):
 * a layer whose output is not is a per-channel or per-group constant, unlike any front layer.
 */
function xShaped(graph: LayerGraph): boolean[] {
  const out: boolean[] = [true, false, false, false, false];
  graph.nodes.forEach((node) => {
    out.push(OPS[node.op].kind === 'elementwise' && node.args.some((a) => out[a]));
  });
  return out;
}

/**
 * A normaliser: on standard-normal inputs at initialisation the output is finite, not constant,
 * and does not grow with the input's scale (rms at 10·x at most 2× the rms at x), so a deep
 * network of it neither explodes nor vanishes, as with every front layer.
 */
function tame(graph: LayerGraph): boolean {
  const rng = Rng.fromSeed('bench-proxies/probe');
  const shape = [8, 4, 4, 16] as const;
  const data = Float64Array.from({ length: 8 * 4 * 4 * 16 }, () => rng.normal());
  const spread = (scale: number): number => {
    const y = interpretGraph(graph, { shape, data: data.map((v) => v * scale) }).data;
    let sum = 0;
    let sq = 0;
    for (const v of y) {
      if (!Number.isFinite(v)) return NaN;
      sum += v;
      sq += v * v;
    }
    return Math.sqrt(Math.max(0, sq / y.length - (sum / y.length) ** 2));
  };
  const one = spread(1);
  const ten = spread(10);
  return one > 1e-2 && one < 1e2 && ten <= 2 * one;
}

/** Which values of `graph` depend on x. */
function dependsOnX(graph: LayerGraph): boolean[] {
  const out: boolean[] = [true, false, false, false, false];
  graph.nodes.forEach((node) => out.push(node.args.some((a) => out[a])));
  return out;
}

/** The layer's expression, for tables. */
export function layerExpression(layer: BenchLayer): string {
  return printExpression(layer.graph);
}

/** Writes each layer's PyTorch export to a temporary directory; returns path and class by name. */
export function writeTorchLayers(layers: readonly BenchLayer[]): Map<string, { path: string; class: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-twin-'));
  const out = new Map<string, { path: string; class: string }>();
  layers.forEach((l, i) => {
    const path = join(dir, `layer${i}.py`);
    const name = `Twin${i}`;
    writeFileSync(path, torchSource(l.graph, { name, source: l.name }));
    out.set(l.name, { path, class: className(name) });
  });
  return out;
}

/** A running twin server: `request` sends one message and resolves with its reply. */
export class TwinServer {
  private readonly queue: Array<(reply: Record<string, unknown>) => void> = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  readonly ready: Promise<Record<string, unknown>>;

  constructor(python: string) {
    this.child = spawn(python, [TWIN_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    const lines = createInterface({ input: this.child.stdout });
    this.ready = new Promise((resolve, reject) => {
      this.queue.push(resolve);
      this.child.on('exit', (code) => {
        const err = new Error(`proxy_twin.py exited with ${code}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
        for (const _ of this.queue.splice(0)) reject(err);
      });
    });
    lines.on('line', (line) => this.queue.shift()?.(parseReply(line)));
  }

  /** Sends `msg`; rejects when the server reports an error. */
  async request<T = Record<string, unknown>>(msg: Record<string, unknown>): Promise<T> {
    await this.ready;
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      this.queue.push(resolve);
      this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    });
    if (typeof reply.error === 'string') throw new Error(`proxy_twin.py: ${reply.error}`);
    return reply as T;
  }

  close(): void {
    this.child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
  }
}

/** A reply line; Python's NaN / Infinity tokens become numbers. */
function parseReply(line: string): Record<string, unknown> {
  const quoted = line.replace(/-?Infinity|NaN/g, (m) => `"${m}"`);
  return JSON.parse(quoted, (_k, v: unknown) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as Record<string, unknown>;
}

/** The build message of the twin of a model built from `config` with `layer` at its sites. */
export function buildMessage(id: string, config: ModelConfig, input: readonly [number, number, number], classes: number, layer: { path: string; class: string }): Record<string, unknown> {
  const o = DEFAULT_LAYER_OPTIONS;
  return { cmd: 'build', id, config, input, classes, layer, options: { eps: o.epsilon, groups: o.groups, momentum: o.momentum } };
}

/** GraphLayer's parameter short names → the PyTorch export's. */
const TORCH_PARAM: Record<string, string> = { gamma: 'weight', beta: 'bias', v0: 'v0', v1: 'v1' };

/** The load message copying `model`'s weights (sites from `normAct`) into its twin. */
export function loadMessage(id: string, model: ProxyModel, normAct: GraphNormAct): Record<string, unknown> {
  const kernels = model.kernels();
  const all = model.trainableVariables();
  const siteVars = normAct.layers.reduce((n, l) => n + l.trainableVariables().length, 0);
  const others = all.slice(kernels.length, all.length - siteVars);
  const sites = normAct.layers.map((l) => {
    const out: Record<string, number[]> = {};
    for (const [key, values] of Object.entries(l.getWeights())) {
      const short = key.slice(l.name.length + 1);
      if (TORCH_PARAM[short]) out[TORCH_PARAM[short]!] = Array.from(values);
    }
    return out;
  });
  return {
    cmd: 'load',
    id,
    kernels: kernels.map((k) => ({ shape: k.shape, depthwise: k.shape.length === 4 && k.shape[3] === 1 && k.shape[2]! > 1, values: Array.from(k.dataSync()) })),
    others: others.map((v) => Array.from(v.dataSync())),
    sites,
  };
}
