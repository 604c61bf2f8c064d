/**
 * Benchmark: does evolution rediscover a known layer (EvoNorm-S0) with fewer candidates than
 * random search? Evolution is the pure evolver (src/search, Pareto tournament, aging) scored by
 * the training-free fast objective (src/evaluate/fast-objective.ts, graded 'affine-fit'
 * similarity by default) through the inline pool; random search is the same evolver with
 * selection 'random', whose proposals do not depend on scores, so its candidates are only
 * checked for rediscovery (cheaply: a small probe first, the fingerprint on a match).
 *
 *   for each seed: for each method: propose candidates until the budget is spent or
 *     rediscovered = first candidate whose functional fingerprint equals the target's
 *   per method: median candidates to rediscovery, never-found seeds counted as the budget
 *   (the median is then a censored lower bound, shown as '>budget'), ratio random / evolution.
 *   Random search's expected cost is also computed analytically: a lower bound on the chance
 *   p that one random graph computes the target (see hitProbability), expected cost 1/p.
 *
 * Usage: node --import tsx scripts/bench-search.ts [--target evonorm-s0] [--seeds 10] [--budget 500000]
 *          [--random-budget <budget>] [--batch 10] [--population 200] [--tournament 50]
 *          [--max-nodes 10] [--insert 1] [--delete 1] [--wrap 1] [--drift 1] [--ops paper|op,op,...] [--objectives 2]
 *          [--variants probes|architectures] [--similarity affine-fit|correlation]
 * Prints one line per figure; writes bench-results/search.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { createInlinePool } from '../src/dispatch/index.js';
import type { EvaluatorSpec } from '../src/evaluate/registry.js';
import type { Evaluation } from '../src/evaluate/types.js';
import { canonicalHash, canonicalize, liveNodes, parseExpression, resolveLayer } from '../src/graph/index.js';
import { INPUT_COUNT, OPS, type OpName } from '../src/graph/ops.js';
import type { LayerGraph } from '../src/graph/types.js';
import { argChoices, ask, createEvolver, searchSpace, tell, PAPER_OPS, type EvaluationResult, type EvolverSettings, type SearchSpace } from '../src/search/index.js';
import { functionalFingerprint } from '../src/tensor/fingerprint.js';
import { interpretGraph, type Tensor64 } from '../src/tensor/interpret.js';
import { Rng } from '../src/util/rng.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    budget: { type: 'string', default: '500000' },
    'random-budget': { type: 'string' },
    batch: { type: 'string', default: '10' },
    population: { type: 'string', default: '200' },
    tournament: { type: 'string', default: '50' },
    'max-nodes': { type: 'string', default: '10' },
    insert: { type: 'string', default: '1' },
    delete: { type: 'string', default: '1' },
    wrap: { type: 'string', default: '1' },
    drift: { type: 'string', default: '1' },
    ops: { type: 'string', default: 'paper' },
    objectives: { type: 'string', default: '2' },
    variants: { type: 'string', default: 'probes' },
    similarity: { type: 'string', default: 'affine-fit' },
    target: { type: 'string', default: 'evonorm-s0' },
  },
});

const TARGET = args.target;
/** Other ways to write EvoNorm-S0 with its six ops (for the analytic bound); checked below. */
const S0_FORMS = [
  'x * sigmoid(v1 * x) / sqrt(var_group(x))',
  'x / sqrt(var_group(x)) * sigmoid(v1 * x)',
  'x * (sigmoid(v1 * x) / sqrt(var_group(x)))',
  'x / (sqrt(var_group(x)) / sigmoid(v1 * x))',
  'sigmoid(v1 * x) / (sqrt(var_group(x)) / x)',
];
/** Intermediate graphs on the way to the target: their scores show the gradient. */
const STEPPING_STONES = ['x', 'max(x, zero)', 'x * sigmoid(x)', 'x * sigmoid(v1 * x)', 'x / sqrt(var_group(x))', 'x * sigmoid(x) / sqrt(var_group(x))', S0_FORMS[0]];

