/**
 * Benchmark: does a family cap keep the population from collapsing into one structural family,
 * and what does it cost the front? The same quick searches (same seeds, same settings) with and
 * without `search.diversity.familyCap`, through the real run machinery (startSearch, journal,
 * the diversity reader src/run/replay/diversity.ts), scored by the training-free fast objective (the
 * proxy is too slow for several seeds on a loaded 2-core machine).
 *
 *   for each seed: for cap in [null, --cap]: run the search; read its journal
 *     figures: largest family's share at 25/50/75/100% of the budget and its mean over the second
 *     half, distinct functions at the end, the front (size, best per objective, its families),
 *     the fast objective's rediscovery of its target (a front member with the target's function),
 *     CPU and wall time
 *
 * Usage: node --import tsx scripts/bench-diversity.ts [--seeds 3] [--budget 2000] [--population 50]
 *          [--tournament 12] [--batch 5] [--cap 0.25] [--target evonorm-s0]
 * Prints one line per figure; writes bench-results/diversity.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RunConfigSchema } from '../src/config/run-config.js';
import { parseExpression, structuralFamily } from '../src/graph/index.js';
import { readJournal } from '../src/run/journal/journal.js';
import { startSearch } from '../src/run/loop/start-search.js';
import { summarizeRun } from '../src/run/status/summary.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    budget: { type: 'string', default: '2000' },
    population: { type: 'string', default: '50' },
    tournament: { type: 'string', default: '12' },
    batch: { type: 'string', default: '5' },
    cap: { type: 'string', default: '0.25' },
    target: { type: 'string', default: 'evonorm-s0' },
  },
});
const seeds = Number(args.seeds);
const budget = Number(args.budget);
const cap = Number(args.cap);

interface Figures {
  readonly seed: number;
  readonly cap: number | null;
  readonly shareAt: Record<string, number>;
  readonly meanShareSecondHalf: number;
  readonly largestFamilyAtEnd: string | null;
  readonly distinctFunctionsAtEnd: number;
  readonly familiesAtEnd: number;
  readonly frontSize: number;
  readonly bestPerObjective: number[];
  readonly frontFamilies: Record<string, number>;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

const root = mkdtempSync(join(tmpdir(), 'evonorm-bench-diversity-'));
const results: Figures[] = [];
const load = loadavg();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average ${load.map((v) => v.toFixed(2)).join(' ')}`);
try {
  for (let seed = 0; seed < seeds; seed++) {
    for (const familyCap of [null, cap]) {
      const config = RunConfigSchema.parse({
        seed,
        objective: 'fast',
        fast: { target: args.target, objectives: 2 },
        search: {
          populationSize: Number(args.population), tournamentSize: Number(args.tournament), batchSize: Number(args.batch), maxCandidates: budget,
          space: { maxNodes: 10 }, mutation: { weights: { insert: 1, delete: 1, wrap: 1 }, drift: 1 },
          diversity: { familyCap },
        },
        dispatch: { mode: 'inline' },
      });
      const cpu0 = process.cpuUsage();
      const wall0 = Date.now();
      const done = await startSearch({ config, runsDir: root, name: `s${seed}-${familyCap ?? 'off'}`, workers: 'inline', fsync: false, exportAtEnd: false });
      const cpu = process.cpuUsage(cpu0);
      const summary = summarizeRun(readJournal(join(done.run.path, 'journal.jsonl')).events);
      const series = summary.diversity.series;
      const at = (fraction: number): number => series.find((p) => p.evaluated >= fraction * budget)?.largestShare ?? Number.NaN;
      const second = series.filter((p) => p.evaluated > budget / 2);
      const frontFamilies: Record<string, number> = {};
      for (const f of summary.front) {
        const family = structuralFamily(parseExpression(f.expression));
        frontFamilies[family] = (frontFamilies[family] ?? 0) + 1;
      }
      const figures: Figures = {
        seed, cap: familyCap,
        shareAt: { '25%': at(0.25), '50%': at(0.5), '75%': at(0.75), '100%': at(1) },
        meanShareSecondHalf: second.reduce((s, p) => s + p.largestShare, 0) / Math.max(1, second.length),
        largestFamilyAtEnd: summary.diversity.latest?.largestFamily ?? null,
        distinctFunctionsAtEnd: summary.diversity.latest?.distinctFunctions ?? 0,
        familiesAtEnd: summary.diversity.latest?.families ?? 0,
        frontSize: summary.front.length,
        bestPerObjective: summary.bestPerObjective,
        frontFamilies,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: (Date.now() - wall0) / 1000,
      };
      results.push(figures);
      const pct = (v: number): string => `${(100 * v).toFixed(0)}%`;
      console.log(
        `seed ${seed} cap ${familyCap ?? 'off'}: largest family share ${Object.entries(figures.shareAt).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}; ` +
        `mean over 2nd half ${pct(figures.meanShareSecondHalf)} (${figures.largestFamilyAtEnd} at the end); ${figures.distinctFunctionsAtEnd} distinct functions in ${figures.familiesAtEnd} families; ` +
        `front ${figures.frontSize} (best ${figures.bestPerObjective.map((v) => v.toFixed(4)).join(' / ')}; families ${Object.entries(frontFamilies).map(([f, n]) => `${f} ${n}`).join(', ')}); ` +
        `${figures.cpuSeconds.toFixed(1)} s CPU, ${figures.wallSeconds.toFixed(1)} s wall`,
      );
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
for (const familyCap of [null, cap]) {
  const rows = results.filter((r) => r.cap === familyCap);
  console.log(
    `mean over ${rows.length} seeds, cap ${familyCap ?? 'off'}: largest family share at the end ${(100 * mean(rows.map((r) => r.shareAt['100%']))).toFixed(0)}%, ` +
    `over the 2nd half ${(100 * mean(rows.map((r) => r.meanShareSecondHalf))).toFixed(0)}%; distinct functions ${mean(rows.map((r) => r.distinctFunctionsAtEnd)).toFixed(1)}; ` +
    `best objectives ${[0, 1].map((m) => mean(rows.map((r) => r.bestPerObjective[m] ?? Number.NaN)).toFixed(4)).join(' / ')}; front ${mean(rows.map((r) => r.frontSize)).toFixed(1)}`,
  );
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/diversity.json', `${JSON.stringify({ args, loadAverage: load, cpus: cpus().length, results }, null, 2)}\n`);
console.log('wrote bench-results/diversity.json');
