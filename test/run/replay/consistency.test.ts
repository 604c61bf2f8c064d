/** A run folder whose parts do not belong together is BAD_RUN with the reason, and nothing is written to it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { exportRun } from '../../../src/run/export/export-run.js';
import { listRuns } from '../../../src/run/status/list-runs.js';
import { readRun } from '../../../src/run/export/read-run.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { EXIT, EvonormError } from '../../../src/util/errors.js';
import { tempDir } from '../helpers.js';

const dir = tempDir();
const configFor = (seed: number) => RunConfigSchema.parse({
  seed, objective: 'fast', search: { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 60 }, dispatch: { mode: 'inline' },
});

/** A run stopped after 24 candidates (so a resume has work to do); seed 5 runs are copies of one kept untouched. */
let template: Promise<string> | undefined;
const search = async (name: string, seed: number): Promise<string> =>
  (await startSearch({ config: configFor(seed), runsDir: dir, name, workers: 'inline', fsync: false, maxCandidates: 24, exportAtEnd: false })).run.path;
async function stoppedRun(name: string, seed = 5): Promise<string> {
  if (seed !== 5) return search(name, seed);
  template ??= search('template', 5);
  const source = await template;
  const path = join(dir, name);
  mkdirSync(path);
  for (const file of ['config.json', 'manifest.json', 'journal.jsonl', 'checkpoint.json']) copyFileSync(join(source, file), join(path, file));
  return path;
}

/**
 * Resume, export and readRun fail with BAD_RUN matching `reason`; `status` (text and --json) exits 3
 * saying it; `runs` lists the folder as unreadable for it; none of them changed the journal.
 */
async function assertRefused(path: string, reason: RegExp): Promise<void> {
  const journal = join(path, 'journal.jsonl');
  const before = readFileSync(journal, 'utf8');
  const isBad = (err: unknown): boolean => err instanceof EvonormError && err.code === 'BAD_RUN' && reason.test(err.message);
  await assert.rejects(startSearch({ resume: path, workers: 'inline', fsync: false, maxCandidates: 60 }), isBad);
  assert.throws(() => exportRun(path), isBad);
  assert.throws(() => readRun(path), isBad);
  for (const json of [[], ['--json']]) {
    const io = memoryIo();
    assert.equal(await main(['status', path, ...json], io), EXIT.badInput, `status ${json.join(' ')}`);
    assert.match(io.err.join(''), reason);
    assert.equal(io.out.join(''), '', 'status prints no summary of a run it refuses');
  }
  const listed = listRuns(dirname(path)).find((r) => r.path === path);
  assert.equal(listed?.state, null);
  assert.match(listed?.problem ?? '', reason);
  assert.equal(readFileSync(journal, 'utf8'), before, 'the journal was not written to');
}

function editCheckpoint(path: string, edit: (evolver: Record<string, unknown>) => void): void {
  const file = join(path, 'checkpoint.json');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  edit(doc.evolver);
  writeFileSync(file, JSON.stringify(doc));
}

test('when the journal comes from another run (another seed), then resume, export and status refuse it', async () => {
  const mine = await stoppedRun('mine');
  const other = await stoppedRun('other', 6);
  copyFileSync(join(other, 'journal.jsonl'), join(mine, 'journal.jsonl'));
  await assertRefused(mine, /seed 6/);
});

test('when the checkpoint comes from another run, then resume refuses it', async () => {
  const mine = await stoppedRun('mine-2');
  const other = await stoppedRun('other-2', 6);
  copyFileSync(join(other, 'checkpoint.json'), join(mine, 'checkpoint.json'));
  await assertRefused(mine, /checkpoint\.json belongs to run/);
});

test('when a middle line of the journal is deleted, then resume, export and status refuse it before appending anything', async () => {
  for (const [name, kind, reason] of [['cut-proposed', '"type":"proposed"', /never proposed/], ['cut-evaluated', '"type":"evaluated"', /do(es)? not match checkpoint\.json/]] as const) {
    const path = await stoppedRun(name);
    const file = join(path, 'journal.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const victim = lines.findIndex((l, i) => i > 5 && l.includes(kind));
    writeFileSync(file, lines.filter((_, i) => i !== victim).join('\n'));
    await assertRefused(path, reason);
  }
});

test('when the checkpoint holds a garbage population, nextId 1e9 or populationSize 0, then resume refuses it with the reason', async () => {
  const cases: Array<[string, (e: Record<string, unknown>) => void, RegExp]> = [
    ['garbage', (e) => { e.population = [{ id: 'x', graph: 7 }]; }, /evolver state is not sound/],
    ['bad-graph', (e) => { (e.population as Array<{ hash: string }>)[0].hash = 'f'.repeat(64); }, /does not match its hash/],
    ['next-id', (e) => { e.nextId = 1e9; (e.counts as Record<string, number>).proposed = 1e9; }, /nextId is 1000000000/],
    ['population-0', (e) => { (e.options as Record<string, number>).populationSize = 0; }, /populationSize/],
  ];
  for (const [name, edit, reason] of cases) {
    const path = await stoppedRun(name);
    editCheckpoint(path, edit);
    await assertRefused(path, reason);
  }
});

test('when a run folder\'s log is a folder, then search --resume exits 3 naming it', async () => {
  const path = await stoppedRun('log-dir');
  rmSync(join(path, 'log.jsonl'), { force: true });
  mkdirSync(join(path, 'log.jsonl'));
  const io = memoryIo();
  assert.equal(await main(['search', '--resume', path], io), EXIT.badInput);
  assert.match(io.err.join(''), /log\.jsonl is not a file/);
});
