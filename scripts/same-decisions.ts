/**
 * The same-decisions check of issue 18: a tiny quick search (configs/quick.json, shrunk: few
 * candidates, short trainings, small data) run twice with the same seed, once with the SIMD
 * kernels on and once with some SIMD families off (default: every family issue 18 added:
 * conv, evonorm-s0, graph-ops, step-calls), then the two journals compared through the run's one replay
 * (src/run: readJournal, replayJournal, summarizeRun): per candidate the layer proposed, the
 * outcome (scored, or rejected at which stage and why) and the objectives, then the front.
 *
 *   write the tiny config; search it with EVONORM_SIMD_OFF unset, then with EVONORM_SIMD_OFF=<families>
 *   for each candidate id: same proposal? same outcome? |Δ objectives|?
 *   same front (ids, in order)?
 *
 * Decisions differ only where the float results differ beyond rounding; the kernels' values are
 * equal bit for bit except the SIMD log (≤ 2 ulp) and the convolutions' summation order, so
 * objectives may differ in the last digits, and a decision may flip only where two candidates
 * (or a candidate and a threshold) are that close: such differences are listed with their margins.
 *
 * Usage: node --import tsx scripts/same-decisions.ts [--candidates 8] [--off conv,evonorm-s0,graph-ops,step-calls]
 *          [--out results/speed/same-decisions.md] [--keep /tmp/dir]
 * Prints the comparison (markdown) on stdout and writes it to --out. Dispatch is inline (one
 * thread), so the runs are deterministic given the kernels.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { readJournal } from '../src/run/journal/journal.js';
import type { CandidateRecord } from '../src/run/replay/candidates.js';
import { replayJournal } from '../src/run/replay/replay.js';
import { summarizeRun } from '../src/run/status/summary.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const CANDIDATES = Number(opt('candidates', '8'));
const OFF = opt('off', 'conv,evonorm-s0,graph-ops,step-calls');
const OUT = opt('out', '');
const KEEP = opt('keep', '');

/** configs/quick.json shrunk to a few minutes of CPU: the same protocol's shape, smaller everywhere. */
function tinyConfig(): unknown {
  const quick = parse(readFileSync('configs/quick.json', 'utf8')) as Record<string, any>;
  const ev = quick.evaluation;
  return {
    ...quick,
    evaluation: {
      ...ev,
      backend: 'wasm',
      data: { ...ev.data, trainLimit: 1000, validationLimit: 500 },
      training: { ...ev.training, steps: 30, warmupSteps: 5 },
      rejection: { ...ev.rejection, stability: { ...ev.rejection.stability, steps: 5 }, quality: { ...ev.rejection.quality, steps: 10, minAccuracy: 0.15 } },
    },
    search: { ...quick.search, populationSize: Math.max(4, CANDIDATES / 2), tournamentSize: 2, batchSize: 2, maxCandidates: CANDIDATES },
    dispatch: { mode: 'inline' },
  };
}

const dir = KEEP !== '' ? KEEP : mkdtempSync(join(tmpdir(), 'same-decisions-'));
const configPath = join(dir, 'tiny.json');
writeFileSync(configPath, JSON.stringify(tinyConfig(), null, 2));

/** Runs the search as a child process with `env`; returns the run folder and its CPU seconds. */
function search(name: string, env: Record<string, string | undefined>): { path: string; seconds: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/evonorm-dev.ts', 'search', '-c', configPath, '--runs-dir', dir, '-n', name], {
    env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`search ${name} exited ${r.status}:\n${r.stderr}`);
  return { path: join(dir, name), seconds: (Date.now() - t0) / 1000 };
}

const load0 = loadavg()[0]!;
const on = search('on', { EVONORM_SIMD_OFF: undefined, EVONORM_SIMD: undefined });
const off = search('off', { EVONORM_SIMD_OFF: OFF, EVONORM_SIMD: undefined });
const load1 = loadavg()[0]!;

const replay = (path: string) => replayJournal(readJournal(join(path, 'journal.jsonl')).events);
const [replayOn, replayOff] = [replay(on.path), replay(off.path)];
const recordsOn = replayOn.records;
const recordsOff = replayOff.records;
const frontOn = summarizeRun(replayOn).front;
const frontOff = summarizeRun(replayOff).front;

