/**
 * Benchmark: does evolution rediscover a known layer (EvoNorm-S0) with fewer candidates than
 * random search? Both run the same pure evolver (src/search), evolution with Pareto tournament
 * selection and random search with selection 'random', scored by the training-free fast
 * objective (src/evaluate/fast-objective.ts) through the inline pool, for the same budget over
 * several seeds.
 *
 *   for each configuration, seed, method:
 *     loop ask(batch) → evaluate inline → tell, until the budget is spent
 *     exact: first candidate whose functional fingerprint equals the target's
 *     near:  first candidate with every objective ≥ 0.999 (a global scale/shift of the target, or
 *            a very close function, also counts)
 *   per method: median candidates to rediscovery (seeds that never found it count as the budget
 *   and are reported, the median is then a lower bound), and the ratio random / evolution.
 *
 * Usage: node --import tsx scripts/bench-search.ts [--seeds 10] [--budget 2000] [--batch 10]
 *          [--population 50] [--tournament 10] [--max-nodes 10] [--ops paper|compact]
 *          [--target evonorm-s0] [--objectives 2] [--variants probes|architectures] [--sweep]
 * --sweep runs a small grid of population/tournament/search-space settings instead of one.
 * Prints one line per figure; writes bench-results/search.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { createInlinePool, type EvaluationPool } from '../src/dispatch/index.js';
import type { EvaluatorSpec } from '../src/evaluate/registry.js';
import type { Evaluation } from '../src/evaluate/types.js';
import { resolveLayer } from '../src/graph/resolve.js';
import type { OpName } from '../src/graph/ops.js';
import { ask, createEvolver, tell, PAPER_OPS, type EvaluationResult, type EvolverSettings } from '../src/search/index.js';
import { functionalFingerprint } from '../src/tensor/fingerprint.js';
import { Rng } from '../src/util/rng.js';

/** A smaller op set: the paper's element-wise ops without the rarely useful ones, and the group/instance/batch variances. */
const COMPACT_OPS: readonly OpName[] = ['add', 'mul', 'div', 'max', 'neg', 'sigmoid', 'tanh', 'square', 'sqrt', 'var_batch', 'var_instance', 'var_group', 'mean_group'];

interface Setting {
  readonly label: string;
  readonly populationSize: number;
  readonly tournamentSize: number;
  readonly maxNodes: number;
  readonly ops: 'paper' | 'compact';
}

interface MethodFigures {
  /** Candidates until rediscovery per seed (1-based), null when never within the budget. */
  readonly exact: (number | null)[];
  readonly near: (number | null)[];
  /** Best worst-objective similarity reached per seed. */
  readonly best: number[];
}

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '10' },
    population: { type: 'string', default: '50' },
    tournament: { type: 'string', default: '10' },
    'max-nodes': { type: 'string', default: '10' },
    ops: { type: 'string', default: 'paper' },
    target: { type: 'string', default: 'evonorm-s0' },
    objectives: { type: 'string', default: '2' },
    variants: { type: 'string', default: 'probes' },
    sweep: { type: 'boolean', default: false },
  },
});

const seeds = Number(args.seeds);
const budget = Number(args.budget);
const batch = Number(args.batch);
const spec: EvaluatorSpec = {
  kind: 'fast',
  target: args.target,
  objectives: Number(args.objectives),
  variants: args.variants === 'architectures' ? 'architectures' : 'probes',
  maxNodes: 10,
};
const targetFingerprint = functionalFingerprint(resolveLayer(args.target!).graph);

const settings: Setting[] = args.sweep
  ? ([
      { populationSize: 100, tournamentSize: 25, maxNodes: 10, ops: 'paper' },
      { populationSize: 50, tournamentSize: 10, maxNodes: 10, ops: 'paper' },
      { populationSize: 20, tournamentSize: 5, maxNodes: 10, ops: 'paper' },
      { populationSize: 50, tournamentSize: 10, maxNodes: 7, ops: 'paper' },
      { populationSize: 50, tournamentSize: 10, maxNodes: 7, ops: 'compact' },
    ] satisfies Omit<Setting, 'label'>[]).map((s) => ({ ...s, label: label(s) }))
  : [
      (() => {
        const s: Omit<Setting, 'label'> = {
          populationSize: Number(args.population),
          tournamentSize: Number(args.tournament),
          maxNodes: Number(args['max-nodes']),
          ops: args.ops === 'compact' ? 'compact' : 'paper',
        };
        return { ...s, label: label(s) };
      })(),
    ];

function label(s: Omit<Setting, 'label'>): string {
  return `P=${s.populationSize} T=${s.tournamentSize} maxNodes=${s.maxNodes} ops=${s.ops}`;
}

/** Evaluations by canonical hash: the fast objective is a pure function of the graph. */
const cache = new Map<string, Evaluation>();

