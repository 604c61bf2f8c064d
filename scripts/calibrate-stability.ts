/**
 * Calibration of the stability probe (ISSUE 11, item 3): how often does it reject layers that
 * would have trained well?
 *
 *   from a finished proxy search run:
 *     R ← a seeded sample of the candidates the stability probe rejected
 *     S ← a seeded sample of the candidates that were fully scored
 *   train R anyway (the run's own evaluation, stability off): which pass the quality check,
 *     and how close each comes to the run's front (additive ε: the least amount by which every
 *     objective must rise for it to weakly dominate a front member; ≤ 0: it joins the front)
 *   good ← S ∪ {r ∈ R that scored};  bad ← R \ good
 *   for each probe setting of a small grid: probe good ∪ bad on every network;
 *     false rejections = rejected good / good, true rejections = rejected bad / bad, ms per probe
 *
 * Usage: node --import tsx scripts/calibrate-stability.ts <run> [--sample 12] [--scored 12]
 *          [--no-train] [--seed calibrate]
 * Prints one line per figure; writes bench-results/stability-calibration.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RunConfigSchema } from '../src/config/run-config.js';
import { createProxyEvaluator } from '../src/evaluate/proxy.js';
import { createStabilityProber, type StabilitySettings } from '../src/evaluate/stability-stage.js';
import type { Evaluation } from '../src/evaluate/types.js';
import { graphFromJson, parseExpression, type LayerGraph } from '../src/graph/index.js';
import { readJournal } from '../src/run/journal/journal.js';
import { Rng } from '../src/util/rng.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sample: { type: 'string', default: '12' },
    scored: { type: 'string', default: '12' },
    'no-train': { type: 'boolean', default: false },
    seed: { type: 'string', default: 'calibrate' },
  },
});
const runPath = positionals[0];
if (!runPath) {
  console.error('usage: calibrate-stability.ts <run folder> [--sample N] [--scored N] [--no-train]');
  process.exit(2);
}

const config = RunConfigSchema.parse(JSON.parse(readFileSync(join(runPath, 'config.json'), 'utf8')));
if (config.objective !== 'proxy') throw new Error('calibration needs a proxy search run');
const evaluation = config.evaluation!;
const { events } = readJournal(join(runPath, 'journal.jsonl'));

interface Known {
  readonly id: number;
  readonly expression: string;
  readonly graph: LayerGraph;
  readonly fingerprint: string;
  readonly evaluation: Evaluation;
}
const graphs = new Map<number, { expression: string; graph: LayerGraph }>();
for (const e of events) {
  if (e.type === 'proposed') graphs.set(e.id, { expression: e.expression, graph: e.graph ? graphFromJson(e.graph) : parseExpression(e.expression) });
}
const known: Known[] = events.flatMap((e) =>
  e.type === 'evaluated' && !e.cached && e.fingerprint && graphs.has(e.id) ? [{ id: e.id, fingerprint: e.fingerprint, evaluation: e.evaluation, ...graphs.get(e.id)! }] : []);
const rng = Rng.fromSeed(args.seed!);
const rejectedAll = known.filter((k) => k.evaluation.status === 'rejected' && k.evaluation.stage === 'stability');
const scoredAll = known.filter((k) => k.evaluation.status === 'ok');
const rejected = rng.child('rejected').sample(rejectedAll, Math.min(Number(args.sample), rejectedAll.length));
const scored = rng.child('scored').sample(scoredAll, Math.min(Number(args.scored), scoredAll.length));
const front = nonDominated(scoredAll.map((k) => (k.evaluation as { objectives: readonly number[] }).objectives));
console.log(`machine load ${loadavg().map((v) => v.toFixed(2)).join(' ')}; run ${runPath}: ${known.length} evaluated, ${rejectedAll.length} rejected by the stability probe, ${scoredAll.length} scored, front of ${front.length}`);
console.log(`sample: ${rejected.length} stability-rejected, ${scored.length} scored`);

// 1. Train the rejected sample anyway.
const rescued: { id: number; expression: string; status: string; stage?: string; objectives?: readonly number[]; epsilon?: number; probeReason: string }[] = [];
if (!args['no-train']) {
  const evaluator = await createProxyEvaluator({ ...evaluation, rejection: { ...evaluation.rejection, stability: { ...evaluation.rejection.stability, enabled: false }, hurdles: { ...evaluation.rejection.hurdles, enabled: false } } });
  for (const r of rejected) {
    const e = await evaluator.evaluate({ graph: r.graph, fingerprint: r.fingerprint, seed: config.seed });
    const probeReason = r.evaluation.status === 'rejected' ? r.evaluation.reason : '';
    const row = e.status === 'ok'
      ? { id: r.id, expression: r.expression, status: 'ok', objectives: e.objectives, epsilon: epsilonToFront(e.objectives, front), probeReason }
      : { id: r.id, expression: r.expression, status: 'rejected', stage: e.stage, probeReason };
    rescued.push(row);
    const what = row.status === 'ok' ? `scored ${row.objectives!.map((v) => v.toFixed(4)).join('/')}, ε to front ${row.epsilon!.toFixed(4)}` : `rejected at ${row.stage}`;
    console.log(`trained anyway: #${r.id} ${what}  (probe: ${probeReason})  ${r.expression}`);
  }
  const passedQuality = rescued.filter((r) => r.status === 'ok' || (r.stage !== 'quality' && r.stage !== 'static')).length;
  const scoredRescued = rescued.filter((r) => r.status === 'ok');
  const joins = scoredRescued.filter((r) => r.epsilon! <= 0).length;
  const eps = scoredRescued.map((r) => r.epsilon!).sort((a, b) => a - b);
  console.log(`trained anyway: ${passedQuality} of ${rescued.length} pass the quality check, ${scoredRescued.length} score, ${joins} would join the front; median ε to the front ${eps.length ? eps[Math.floor(eps.length / 2)].toFixed(4) : '-'}`);
}

// 2. The probe under a grid of settings on good and bad layers.
const goodIds = new Set([...scored.map((s) => s.id), ...rescued.filter((r) => r.status === 'ok').map((r) => r.id)]);
const probed = [...scored, ...rejected.filter((r) => args['no-train'] || rescued.some((x) => x.id === r.id))];
const current = evaluation.rejection.stability;
const GRID: readonly [string, StabilitySettings][] = [
  ['config', current],
  ['paper (100 steps, 1e8)', { ...current, steps: 100, threshold: 1e8, stepSize: 1, batchSize: 32 }],
  ['threshold 1e10', { ...current, threshold: 1e10 }],
  ['threshold 1e6', { ...current, threshold: 1e6 }],
  ['5 steps', { ...current, steps: 5 }],
  ['step size 0.1', { ...current, stepSize: 0.1 }],
];
const prober = await createStabilityProber(evaluation);
const table: { setting: string; falseRejections: string; trueRejections: string; msPerProbe: number }[] = [];
for (const [label, settings] of GRID) {
  let good = 0, goodRejected = 0, bad = 0, badRejected = 0, ms = 0;
  for (const c of probed) {
    const t = performance.now();
    const passed = prober.probe(c.graph, c.fingerprint, config.seed, settings).every((r) => r.passed);
    ms += performance.now() - t;
    if (goodIds.has(c.id)) { good++; if (!passed) goodRejected++; } else { bad++; if (!passed) badRejected++; }
  }
  const row = { setting: label, falseRejections: `${goodRejected}/${good}`, trueRejections: `${badRejected}/${bad}`, msPerProbe: ms / Math.max(1, probed.length) };
  table.push(row);
  console.log(`probe ${label} (steps ${settings.steps}, threshold ${settings.threshold.toExponential(0)}, step ${settings.stepSize}, batch ${settings.batchSize}): rejects ${row.falseRejections} good, ${row.trueRejections} bad; ${row.msPerProbe.toFixed(0)} ms per candidate`);
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/stability-calibration.json', `${JSON.stringify({ run: runPath, load: loadavg(), rescued, table }, null, 2)}\n`);

/** Additive ε-indicator of `point` to a front (maximisation): min over members of max_k(member_k − point_k). */
function epsilonToFront(point: readonly number[], members: readonly (readonly number[])[]): number {
  return Math.min(...members.map((m) => Math.max(...m.map((v, k) => v - point[k]))));
}

/** The non-dominated points (maximisation). */
function nonDominated(points: readonly (readonly number[])[]): (readonly number[])[] {
  const dominates = (a: readonly number[], b: readonly number[]) => a.every((v, k) => v >= b[k]) && a.some((v, k) => v > b[k]);
  return points.filter((p) => !points.some((q) => dominates(q, p)));
}
