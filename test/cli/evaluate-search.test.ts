import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'evonorm-cli-'));
function writeConfig(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

test('when the CIFAR-10 directory is missing, then evaluate exits 3 naming the expected file', async () => {
  const config = writeConfig('cifar.json', {
    evaluation: { backend: 'cpu', data: { name: 'cifar10', dir: join(dir, 'no-such-dir') }, architectures: [{ arch: 'resnet' }] },
  });
  const { code, err } = await cli('evaluate', '--layer', 'bn-relu', '--config', config);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /no-such-dir/);
  assert.match(err, /data_batch_1\.bin/);
});

test('when a config has a misspelt field, then exit 3 with the field named, no stack trace', async () => {
  const config = writeConfig('typo.json', '// comment\n{ "seed": 1, "objective": "fast", "serach": {} }');
  const { code, err } = await cli('search', '--config', config, '--runs-dir', dir);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /serach/);
  assert.doesNotMatch(err, /\.ts:\d+/);
});

test('when a config is not valid JSON, then exit 3 with the line and column', async () => {
  const config = writeConfig('broken.json', '{\n  "seed": 1,\n  "objective": \n}');
  const { code, err } = await cli('search', '--config', config, '--runs-dir', dir);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /broken\.json:4:1/);
});

test('when search gets neither --config nor --resume, then it is a usage error', async () => {
  const { code } = await cli('search');
  assert.equal(code, EXIT.usage);
});

test('when a fast search runs, then status shows the front and export writes the front and the CSV', async () => {
  const config = writeConfig('fast.json', {
    seed: 1, objective: 'fast', search: { populationSize: 8, tournamentSize: 3, batchSize: 4, maxCandidates: 16 }, dispatch: { mode: 'inline' },
  });
  const run = await cli('search', '--config', config, '--runs-dir', dir, '--name', 'fast-run');
  assert.equal(run.code, EXIT.ok, run.err);
  assert.match(run.out, /stopped: budget/);
  const runPath = join(dir, 'fast-run');
  const status = await cli('status', runPath);
  assert.equal(status.code, EXIT.ok);
  assert.match(status.out, /Pareto front/);
  const out = join(dir, 'exported');
  const exported = await cli('export', runPath, '--out', out);
  assert.equal(exported.code, EXIT.ok);
  assert.ok(existsSync(join(out, 'candidates.csv')));
  const csv = readFileSync(join(out, 'candidates.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, 17); // header + 16 candidates
  const front = exported.out.split('\n').filter((f) => f.includes('/front/') && f.endsWith('.json'));
  assert.ok(front.length >= 1);
  const validated = await cli('validate', front[0]);
  assert.equal(validated.code, EXIT.ok, validated.err);
});

test('when a search run already exists, then a new one with the same name is refused with exit 3', async () => {
  const config = writeConfig('again.json', { seed: 1, objective: 'fast', search: { maxCandidates: 4, batchSize: 4 }, dispatch: { mode: 'inline' } });
  assert.equal((await cli('search', '--config', config, '--runs-dir', dir, '--name', 'twice')).code, EXIT.ok);
  const again = await cli('search', '--config', config, '--runs-dir', dir, '--name', 'twice');
  assert.equal(again.code, EXIT.badInput);
  assert.match(again.err, /--resume/);
});

test('when the run is interrupted (Ctrl-C), then search exits 130 and --resume finishes it', async () => {
  const config = writeConfig('interrupt.json', { seed: 2, objective: 'fast', search: { maxCandidates: 40, batchSize: 4 }, dispatch: { mode: 'inline' } });
  const controller = new AbortController();
  controller.abort();
  const io = memoryIo();
  const code = await main(['search', '--config', config, '--runs-dir', dir, '--name', 'stopped'], io, controller.signal);
  assert.equal(code, EXIT.interrupted);
  const resumed = await cli('search', '--resume', join(dir, 'stopped'));
  assert.equal(resumed.code, EXIT.ok, resumed.err);
  assert.match(resumed.out, /stopped: budget/);
});

test('when the layer is the constant `zero`, then evaluate reports a static rejection (no training)', async () => {
  const config = writeConfig('zero.json', {
    evaluation: { backend: 'cpu', data: { name: 'synthetic', count: 40 }, architectures: [{ arch: 'resnet' }] },
  });
  const { code, out } = await cli('evaluate', '--layer', 'zero', '--config', config);
  assert.equal(code, EXIT.ok);
  assert.match(out, /rejected at static: invalid graph: NO_X_DEPENDENCE/);
});
