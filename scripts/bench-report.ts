/**
 * Benchmark: the HTML report of a large run. Runs the fast search of configs/fast.json (50,000
 * candidates, about 2 minutes) with the report refreshed at checkpoints exactly as
 * `evonorm search` does (src/report/refresher.ts: within 2% of the run's time), then writes the
 * final report `--repeats` times and measures its time and size.
 *
 *   search (refresher poked at every checkpoint) → refreshes: count, time spent, share of the run
 *   writeReport × repeats → median ms, bytes (goals: < 10 s, < 5 MB)
 *
 * Usage: node --import tsx scripts/bench-report.ts [--config configs/fast.json] [--run <existing run folder>] [--repeats 3]
 * Prints one line per figure; writes bench-results/report.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../src/config/load.js';
import { RunConfigSchema } from '../src/config/run-config.js';
import { startSearch } from '../src/run/loop/start-search.js';
import { createReportRefresher } from '../src/report/refresher.js';
import { writeReport } from '../src/report/write-report.js';

const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'configs/fast.json' },
    run: { type: 'string' },
    repeats: { type: 'string', default: '3' },
  },
});

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
console.log(`# bench-report: ${args.run ? `run ${args.run}` : `search ${args.config}`}; ${machine}`);

let runPath = args.run;
let refresh: Record<string, number> | undefined;
if (runPath === undefined) {
  const config = loadConfigFile(args.config, RunConfigSchema);
  const root = mkdtempSync(join(tmpdir(), 'evonorm-bench-report-'));
  runPath = join(root, 'fast');
  const refresher = createReportRefresher({ runPath });
  await refresher.ready();
  const t0 = Date.now();
  const result = await startSearch({ config, runsDir: root, name: 'fast', fsync: false, exportAtEnd: false, onCheckpoint: () => refresher.poke() });
  const searchMs = Date.now() - t0;
  await refresher.final();
  const stats = refresher.stats();
  // The final report belongs to the end of the run, not to its refreshes.
  const refreshes = stats.writes - 1;
  const refreshMs = stats.spentMs - stats.lastMs;
  refresh = { searchMs, refreshes, refreshMs, share: refreshMs / searchMs, proposed: result.counters.proposed };
  console.log(`search | ${result.counters.proposed} candidates in ${(searchMs / 1000).toFixed(1)} s (fsync off)`);
  console.log(`refreshes during the search | ${refreshes} reports, ${(refreshMs / 1000).toFixed(2)} s = ${(100 * refreshMs / searchMs).toFixed(2)}% of the search (goal < 2%)`);
}

const repeats = Number.parseInt(args.repeats, 10);
const times: number[] = [];
let bytes = 0;
const out = join(mkdtempSync(join(tmpdir(), 'evonorm-bench-report-out-')), 'report.html');
for (let i = 0; i < repeats; i++) {
  const r = await writeReport(runPath, { out });
  times.push(r.ms);
  bytes = r.bytes;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`report | median ${(median / 1000).toFixed(2)} s over ${repeats} (all: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s; goal < 10 s)`);
console.log(`report | ${(bytes / 1e6).toFixed(2)} MB (goal < 5 MB)`);

mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/report.json', `${JSON.stringify({ machine, run: runPath, refresh, reportMs: times, reportBytes: bytes }, null, 2)}\n`);
