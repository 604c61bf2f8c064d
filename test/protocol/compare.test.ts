/**
 * `evonorm compare` end to end on a tiny synthetic protocol: kill -9 and resume, failures
 * reported per seed, bad input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { resultLines, runThenKill, tempDir, tinyConfig } from './helpers.js';

const LAYERS = ['gn-relu', 'evonorm-s0'];

async function compare(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(['compare', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('when compare is killed with SIGKILL and run again, then the table equals an uninterrupted run and nothing is trained twice', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir, 30);
  const args = [...LAYERS, '--config', config, '--seeds', '2', '--batch-sizes', '16,8'];
  const whole = await compare([...args, '--out', join(dir, 'whole')]);
  assert.equal(whole.code, 0, whole.err);
  const total = resultLines(join(dir, 'whole', 'results.jsonl')).length;
  assert.equal(total, 3 * 2 * 2);

  const resumedDir = join(dir, 'killed');
  const file = join(resumedDir, 'results.jsonl');
  const before = await runThenKill(['compare', ...args, '--out', resumedDir], file, 3);
  assert.ok(before >= 3 && before < total, `killed after ${before} of ${total}`);
  const resumed = await compare([...args, '--out', resumedDir]);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.err, new RegExp(`${total - before} trainings run now, ${before} from earlier`));
  const keys = resultLines(file).map((l) => (JSON.parse(l) as { key: string }).key);
  assert.equal(keys.length, total);
  assert.equal(new Set(keys).size, total, 'a training was recorded twice');
  assert.equal(resumed.out, whole.out);
  // Key by key, not only the table's means: each result is the uninterrupted run's.
  const accuracies = (path: string) => Object.fromEntries(resultLines(path).map((l) => JSON.parse(l) as { key: string; accuracy: number }).map((r) => [r.key, r.accuracy]));
  assert.deepEqual(accuracies(file), accuracies(join(dir, 'whole', 'results.jsonl')));

  // A third run trains nothing.
  const again = await compare([...args, '--out', resumedDir]);
  assert.match(again.err, / 0 trainings run now/);
  assert.equal(again.out, whole.out);
});

test('when a layer is rejected, then the table reports it per seed and does not average it in', async () => {
  const dir = tempDir();
  const r = await compare(['gn-relu', 'x - x', '--config', tinyConfig(dir), '--seeds', '2', '--out', join(dir, 'c'), '--json']);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out) as { cells: { layer: string; values: unknown[]; failures: { stage: string }[]; mean: number | null }[]; objective: { higherIsBetter: boolean; split: string } };
  const bad = summary.cells.find((c) => c.layer === 'x - x')!;
  assert.equal(bad.values.length, 0);
  assert.deepEqual(bad.failures.map((f) => f.stage), ['static', 'static']);
  assert.equal(summary.objective.higherIsBetter, true);
  assert.equal(summary.objective.split, 'validation');
  const table = await compare(['gn-relu', 'x - x', '--config', tinyConfig(dir), '--seeds', '2', '--out', join(dir, 'c')]);
  assert.match(table.out, /x - x\s+0\/2, 2 rejected/);
  assert.match(table.out, /not averaged in/);
});

test('when compare gets an unknown layer, --seeds 0 or bad batch sizes, then exit 3 and the results folder is untouched', async () => {
  const dir = tempDir();
  const config = tinyConfig(dir);
  const out = join(dir, 'keep');
  assert.equal((await compare(['gn-relu', '--config', config, '--seeds', '1', '--out', out])).code, 0);
  const before = readFileSync(join(out, 'results.jsonl'), 'utf8');
  for (const bad of [
    ['evonorm-s9', '--seeds', '1'],
    ['gn-relu', '--seeds', '0'],
    ['gn-relu', '--seeds', 'two'],
    ['gn-relu', '--seeds', '1', '--batch-sizes', '16,0'],
    ['gn-relu', '--seeds', '1', '--baseline', 'bn-relux'],
  ]) {
    const r = await compare([...bad, '--config', config, '--out', out]);
    assert.equal(r.code, 3, `${bad.join(' ')}: ${r.err}`);
    assert.match(r.err, /^evonorm: /);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  assert.equal(readFileSync(join(out, 'results.jsonl'), 'utf8'), before);
});
