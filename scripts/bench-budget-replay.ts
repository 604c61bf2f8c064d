/**
 * Benchmark: the evaluation budget savers (ISSUE 11, items 1–3, 5) on the SAME candidates.
 * `npm run bench:budget` runs two searches, whose trajectories part after the first decision
 * that differs, so its per-seed ratios mix the savers' effect with search noise. This replays
 * the fresh (not cached) candidates of one finished run, in id order, through both protocols in
 * one process, interleaved per candidate:
 *
 *   paper : a separate quality training (Q steps) then the full proxy trainings, no hurdles
 *   budget: the quality check as the first Q steps of the proxy training, hurdles at `fractions`
 *           from the budget arm's own earlier results (ids below the candidate's)
 *
 * CPU time is this process's (process.cpuUsage around each evaluation), so a busy machine does
 * not bias it. Prints per arm: CPU, fully scored, rejections by stage, scored per CPU-hour; the
 * candidates the budget arm stopped that the paper arm scored, and whether any was on the paper
 * arm's front; and how far the objectives of candidates both scored differ (the continued
 * training is the paper arm's proxy training, so they should be equal).
 *
 * Usage: node --import tsx scripts/bench-budget-replay.ts <run folder> [--fractions 0.5]
 *          [--percentile 50] [--limit N] [--backend wasm]
 * Writes bench-results/budget-replay-<run name>.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ProxyConfigSchema, type ProxyConfig } from '../src/evaluate/config.js';
import { createProxyEvaluator } from '../src/evaluate/proxy.js';
import type { Evaluation, Evaluator } from '../src/evaluate/types.js';
import { graphFromJson } from '../src/graph/json.js';
import { HurdleBook } from '../src/run/loop/hurdle-book.js';
import { readJournal } from '../src/run/journal/journal.js';
import { nonDominatedSort } from '../src/search/pareto.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fractions: { type: 'string', default: '0.5' },
    percentile: { type: 'string', default: '50' },
    limit: { type: 'string' },
    backend: { type: 'string' },
  },
});
const runPath = positionals[0];
if (runPath === undefined) throw new Error('usage: bench-budget-replay.ts <run folder> [--fractions 0.5] [--percentile 50] [--limit N]');

for (const file of ['config.json', 'journal.jsonl']) {
  if (!existsSync(join(runPath, file))) {
    console.error(`bench-budget-replay: ${runPath} is not a run folder (no ${file}); give a finished search's folder, e.g. runs/<name>`);
    process.exit(3);
  }
}

type Arm = 'paper' | 'budget';
const runConfig = JSON.parse(readFileSync(join(runPath, 'config.json'), 'utf8')) as { seed: number | string; evaluation: unknown };
const base = ProxyConfigSchema.parse(runConfig.evaluation);

function armConfig(arm: Arm): ProxyConfig {
  const r = base.rejection;
  return ProxyConfigSchema.parse({
    ...base,
    ...(args.backend ? { backend: args.backend } : {}),
    rejection: {
      ...r,
      quality: { ...r.quality, continued: arm === 'budget' },
      hurdles: { ...r.hurdles, enabled: arm === 'budget', fractions: args.fractions!.split(',').map(Number), percentile: Number(args.percentile) },
    },
  });
}

// The run's first evaluation of each function, in id order, with its graph.
const { events } = readJournal(join(runPath, 'journal.jsonl'));
const graphs = new Map(events.flatMap((e) => (e.type === 'proposed' ? [[e.id, graphFromJson(e.graph)] as const] : [])));
let candidates = events
  .flatMap((e) => (e.type === 'evaluated' && !e.cached && e.fingerprint !== null ? [{ id: e.id, fingerprint: e.fingerprint, journaled: e.evaluation }] : []))
  .sort((a, b) => a.id - b.id);
if (args.limit) candidates = candidates.slice(0, Number(args.limit));

const configs = { paper: armConfig('paper'), budget: armConfig('budget') };
const evaluators: Record<Arm, Evaluator> = {
  paper: await createProxyEvaluator(configs.paper),
  budget: await createProxyEvaluator(configs.budget),
};
const book = new HurdleBook(configs.budget.rejection.hurdles, configs.budget.training.steps);
const cpuSeconds = (from: NodeJS.CpuUsage): number => { const d = process.cpuUsage(from); return (d.user + d.system) / 1e6; };

interface Row { id: number; paper: Evaluation; budget: Evaluation; cpu: Record<Arm, number> }
const rows: Row[] = [];
console.log(`replaying ${candidates.length} candidates of ${runPath} (seed ${runConfig.seed}); machine ${cpus().length} × ${cpus()[0]?.model.trim()}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [i, c] of candidates.entries()) {
  const graph = graphs.get(c.id)!;
  const request = { graph, fingerprint: c.fingerprint, seed: runConfig.seed };
  const t0 = process.cpuUsage();
  const paper = await evaluators.paper.evaluate(request);
  const paperCpu = cpuSeconds(t0);
  const t1 = process.cpuUsage();
  const budget = await evaluators.budget.evaluate({ ...request, hurdles: book.hurdlesFor(c.id) });
  const budgetCpu = cpuSeconds(t1);
  book.add(c.id, budget, false);
  rows.push({ id: c.id, paper, budget, cpu: { paper: paperCpu, budget: budgetCpu } });
  if ((i + 1) % 10 === 0) console.error(`${i + 1}/${candidates.length} replayed`);
}

const stageOf = (e: Evaluation): string => (e.status === 'ok' ? 'scored' : e.stages?.at(-1)?.stage ?? e.stage ?? 'rejected');
const summary: Record<Arm, { cpuSeconds: number; scored: number; byStage: Record<string, number> }> = {
  paper: { cpuSeconds: 0, scored: 0, byStage: {} },
  budget: { cpuSeconds: 0, scored: 0, byStage: {} },
};
for (const r of rows) {
  for (const arm of ['paper', 'budget'] as const) {
    const s = summary[arm];
    s.cpuSeconds += r.cpu[arm];
    if (r[arm].status === 'ok') s.scored++;
    const stage = stageOf(r[arm]);
    s.byStage[stage] = (s.byStage[stage] ?? 0) + 1;
  }
}
const scoredByPaper = rows.filter((r) => r.paper.status === 'ok');
const front = new Set(nonDominatedSort(scoredByPaper.map((r) => (r.paper as Extract<Evaluation, { status: 'ok' }>).objectives))[0]!.map((i) => scoredByPaper[i]!.id));
const stopped = scoredByPaper.filter((r) => r.budget.status !== 'ok');
let maxObjectiveDiff = 0;
for (const r of rows) {
  if (r.paper.status !== 'ok' || r.budget.status !== 'ok') continue;
  r.paper.objectives.forEach((v, k) => { maxObjectiveDiff = Math.max(maxObjectiveDiff, Math.abs(v - (r.budget as typeof r.paper).objectives[k]!)); });
}

console.log('\n| arm | candidates | fully scored | ended at (stage: n) | CPU | fully scored / CPU-hour | candidates / CPU-hour |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const arm of ['paper', 'budget'] as const) {
  const s = summary[arm];
  const stages = Object.entries(s.byStage).filter(([k]) => k !== 'scored').map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`| ${arm} | ${rows.length} | ${s.scored} | ${stages} | ${(s.cpuSeconds / 60).toFixed(1)} min | ${(s.scored / (s.cpuSeconds / 3600)).toFixed(1)} | ${(rows.length / (s.cpuSeconds / 3600)).toFixed(0)} |`);
}
const ratio = (summary.budget.scored / summary.budget.cpuSeconds) / (summary.paper.scored / summary.paper.cpuSeconds);
console.log(`\nbudget / paper: ${ratio.toFixed(2)}× fully scored per CPU-hour, ${(summary.paper.cpuSeconds / summary.budget.cpuSeconds).toFixed(2)}× candidates per CPU-hour`);
console.log(`scored by the paper arm but stopped by the budget arm: ${stopped.length} (${stopped.map((r) => `#${r.id} at ${stageOf(r.budget)}${front.has(r.id) ? ', ON THE PAPER FRONT' : ''}`).join('; ') || 'none'})`);
console.log(`paper-arm front: ${[...front].map((id) => `#${id}`).join(', ')}; max |objective difference| of candidates both arms scored: ${maxObjectiveDiff.toExponential(2)}`);

mkdirSync('bench-results', { recursive: true });
writeFileSync(join('bench-results', `budget-replay-${basename(runPath)}.json`), `${JSON.stringify({ run: runPath, args, load: loadavg(), summary, ratio, stopped: stopped.map((r) => r.id), front: [...front], rows: rows.map((r) => ({ id: r.id, cpu: r.cpu, paper: stageOf(r.paper), budget: stageOf(r.budget) })) }, null, 2)}\n`);
for (const e of Object.values(evaluators)) e.dispose();
