/**
 * Benchmark: the evaluation budget (ISSUE 11, item 5). The same search (same config, same seeds)
 * runs twice per seed, interleaved: once with the paper's protocol (a separate quality training,
 * no hurdles) and once with the budget savers (the quality check continued into the proxy
 * training, hurdles). Per arm it prints, from the runs' journals:
 *   candidates proposed and fully scored, evaluation CPU time (Σ costMs of evaluations that were
 *   not cache hits), both per CPU-hour, the share rejected per stage, compute saved against
 *   training every candidate that passed the static check fully, and the front.
 * With --rerank-seeds N > 0 each run's front is re-ranked on the held-out split
 * (`evonorm rerank`), and the rerank tables are printed too.
 *
 * Usage: node --import tsx scripts/bench-budget.ts [--config configs/quick.json] [--seeds 0,1]
 *          [--max-candidates N] [--workers N|inline] [--fractions 0.5] [--percentile 50]
 *          [--rerank-seeds 0] [--runs-dir bench-results/budget-runs]
 * Prints one line per figure; writes bench-results/budget.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../src/config/load.js';
import { RunConfigSchema, type RunConfig } from '../src/config/run-config.js';
import { processIo } from '../src/cli/io.js';
import { startSearch } from '../src/run/loop/start-search.js';
import { readJournal } from '../src/run/journal/journal.js';
import { summarizeRun } from '../src/run/status/summary.js';
import { main } from '../src/cli/main.js';

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'configs/quick.json' },
    seeds: { type: 'string', default: '0' },
    'max-candidates': { type: 'string' },
    workers: { type: 'string' },
    fractions: { type: 'string', default: '0.5' },
    percentile: { type: 'string', default: '50' },
    'rerank-seeds': { type: 'string', default: '0' },
    'runs-dir': { type: 'string', default: 'bench-results/budget-runs' },
  },
});

type Arm = 'paper' | 'budget';
const ARMS: readonly Arm[] = ['paper', 'budget'];

/** The config of one arm: the paper's protocol, or the continued quality check plus hurdles. */
function armConfig(base: RunConfig, arm: Arm, seed: number): RunConfig {
  if (base.objective !== 'proxy') throw new Error('bench-budget needs a proxy config');
  const evaluation = base.evaluation!;
  const rejection = {
    ...evaluation.rejection,
    quality: { ...evaluation.rejection.quality, continued: arm === 'budget' },
    hurdles: {
      ...evaluation.rejection.hurdles,
      enabled: arm === 'budget',
      fractions: args.fractions!.split(',').map(Number),
      percentile: Number(args.percentile),
    },
  };
  const search = { ...base.search, ...(args['max-candidates'] ? { maxCandidates: Number(args['max-candidates']) } : {}) };
  return { ...base, seed, search, evaluation: { ...evaluation, rejection } } as RunConfig;
}

interface ArmFigures {
  readonly arm: Arm;
  readonly seed: number;
  readonly proposed: number;
  readonly scored: number;
  readonly cacheHits: number;
  readonly rejectedByStage: Record<string, number>;
  readonly cpuHours: number;
  readonly wallMinutes: number;
  readonly proposedPerCpuHour: number;
  readonly scoredPerCpuHour: number;
  /** 1 − CPU spent / CPU to train every statically valid candidate fully (at this arm's mean full cost). */
  readonly computeSaved: number;
  readonly front: readonly { expression: string; objectives: readonly number[] }[];
}

/** Figures of one finished run, from its journal. */
function figures(runPath: string, arm: Arm, seed: number, wallMs: number): ArmFigures {
  const { events } = readJournal(join(runPath, 'journal.jsonl'));
  const fresh = events.flatMap((e) => (e.type === 'evaluated' && !e.cached ? [e.evaluation] : []));
  const cpuMs = fresh.reduce((a, e) => a + e.costMs, 0);
  const full = fresh.filter((e) => e.status === 'ok');
  const meanFullMs = full.length > 0 ? full.reduce((a, e) => a + e.costMs, 0) / full.length : NaN;
  const pastStatic = fresh.filter((e) => !(e.status === 'rejected' && e.stage === 'static')).length;
  const summary = summarizeRun(events);
  const cpuHours = cpuMs / 3_600_000;
  return {
    arm, seed,
    proposed: summary.proposed,
    scored: full.length,
    cacheHits: summary.cacheHits,
    rejectedByStage: summary.rejectedByStage,
    cpuHours,
    wallMinutes: wallMs / 60_000,
    proposedPerCpuHour: summary.proposed / cpuHours,
    scoredPerCpuHour: full.length / cpuHours,
    computeSaved: 1 - cpuMs / (pastStatic * meanFullMs),
    front: summary.front.map((f) => ({ expression: f.expression, objectives: f.objectives })),
  };
}

const base = loadConfigFile(args.config!, RunConfigSchema);
const seeds = args.seeds!.split(',').map(Number);
const runsDir = args['runs-dir']!;
mkdirSync(runsDir, { recursive: true });
const results: ArmFigures[] = [];
const io = processIo();
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

for (const seed of seeds) {
  for (const arm of ARMS) {
    const name = `${arm}-seed${seed}`;
    rmSync(join(runsDir, name), { recursive: true, force: true });
    const started = Date.now();
    const workers = args.workers === undefined ? undefined : args.workers === 'inline' ? 'inline' as const : Number(args.workers);
    await startSearch({ config: armConfig(base, arm, seed), runsDir, name, workers, exportAtEnd: true });
    const f = figures(join(runsDir, name), arm, seed, Date.now() - started);
    results.push(f);
    const stages = Object.entries(f.rejectedByStage).map(([s, n]) => `${s} ${n}`).join(', ');
    console.log(`${name}: proposed ${f.proposed}, fully scored ${f.scored}, cache hits ${f.cacheHits}, rejected: ${stages || 'none'}`);
    console.log(`${name}: evaluation CPU ${(f.cpuHours * 60).toFixed(1)} min (wall ${f.wallMinutes.toFixed(1)} min); per CPU-hour: ${f.proposedPerCpuHour.toFixed(0)} proposed, ${f.scoredPerCpuHour.toFixed(1)} fully scored; compute saved vs training all ${(100 * f.computeSaved).toFixed(0)}%`);
    for (const m of f.front) console.log(`${name}: front ${m.objectives.map((v) => v.toFixed(4)).join('/')}  ${m.expression}`);
    const rerankSeeds = Number(args['rerank-seeds']);
    if (rerankSeeds > 0) await main(['rerank', join(runsDir, name), '--seeds', String(rerankSeeds)], io);
  }
}

for (const seed of seeds) {
  const [paper, budget] = ARMS.map((arm) => results.find((r) => r.arm === arm && r.seed === seed)!);
  console.log(`seed ${seed}: budget/paper fully scored per CPU-hour ${(budget.scoredPerCpuHour / paper.scoredPerCpuHour).toFixed(2)}×, proposed per CPU-hour ${(budget.proposedPerCpuHour / paper.proposedPerCpuHour).toFixed(2)}×`);
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/budget.json', `${JSON.stringify({ config: args.config, args, load: loadavg(), results }, null, 2)}\n`);
