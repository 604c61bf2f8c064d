/** `evonorm rerank` end to end: a tiny finished search, kill -9 and resume, bad input, status. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { loadConfigFile } from '../../src/config/load.js';
import { RunConfigSchema } from '../../src/config/run-config.js';
import { startSearch } from '../../src/run/loop/start-search.js';
import { resultLines, runThenKill, tempDir, tinyConfig } from './helpers.js';

const dir = tempDir();
let runPath: string;

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** A copy of the finished run (rerank writes into the run folder). */
function copyRun(name: string): string {
  const to = join(dir, name);
  cpSync(runPath, to, { recursive: true });
  return to;
}

const ARGS = ['--top', '3', '--seeds', '2', '--baselines', 'bn-relu,evonorm-s0', '--workers', 'inline'];

before(async () => {
  const config = loadConfigFile(tinyConfig(dir, 20), RunConfigSchema);
  const run = await startSearch({ config, runsDir: dir, name: 'search', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.equal(run.reason, 'budget');
  runPath = run.run.path;
  const manifest = JSON.parse(readFileSync(run.run.manifestPath, 'utf8')) as { heldOut: { split: string; rule: string } };
  assert.equal(manifest.heldOut.split, 'test');
  assert.match(manifest.heldOut.rule, /30 examples drawn separately/);
});

test('when rerank is killed with SIGKILL and run again, then its table equals an uninterrupted rerank and nothing is trained twice', async () => {
  const whole = copyRun('whole');
  const a = await cli(['rerank', whole, ...ARGS]);
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, /held-out test split/);
  assert.match(a.out, /best 3 by the paper's rule/);
  const total = resultLines(join(whole, 'rerank', 'results.jsonl')).length;
  assert.ok(total >= 6, `only ${total} trainings`);

  const killed = copyRun('killed');
  const file = join(killed, 'rerank', 'results.jsonl');
  const before = await runThenKill(['rerank', killed, ...ARGS], file, 2);
  assert.ok(before >= 2 && before < total, `killed after ${before} of ${total}`);
  const b = await cli(['rerank', killed, ...ARGS]);
  assert.equal(b.code, 0, b.err);
  assert.match(b.err, new RegExp(`${total - before} trainings run now, ${before} from earlier`));
  const keys = resultLines(file).map((l) => (JSON.parse(l) as { key: string; split: string }).key);
  assert.equal(new Set(keys).size, keys.length, 'a training was recorded twice');
  assert.equal(keys.length, total);
  assert.equal(b.out.replaceAll(killed, whole), a.out);

  // status and export show the rerank.
  const status = await cli(['status', killed]);
  assert.match(status.out, /rerank \(complete\)/);
  assert.match(status.out, /best 3/);
  const exported = await cli(['export', killed]);
  assert.equal(exported.code, 0, exported.err);
  assert.ok(existsSync(join(killed, 'export', 'rerank.json')));
  // Objectives say what they are; seed layers are marked.
  assert.match(status.out, /objective resnet: top-1 accuracy on the validation split of synthetic after 20 steps at batch 16 \(higher is better\)/);
  assert.match(status.out, /\[seed = [a-z0-9-]+\]/);
  const csvHeader = readFileSync(join(killed, 'export', 'candidates.csv'), 'utf8').split('\n')[0]!;
  assert.match(csvHeader, /resnet: top-1 accuracy on the validation split .* \(higher is better\)/);
  assert.match(csvHeader, /,known$/);
  const front = JSON.parse(readFileSync(join(killed, 'export', 'front.json'), 'utf8')) as { objectiveDescriptions: string[]; higherIsBetter: boolean; knownLayer: string | null }[];
  assert.ok(front.length > 0 && front.every((f) => f.higherIsBetter && f.objectiveDescriptions.length === 1));
  for (const line of resultLines(file)) assert.equal((JSON.parse(line) as { split: string }).split, 'test');
});

test('when the search has not finished, then rerank exits 3 and writes nothing', async () => {
  const unfinished = copyRun('unfinished');
  const journal = join(unfinished, 'journal.jsonl');
  const lines = readFileSync(journal, 'utf8').split('\n').filter((l) => l && !l.includes('"run-finished"'));
  writeFileSync(journal, `${lines.join('\n')}\n`);
  const r = await cli(['rerank', unfinished, ...ARGS]);
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /has not finished/);
  assert.equal(existsSync(join(unfinished, 'rerank')), false);
});

test('when a rerank config asks for data the machine lacks, --seeds 0 or an unknown baseline, then exit 3 and earlier results are kept', async () => {
  const run = copyRun('bad');
  const ok = await cli(['rerank', run, '--top', '1', '--seeds', '1', '--baselines', 'bn-relu', '--workers', 'inline']);
  assert.equal(ok.code, 0, ok.err);
  const kept = readFileSync(join(run, 'rerank', 'results.jsonl'), 'utf8');
  const cifar = join(dir, 'rerank-cifar.json');
  writeFileSync(cifar, JSON.stringify({ data: { name: 'cifar10', dir: join(dir, 'no-such-cifar') } }));
  const noTest = join(dir, 'rerank-notest.json');
  writeFileSync(noTest, JSON.stringify({ data: { name: 'synthetic', count: 60, size: 8 } }));
  for (const bad of [
    ['--config', cifar],
    ['--config', noTest],
    ['--config', join(dir, 'missing.json')],
    ['--seeds', '0'],
    ['--baselines', 'bn-relu,evonorm-q7'],
    ['--by', 'nonsense'],
  ]) {
    const r = await cli(['rerank', run, ...bad, '--workers', 'inline']);
    assert.equal(r.code, 3, `${bad.join(' ')}: ${r.err}`);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  assert.equal(readFileSync(join(run, 'rerank', 'results.jsonl'), 'utf8'), kept);
  assert.equal((await cli(['rerank', join(dir, 'nowhere')])).code, 3);
});