function outcome(r: CandidateRecord | undefined): string {
  const e = r?.evaluated?.evaluation;
  if (e === undefined) return 'pending';
  return e.status === 'ok' ? 'scored' : `rejected at ${e.stage}${e.code ? ` (${e.code})` : ''}`;
}
const objectives = (r: CandidateRecord | undefined): readonly number[] => (r?.evaluated?.evaluation.status === 'ok' ? r.evaluated.evaluation.objectives : []);

const rows: string[][] = [];
const differences: string[] = [];
let maxObjDiff = 0;
for (let id = 0; id < Math.max(recordsOn.length, recordsOff.length); id++) {
  const a = recordsOn.find((r) => r.proposed.id === id);
  const b = recordsOff.find((r) => r.proposed.id === id);
  const sameLayer = a?.proposed.hash === b?.proposed.hash;
  const oa = objectives(a);
  const ob = objectives(b);
  const d = oa.length === ob.length && oa.length > 0 ? Math.max(...oa.map((v, i) => Math.abs(v - ob[i]!))) : NaN;
  if (Number.isFinite(d)) maxObjDiff = Math.max(maxObjDiff, d);
  rows.push([
    String(id), `\`${a?.proposed.expression ?? '-'}\``, sameLayer ? 'same' : `differs: \`${b?.proposed.expression ?? '-'}\``,
    outcome(a), outcome(b), oa.map((v) => v.toFixed(4)).join(' / ') || '-', Number.isFinite(d) ? d.toExponential(1) : '-',
  ]);
  if (!sameLayer) differences.push(`candidate ${id}: proposed layers differ (on: ${a?.proposed.expression}, off: ${b?.proposed.expression}): a consequence of an earlier difference (selection reads the objectives)`);
  if (outcome(a) !== outcome(b)) {
    const ra = a?.evaluated?.evaluation;
    const rb = b?.evaluated?.evaluation;
    differences.push(`candidate ${id} (\`${a?.proposed.expression}\`): on ${outcome(a)}${ra && ra.status === 'rejected' ? ` — ${ra.reason}` : ''}; off ${outcome(b)}${rb && rb.status === 'rejected' ? ` — ${rb.reason}` : ''}`);
  }
}
const frontIds = (f: typeof frontOn) => f.map((e) => e.id).join(', ');
if (frontIds(frontOn) !== frontIds(frontOff)) differences.push(`front: on [${frontIds(frontOn)}], off [${frontIds(frontOff)}]`);

const text = [
  `same-decisions check (issue 18): a tiny quick search, seed 0, ${CANDIDATES} candidates, inline, wasm backend; "on": every SIMD kernel; "off": EVONORM_SIMD_OFF=${OFF}. ${cpus().length} × ${cpus()[0]?.model ?? '?'}; 1-min load ${load0.toFixed(1)} → ${load1.toFixed(1)}; on ${on.seconds.toFixed(0)} s, off ${off.seconds.toFixed(0)} s wall`,
  '',
  'command: node --import tsx scripts/same-decisions.ts ' + args.join(' '),
  '',
  'config: configs/quick.json with evaluation.data trainLimit 1000, validationLimit 500; training 30 steps (warm-up 5); stability 5 steps; quality 10 steps, minAccuracy 0.15; search populationSize ' +
    `${Math.max(4, CANDIDATES / 2)}, tournamentSize 2, batchSize 2, maxCandidates ${CANDIDATES}; dispatch inline`,
  '',
  '| id | layer (on) | layer (off) | outcome on | outcome off | objectives on | max \\|Δ objective\\| |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  `front on: [${frontIds(frontOn)}]; front off: [${frontIds(frontOff)}]`,
  `largest |Δ objective| over candidates scored by both: ${maxObjDiff.toExponential(2)}`,
  '',
  differences.length === 0 ? 'decisions: the same (every proposal, every outcome, the front).' : `differences (${differences.length}):\n${differences.map((d) => `- ${d}`).join('\n')}`,
  '',
].join('\n');
process.stdout.write(text);
if (OUT !== '') writeFileSync(OUT, text);
if (KEEP === '') rmSync(dir, { recursive: true, force: true });
