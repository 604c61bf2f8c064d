/**
 * Bad input at the edge (issue 8, bugs 8 and 11): option values, paths, sizes, nesting depth
 * and config values the schema must refuse. Every case ends in exit 2 (usage, the option named)
 * or 3 (bad config or input, the field named), never "internal error".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-edge-'));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const fastConfig = (extra: Record<string, unknown> = {}, search: Record<string, unknown> = {}): string =>
  JSON.stringify({ objective: 'fast', search: { maxCandidates: 4, batchSize: 2, populationSize: 4, tournamentSize: 2, ...search }, dispatch: { mode: 'inline' }, ...extra });

function assertNoInternal(err: string): void {
  assert.doesNotMatch(err, /internal error|    at |Maximum call stack/);
}

for (const [option, value] of [
  ['--max-candidates', 'abc'], ['--max-candidates', '-5'], ['--max-candidates', '1e3'], ['--max-candidates', '0'], ['--max-candidates', '2.5'],
  ['--workers', '100000'], ['--workers', 'abc'], ['--workers', '0'], ['--name', 'a/b'], ['--name', 'a'.repeat(300)],
] as const) {
  test(`when search gets ${option} ${value.slice(0, 12)}, then it exits 2 naming the option`, async () => {
    const config = file('ok.json', fastConfig());
    const { code, err } = await cli('search', '--config', config, '--runs-dir', join(dir, 'runs'), option, value);
    assert.equal(code, EXIT.usage);
    assert.match(err, new RegExp(option));
    assertNoInternal(err);
  });
}

test('when show or validate gets --max-nodes abc, then it exits 2 naming the option', async () => {
  for (const command of ['show', 'validate']) {
    const { code, err } = await cli(command, 'x', '--max-nodes', 'abc');
    assert.equal(code, EXIT.usage);
    assert.match(err, /--max-nodes/);
  }
});

test('when evaluate gets --backend gpu, then it exits 2 blaming the option with the choices, not the config', async () => {
  const { code, err } = await cli('evaluate', '--layer', 'x', '--backend', 'gpu');
  assert.equal(code, EXIT.usage);
  assert.match(err, /--backend.*gpu.*auto, tensorflow, wasm, cpu/);
  assert.doesNotMatch(err, /quick\.json/);
});

test('when worker gets --concurrency 0, then it exits 2 naming the option', async () => {
  const { code, err } = await cli('worker', '--redis', 'redis://127.0.0.1:1', '--concurrency', '0');
  assert.equal(code, EXIT.usage);
  assert.match(err, /--concurrency/);
});

test('when an expression is a long chain or deeply nested, then show exits 3 saying so (no stack overflow)', async () => {
  for (const expression of ['x' + ' + x'.repeat(3000), '('.repeat(3000) + 'x' + ')'.repeat(3000), 'neg('.repeat(2000) + 'x' + ')'.repeat(2000), 'neg(- '.repeat(2000) + 'x' + ')'.repeat(2000), 'x*'.repeat(6000) + 'x']) {
    const { code, err } = await cli('show', expression);
    assert.equal(code, EXIT.badInput, err.slice(0, 200));
    assert.match(err, /nested more than|characters/);
    assert.ok(err.length < 2000, 'the message is short');
    assertNoInternal(err);
  }
});

test('when a JSON graph has 20,000 chained nodes, then validate exits 3 naming the limit', async () => {
  const nodes = Array.from({ length: 20_000 }, (_, i) => ({ id: `n${i}`, op: 'neg', args: [i ? `n${i - 1}` : 'x'] }));
  const path = file('chain.json', JSON.stringify({ format: 'evonorm.layer', version: 1, nodes, output: 'n19999' }));
  const { code, err } = await cli('validate', path);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /20000 nodes/);
  assertNoInternal(err);
});

test('when a JSONC config is nested 10,000 deep, then search exits 3 naming the depth', async () => {
  const path = file('deep.jsonc', `{"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
  const { code, err } = await cli('search', '--config', path);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /nested 10001 levels/);
  assertNoInternal(err);
});

test('when a config repeats a key, then search exits 3 naming the key and its line', async () => {
  const path = file('dup.jsonc', '{\n  "objective": "fast",\n  "search": { "maxCandidates": 2, "maxCandidates": 3 }\n}');
  const { code, err } = await cli('search', '--config', path);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /dup\.jsonc:3:\d+: duplicate key "search\.maxCandidates"/);
});

test('when the config path is a folder, a FIFO or /dev/zero, then search exits 3 at once with a clear message', async () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  for (const [path, why] of [[dir, /is a folder/], [fifo, /not a regular file/], ['/dev/zero', /not a regular file/]] as const) {
    const { code, err } = await cli('search', '--config', path);
    assert.equal(code, EXIT.badInput, err);
    assert.match(err, why);
  }
});

test('when a config file is larger than 4 MiB, then it is refused without reading it all', async () => {
  const path = file('huge.json', `{"name": "${'a'.repeat(5 * 1024 * 1024)}"}`);
  const { code, err } = await cli('search', '--config', path);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /more than the 4194304/);
});

test('when --runs-dir or --out is a file or /dev/null, then the command exits 3 naming the option', async () => {
  const plain = file('plain.txt', 'x');
  const config = file('ok2.json', fastConfig());
  for (const runsDir of [plain, '/dev/null']) {
    const { code, err } = await cli('search', '--config', config, '--runs-dir', runsDir);
    assert.equal(code, EXIT.badInput, err);
    assert.match(err, /--runs-dir .* is not a folder/);
  }
  for (const out of [plain, '/dev/null']) {
    const { code, err } = await cli('export', join(dir, 'no-such-run'), '--out', out);
    assert.equal(code, EXIT.badInput, err);
    assert.match(err, /--out .* is not a folder/);
  }
});

test('when the run folder path is too long for the file system, then search exits 3 (not internal error)', async () => {
  const longName = `${'c'.repeat(300)}.json`;
  const config = join(dir, 'long');
  mkdirSync(config, { recursive: true });
  // The run name comes from the config's file name: too long for one path segment.
  let path: string;
  try {
    path = file(join('long', longName.slice(0, 250)), fastConfig());
  } catch {
    return; // a file system that refuses even the config's name: nothing to test here
  }
  const runsDir = join(dir, 'runs-long');
  const { code, err } = await cli('search', '--config', path, '--runs-dir', runsDir);
  assert.equal(code, EXIT.badInput, err);
  assert.match(err, /name too long/);
  assertNoInternal(err);
});

for (const [what, config, field] of [
  ['tournamentSize > populationSize', fastConfig({}, { populationSize: 4, tournamentSize: 10 }), /tournamentSize/],
  ['every mutation weight 0', fastConfig({}, { mutation: { weights: { op: 0, args: 0, both: 0 } } }), /mutation.*weights/],
  ['minNodes > maxNodes', fastConfig({}, { space: { minNodes: 5, maxNodes: 3 } }), /minNodes/],
  ['dispatch.workers 100000', fastConfig({ dispatch: { mode: 'threads', workers: 100_000 } }), /workers/],
  ['an MNIST trainLimit below the number of classes', JSON.stringify({ evaluation: { data: { name: 'mnist', trainLimit: 5 }, architectures: [{ arch: 'resnet' }] } }), /trainLimit/],
  ['an MNIST validationLimit of 10 (1 per class)', JSON.stringify({ evaluation: { data: { name: 'mnist', validationLimit: 10 }, architectures: [{ arch: 'resnet' }] } }), /validationLimit/],
  ['an MNIST validationSize that leaves no training images', JSON.stringify({ evaluation: { data: { name: 'fashion-mnist', validationSize: 59_999 }, architectures: [{ arch: 'resnet' }] } }), /validationSize/],
  ['the old MNIST field testFraction', JSON.stringify({ evaluation: { data: { name: 'mnist', testFraction: 0.2 }, architectures: [{ arch: 'resnet' }] } }), /"testFraction" is gone, the held-out test split is now the official 10,000 test images/],
  ['the old MNIST field limit', JSON.stringify({ evaluation: { data: { name: 'mnist', limit: 1000 }, architectures: [{ arch: 'resnet' }] } }), /"limit" is gone, use trainLimit and validationLimit/],
  ['imageSize 1e9', JSON.stringify({ evaluation: { data: { name: 'mnist', imageSize: 1e9 }, architectures: [{ arch: 'resnet' }] } }), /imageSize/],
  ['a synthetic validationFraction of 0', JSON.stringify({ evaluation: { data: { name: 'synthetic', validationFraction: 0 }, architectures: [{ arch: 'resnet' }] } }), /validationFraction/],
  ['objective "fast" with an evaluation section', fastConfig({ evaluation: { data: { name: 'synthetic' }, architectures: [{ arch: 'resnet' }] } }), /objective "fast" takes no "evaluation" section/],
  ['objective "proxy" with a fast section', JSON.stringify({ fast: { objectives: 2 }, evaluation: { data: { name: 'synthetic' }, architectures: [{ arch: 'resnet' }] } }), /objective "proxy" takes no "fast" section/],
  ['no objective and no evaluation section', JSON.stringify({ search: { maxCandidates: 2 } }), /needs an "evaluation" section/],
  ['a synthetic count of 8 for 4 classes', JSON.stringify({ evaluation: { data: { name: 'synthetic', count: 8 }, architectures: [{ arch: 'resnet' }] } }), /count/],
] as const) {
  test(`when a config has ${what}, then search exits 3 naming the field`, async () => {
    const path = file('bad.json', config);
    const { code, err } = await cli('search', '--config', path, '--runs-dir', join(dir, 'runs'));
    assert.equal(code, EXIT.badInput, err);
    assert.match(err, field);
  });
}

test('when the MNIST split leaves enough images per class and no objective is given, then the config is a proxy run', async () => {
  const { RunConfigSchema } = await import('../../src/config/run-config.js');
  const ok = RunConfigSchema.parse({ evaluation: { data: { name: 'mnist', trainLimit: 100, validationLimit: 20 }, architectures: [{ arch: 'resnet' }] } });
  assert.equal(ok.objective, 'proxy');
  // Narrowed on the discriminator: a proxy run always has its evaluation section.
  if (ok.objective === 'proxy') assert.equal(ok.evaluation.data.name, 'mnist');
});

test('when evaluate is given a fast run config, then it exits 3 saying the config has no evaluation section', async () => {
  const { code, err } = await cli('evaluate', '--layer', 'x', '--config', 'configs/fast.json');
  assert.equal(code, EXIT.badInput);
  assert.match(err, /objective "fast": it has no "evaluation" section/);
});