const seeds = Number(args.seeds);
const budget = Number(args.budget);
const randomBudget = Number(args['random-budget'] ?? args.budget);
const batch = Number(args.batch);
// --ops paper (Table 1, default) or a comma-separated op list (a smaller space, stated in the output).
const ops = args.ops === 'paper' ? PAPER_OPS : (args.ops.split(',') as OpName[]);
const space: SearchSpace = searchSpace({ maxNodes: Number(args['max-nodes']), ops });
const evolverSettings: EvolverSettings = {
  populationSize: Number(args.population),
  tournamentSize: Number(args.tournament),
  space,
  mutation: { weights: { insert: Number(args.insert), delete: Number(args.delete), wrap: Number(args.wrap) }, drift: Number(args.drift) },
};
const spec: EvaluatorSpec = {
  kind: 'fast',
  target: TARGET,
  objectives: Number(args.objectives),
  variants: args.variants === 'architectures' ? 'architectures' : 'probes',
  maxNodes: space.maxNodes,
};
const similarity = args.similarity === 'correlation' ? 'correlation' : 'affine-fit';
const target = resolveLayer(TARGET).graph;
// The analytic bound for random search sums over known forms of the target: S0's five, or the
// target's own form for any other target (still a lower bound on the chance).
const TARGET_FORMS: readonly string[] = functionalFingerprint(target) === functionalFingerprint(resolveLayer('evonorm-s0').graph) ? S0_FORMS : [TARGET];
const targetFingerprint = functionalFingerprint(target);

/** A small probe for the random arm's cheap pre-check: a match here is confirmed by the fingerprint. */
const quickProbe: Tensor64 = (() => {
  const rng = Rng.fromSeed('bench-search/quick-probe');
  return { shape: [2, 2, 2, 8], data: Float64Array.from({ length: 64 }, () => 3 * rng.normal()) };
})();
const quickParams = { v0: Float64Array.from({ length: 8 }, (_, i) => 0.1 * i - 0.3), v1: Float64Array.from({ length: 8 }, (_, i) => 0.6 + 0.1 * i), groups: 2 };
const quickTarget = interpretGraph(target, quickProbe, quickParams).data;

/** True when the graph computes the target: quick probe first, then the functional fingerprint. */
function isTarget(graph: LayerGraph): boolean {
  const out = interpretGraph(graph, quickProbe, quickParams).data;
  for (let i = 0; i < out.length; i++) if (!(Math.abs(out[i] - quickTarget[i]) <= 1e-6 * (1 + Math.abs(quickTarget[i])))) return false;
  return functionalFingerprint(graph) === targetFingerprint;
}

/**
 * A lower bound on the chance that one random graph of `space` (src/search/random-graph.ts:
 * n ~ uniform{minNodes..maxNodes}, each node an op uniform over space.ops reading arguments
 * uniform over the allowed inputs and earlier nodes) computes `form` through exactly its own
 * live nodes: the sum, over every placement of those nodes at increasing positions with the
 * output last, of the chance of drawing each placed node's op and arguments (×2 for a
 * commutative op with distinct arguments). Distinct placements (and distinct forms) are
 * disjoint events; graphs that compute the target with extra live nodes are not counted, and
 * redraws of invalid graphs only raise the true chance.
 */
function hitProbability(form: LayerGraph, sp: SearchSpace): number {
  const graph = canonicalize(form);
  const live = new Set(liveNodes(graph));
  const nodes = graph.nodes.map((node, k) => ({ node, k })).filter(({ k }) => live.has(INPUT_COUNT + k));
  if (nodes.some(({ node }) => !sp.ops.includes(node.op))) return 0;
  const m = nodes.length;
  const readers = nodes.map(({ k }) => nodes.map(({ node }, j) => (node.args.includes(INPUT_COUNT + k) ? j : -1)).filter((j) => j >= 0));
  const nodeChance = (j: number, position: number): number => {
    const { node } = nodes[j];
    const choices = argChoices(sp, position).length;
    const distinct = node.args.length === 2 && node.args[0] !== node.args[1];
    return (1 / sp.ops.length) * (1 / choices) ** node.args.length * (OPS[node.op].commutative && distinct ? 2 : 1);
  };
  let total = 0;
  for (let n = Math.max(m, sp.minNodes); n <= sp.maxNodes; n++) {
    const position = new Array<number>(m).fill(-1);
    const used = new Set<number>();
    // Place nodes from the output down; each goes below all of its readers.
    const place = (j: number): number => {
      if (j < 0) return 1;
      const limit = j === m - 1 ? n : Math.min(...readers[j].map((r) => position[r]));
      const candidates = j === m - 1 ? [n - 1] : Array.from({ length: limit }, (_, p) => p).filter((p) => !used.has(p));
      let sum = 0;
      for (const p of candidates) {
        position[j] = p;
        used.add(p);
        sum += nodeChance(j, p) * place(j - 1);
        used.delete(p);
      }
      return sum;
    };
    total += place(m - 1) / (sp.maxNodes - sp.minNodes + 1);
  }
  return total;
}