/** Runs one search; returns the 1-based candidate counts at the first exact and near rediscovery. */
async function runSearch(pool: EvaluationPool, setting: Setting, seed: number, method: 'evolution' | 'random'): Promise<{ exact: number | null; near: number | null; best: number }> {
  const evolverSettings: EvolverSettings = {
    populationSize: setting.populationSize,
    tournamentSize: setting.tournamentSize,
    selection: method === 'random' ? 'random' : 'pareto',
    space: { maxNodes: setting.maxNodes, ops: setting.ops === 'paper' ? PAPER_OPS : COMPACT_OPS },
  };
  let state = createEvolver(Rng.fromSeed(`bench-search/${seed}`).child('search'), evolverSettings);
  let exact: number | null = null;
  let near: number | null = null;
  let spent = 0;
  let best = 0;
  while (spent < budget && exact === null) {
    const asked = ask(state, Math.min(batch, budget - spent));
    state = asked.state;
    const results: EvaluationResult[] = [];
    for (const candidate of asked.candidates) {
      spent++;
      let evaluation = cache.get(candidate.hash);
      if (evaluation === undefined) {
        evaluation = await pool.evaluate({ graph: candidate.graph, fingerprint: candidate.hash, seed });
        cache.set(candidate.hash, evaluation);
      }
      if (evaluation.status === 'ok') {
        results.push({ id: candidate.id, objectives: evaluation.objectives });
        best = Math.max(best, Math.min(...evaluation.objectives));
        if (evaluation.objectives.every((v) => v >= 0.999)) {
          near ??= spent;
          // Equal fingerprints imply objectives of 1, so only near candidates need one.
          if (exact === null && functionalFingerprint(candidate.graph) === targetFingerprint) exact = spent;
        }
      } else {
        results.push({ id: candidate.id, rejection: { reason: evaluation.reason, stage: evaluation.stage } });
      }
    }
    state = tell(state, results);
  }
  return { exact, near, best };
}

/** Median of candidate counts with never-found seeds counted as the budget; '>budget' when censored. */
function median(counts: readonly (number | null)[]): { value: number; censored: boolean } {
  const sorted = counts.map((c) => c ?? Infinity).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const value = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Number.isFinite(value) ? { value, censored: false } : { value: budget, censored: true };
}

function show(m: { value: number; censored: boolean }): string {
  return m.censored ? `>${m.value}` : String(m.value);
}

const pool = await createInlinePool(spec);
const report: Record<string, unknown>[] = [];
const started = performance.now();
console.log(`# bench-search: target ${args.target}, K=${spec.objectives} (${spec.variants}), ${seeds} seeds, budget ${budget}, batch ${batch}`);
for (const setting of settings) {
  const figures: Record<'evolution' | 'random', MethodFigures> = { evolution: { exact: [], near: [], best: [] }, random: { exact: [], near: [], best: [] } };
  for (let seed = 0; seed < seeds; seed++) {
    for (const method of ['evolution', 'random'] as const) {
      const found = await runSearch(pool, setting, seed, method);
      figures[method].exact.push(found.exact);
      figures[method].near.push(found.near);
      figures[method].best.push(found.best);
    }
  }
  const entry: Record<string, unknown> = { setting };
  for (const criterion of ['exact', 'near'] as const) {
    const evo = median(figures.evolution[criterion]);
    const rnd = median(figures.random[criterion]);
    const missEvo = figures.evolution[criterion].filter((c) => c === null).length;
    const missRnd = figures.random[criterion].filter((c) => c === null).length;
    // Censored medians make the ratio a bound: random's is a lower bound, evolution's an upper one.
    const ratio = rnd.value / evo.value;
    const ratioText = evo.censored && rnd.censored ? 'n/a (both censored)' : evo.censored ? `≤ ${ratio.toFixed(2)}` : rnd.censored ? `≥ ${ratio.toFixed(2)}` : ratio.toFixed(2);
    console.log(`${setting.label} | ${criterion} | evolution median candidates to rediscovery: ${show(evo)} (never found: ${missEvo}/${seeds})`);
    console.log(`${setting.label} | ${criterion} | random search median candidates to rediscovery: ${show(rnd)} (never found: ${missRnd}/${seeds})`);
    console.log(`${setting.label} | ${criterion} | ratio random / evolution: ${ratioText}`);
    entry[criterion] = {
      evolution: { perSeed: figures.evolution[criterion], median: evo.value, censored: evo.censored, neverFound: missEvo },
      random: { perSeed: figures.random[criterion], median: rnd.value, censored: rnd.censored, neverFound: missRnd },
      ratio: ratioText,
    };
  }
  for (const method of ['evolution', 'random'] as const) {
    const best = [...figures[method].best].sort((a, b) => a - b);
    console.log(`${setting.label} | ${method} median best min-objective similarity: ${best[Math.floor(best.length / 2)].toFixed(4)}`);
    entry[`${method}Best`] = figures[method].best;
  }
  report.push(entry);
}
await pool.close();
const seconds = (performance.now() - started) / 1000;
console.log(`# wall time ${seconds.toFixed(1)} s, ${cache.size} distinct graphs evaluated`);

mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/search.json',
  JSON.stringify(
    {
      command: `node --import tsx scripts/bench-search.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      target: args.target,
      spec,
      seeds,
      budget,
      batch,
      wallSeconds: seconds,
      results: report,
    },
    null,
    2,
  ) + '\n',
);
