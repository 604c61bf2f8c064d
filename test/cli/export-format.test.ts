import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { graphToJson, parseExpression } from '../../src/graph/index.js';
import { createRunDir, Journal, summarizeRun, type JournalEvent } from '../../src/run/index.js';
import { EXIT } from '../../src/util/errors.js';
import { syntheticEvents, tempDir, testManifest } from '../run/helpers.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('when a zoo layer is shown --format pytorch, then stdout is one torch-only module with timm-style parameters', async () => {
  const { code, out } = await cli('show', 'evonorm-b0', '--format', 'pytorch');
  assert.equal(code, EXIT.ok);
  assert.deepEqual(out.match(/^(import|from) .*/gm), ['import torch']);
  assert.match(out, /^class EvoNormB0\(torch\.nn\.Module\):/m);
  assert.match(out, /def __init__\(self, num_features, eps=0\.00001, groups=32, group_size=None, momentum=0\.9\)/);
  for (const name of ['self.weight', 'self.bias', 'self.v1']) assert.match(out, new RegExp(`${name.replace('.', '\\.')} = torch\\.nn\\.Parameter`));
  assert.match(out, /register_buffer\('running_var'/);
  assert.match(out, /Source: +zoo layer evonorm-b0/);
  assert.match(out, /biased/);
});

test('when an expression is shown --format keras or tfjs, then stdout is that framework\'s layer class', async () => {
  const keras = await cli('show', 'relu(affine((x - mean_batch(x)) / sqrt(var_batch(x))))', '--format', 'keras');
  assert.equal(keras.code, EXIT.ok);
  assert.match(keras.out, /^class EvoNormLayer\(keras\.layers\.Layer\):/m);
  assert.match(keras.out, /y = ops\.relu\(y\)/);
  const tfjs = await cli('show', 'evonorm-s0', '--format', 'tfjs');
  assert.equal(tfjs.code, EXIT.ok);
  assert.match(tfjs.out, /^export class EvoNormS0 extends tf\.layers\.Layer \{/m);
  assert.match(tfjs.out, /tf\.serialization\.registerClass\(EvoNormS0\);/);
});

test('when a layer file carries the options it was scored with, then the exported defaults are those', async () => {
  const dir = tempDir();
  const file = join(dir, 'layer.json');
  const doc = graphToJson(parseExpression('x / sqrt(var_group(x))'), { name: 'scored', options: { epsilon: 0.001, groups: 8, momentum: 0.99 } });
  writeFileSync(file, JSON.stringify(doc));
  const { code, out } = await cli('show', file, '--format', 'pytorch');
  assert.equal(code, EXIT.ok);
  assert.match(out, /def __init__\(self, num_features, eps=0\.001, groups=8, group_size=None, momentum=0\.99\)/);
});

test('when --format is unknown, or the layer file has an unknown version, then show exits 3 with a message', async () => {
  const bad = await cli('show', 'evonorm-s0', '--format', 'caffe');
  assert.equal(bad.code, EXIT.badInput);
  assert.match(bad.err, /unknown --format "caffe" \(expected one of: json, pytorch, keras, tfjs\)/);
  const dir = tempDir();
  const file = join(dir, 'future.json');
  writeFileSync(file, JSON.stringify({ format: 'evonorm.layer', version: 99, nodes: [], output: 'x' }));
  const future = await cli('show', file, '--format', 'pytorch');
  assert.equal(future.code, EXIT.badInput);
  assert.match(future.err, /version/);
  assert.doesNotMatch(future.err, /at .*\.ts:\d+/);
});

test('when a run is exported --format pytorch, then every front layer gets a torch file with the run\'s layer options and provenance', async () => {
  const root = tempDir();
  const seed = 5;
  const events = syntheticEvents(seed, 4, 8);
  const run = createRunDir(root, 'coded', { config: { seed, evaluation: { layer: { epsilon: 0.001, groups: 4, momentum: 0.95 } } }, manifest: testManifest(seed) });
  const journal = Journal.open(run.journalPath, { fsync: false });
  for (const e of events) journal.append(e);
  journal.close();
  const front = summarizeRun(JSON.parse(JSON.stringify(events)) as JournalEvent[]).front;

  const bogus = await cli('export', run.path, '--format', 'onnx');
  assert.equal(bogus.code, EXIT.badInput);
  assert.equal(existsSync(join(run.path, 'export')), false, 'nothing written for a bad --format');

  const { code, out } = await cli('export', run.path, '--format', 'pytorch');
  assert.equal(code, EXIT.ok, out);
  const dir = join(run.path, 'export', 'pytorch');
  const files = readdirSync(dir).sort();
  assert.equal(files.length, front.length);
  assert.ok(files.length >= 1);
  for (const file of files) {
    assert.match(file, /^\d+-\d+\.py$/);
    assert.ok(out.includes(join(dir, file)), 'stdout lists the file');
    const source = readFileSync(join(dir, file), 'utf8');
    assert.match(source, /eps=0\.001, groups=4, group_size=None, momentum=0\.95/);
    assert.match(source, /Source: +run coded, candidate \d+/);
  }
  assert.ok(existsSync(join(run.path, 'export', 'front.json')), 'the JSON export is written too');

  const keras = await cli('export', run.path, '--format', 'keras', '--out', join(root, 'k'));
  assert.equal(keras.code, EXIT.ok);
  assert.equal(readdirSync(join(root, 'k', 'keras')).length, front.length);
});