/** Median of per-seed counts, never-found seeds counted as `cap`; censored when the median is one of them. */
function median(counts: readonly (number | null)[], cap: number): { value: number; censored: boolean } {
  const sorted = counts.map((c) => c ?? Infinity).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const value = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Number.isFinite(value) ? { value, censored: false } : { value: cap, censored: true };
}

const pool = await createInlinePool(spec);
// The registry builds the default similarity; for 'correlation' build the evaluator directly.
const { createFastObjective } = await import('../src/evaluate/fast-objective.js');
const evaluator = similarity === 'correlation' ? createFastObjective({ ...spec, similarity }) : null;
const evaluate = (graph: LayerGraph, hash: string, seed: number): Promise<Evaluation> =>
  evaluator ? evaluator.evaluate({ graph, fingerprint: hash, seed }) : pool.evaluate({ graph, fingerprint: hash, seed });
const cache = new Map<string, Evaluation>();

/** One evolution run: candidates until the first rediscovery (1-based) or null, and the best min-objective. */
async function evolve(seed: number): Promise<{ found: number | null; best: number }> {
  let state = createEvolver(Rng.fromSeed(`bench-search/${seed}`).child('search'), { ...evolverSettings, selection: 'pareto' });
  let spent = 0;
  let best = 0;
  while (spent < budget) {
    const asked = ask(state, Math.min(batch, budget - spent));
    state = asked.state;
    const results: EvaluationResult[] = [];
    for (const candidate of asked.candidates) {
      spent++;
      let evaluation = cache.get(candidate.hash);
      if (evaluation === undefined) {
        evaluation = await evaluate(candidate.graph, candidate.hash, seed);
        cache.set(candidate.hash, evaluation);
      }
      if (evaluation.status === 'rejected') {
        results.push({ id: candidate.id, rejection: { reason: evaluation.reason, stage: evaluation.stage } });
        continue;
      }
      results.push({ id: candidate.id, objectives: evaluation.objectives });
      best = Math.max(best, Math.min(...evaluation.objectives));
      // The target scores 1 on every objective, so only near-perfect candidates need the check.
      if (evaluation.objectives.every((v) => v >= 0.999) && isTarget(candidate.graph)) return { found: spent, best };
    }
    state = tell(state, results);
  }
  return { found: null, best };
}

/** One random-search run: its proposals ignore scores, so candidates are only checked. */
function randomSearch(seed: number): number | null {
  let state = createEvolver(Rng.fromSeed(`bench-search/${seed}`).child('search'), { ...evolverSettings, selection: 'random' });
  for (let spent = 0; spent < randomBudget; ) {
    const asked = ask(state, Math.min(batch, randomBudget - spent));
    const results: EvaluationResult[] = [];
    for (const candidate of asked.candidates) {
      spent++;
      if (isTarget(candidate.graph)) return spent;
      results.push({ id: candidate.id, rejection: { reason: 'not scored (random search)', stage: 'static' } });
    }
    state = tell(asked.state, results);
  }
  return null;
}

const started = performance.now();
const label = `P=${evolverSettings.populationSize} T=${evolverSettings.tournamentSize} maxNodes=${space.maxNodes} ops=${args.ops === 'paper' ? 'paper' : args.ops}(${space.ops.length}) insert/delete/wrap=${args.insert}/${args.delete}/${args.wrap} drift=${args.drift}`;
console.log(`# bench-search: target ${TARGET}, K=${spec.objectives} (${spec.variants}, ${similarity}), ${seeds} seeds, budget ${budget} (random ${randomBudget}), batch ${batch}, ${label}`);

const stones: Record<string, readonly number[] | string> = {};
for (const expression of STEPPING_STONES) {
  const evaluation = await evaluate(parseExpression(expression), expression, 0);
  stones[expression] = evaluation.status === 'ok' ? evaluation.objectives : `rejected: ${evaluation.reason}`;
  console.log(`stepping stone ${expression} | objectives: ${evaluation.status === 'ok' ? evaluation.objectives.map((v) => v.toFixed(4)).join(' ') : 'rejected'}`);
}

const forms = TARGET_FORMS.map((f) => resolveLayer(f).graph);
if (new Set(forms.map(canonicalHash)).size !== forms.length || forms.some((f) => functionalFingerprint(f) !== targetFingerprint)) {
  throw new Error('TARGET_FORMS must be structurally distinct forms of the target');
}
const p = forms.reduce((sum, f) => sum + hitProbability(f, space), 0);
console.log(`random search | analytic chance per candidate ≥ ${p.toExponential(2)} (${forms.length} form${forms.length === 1 ? '' : 's'} of the target), expected candidates to rediscovery ≤ ${(1 / p).toExponential(2)}, median ≤ ${(Math.LN2 / p).toExponential(2)}`);

const evo: { found: number | null; best: number }[] = [];
const rnd: (number | null)[] = [];
for (let seed = 0; seed < seeds; seed++) {
  const t0 = performance.now();
  evo.push(await evolve(seed));
  const t1 = performance.now();
  rnd.push(randomSearch(seed));
  const t2 = performance.now();
  const found = (n: number | null, cap: number): string => (n === null ? `>${cap}` : String(n));
  console.log(`seed ${seed} | evolution ${found(evo[seed].found, budget)} (${((t1 - t0) / 1000).toFixed(0)} s) | random ${found(rnd[seed], randomBudget)} (${((t2 - t1) / 1000).toFixed(0)} s)`);
}
await pool.close();

const evoMedian = median(evo.map((r) => r.found), budget);
const rndMedian = median(rnd, randomBudget);
const missEvo = evo.filter((r) => r.found === null).length;
const missRnd = rnd.filter((c) => c === null).length;
const show = (m: { value: number; censored: boolean }): string => (m.censored ? `>${m.value}` : String(m.value));
// Censored medians make the ratio a bound: random's is a lower bound, evolution's an upper one.
const ratio = rndMedian.value / evoMedian.value;
const ratioText = evoMedian.censored && rndMedian.censored ? 'n/a (both censored)' : evoMedian.censored ? `≤ ${ratio.toFixed(2)}` : rndMedian.censored ? `≥ ${ratio.toFixed(2)}` : ratio.toFixed(2);
// p is a lower bound on random search's chance, so ln2/p bounds its median from ABOVE.
const analyticRatio = evoMedian.censored ? 'n/a (evolution never found it)' : `≤ ${(Math.LN2 / p / evoMedian.value).toExponential(2)} (upper bound on random's median / evolution median)`;
const bestSorted = evo.map((r) => r.best).sort((a, b) => a - b);
console.log(`evolution | median candidates to rediscovery: ${show(evoMedian)} (never found: ${missEvo}/${seeds}; per seed: ${evo.map((r) => r.found ?? '-').join(' ')})`);
console.log(`random search | median candidates to rediscovery: ${show(rndMedian)} (never found: ${missRnd}/${seeds}; per seed: ${rnd.map((c) => c ?? '-').join(' ')})`);
console.log(`ratio random / evolution (measured medians): ${ratioText}`);
console.log(`ratio random / evolution (analytic random): ${analyticRatio}`);
console.log(`evolution | median best min-objective: ${bestSorted[Math.floor(bestSorted.length / 2)].toFixed(4)}`);
const seconds = (performance.now() - started) / 1000;
console.log(`# wall time ${seconds.toFixed(1)} s, ${cache.size} distinct graphs scored`);

mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/search.json',
  JSON.stringify(
    {
      command: `node --import tsx scripts/bench-search.ts ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      target: TARGET,
      spec: { ...spec, similarity },
      evolver: evolverSettings,
      seeds,
      budget,
      randomBudget,
      batch,
      steppingStones: stones,
      analytic: { chancePerCandidate: p, expectedCandidates: 1 / p, medianCandidates: Math.LN2 / p, forms: TARGET_FORMS },
      evolution: { perSeed: evo.map((r) => r.found), median: evoMedian.value, censored: evoMedian.censored, neverFound: missEvo, bestMinObjective: evo.map((r) => r.best) },
      random: { perSeed: rnd, median: rndMedian.value, censored: rndMedian.censored, neverFound: missRnd },
      ratio: ratioText,
      analyticRatio,
      wallSeconds: seconds,
    },
    null,
    2,
  ) + '\n',
);
