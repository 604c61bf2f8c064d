/**
 * The exported class is named after the layer, not the run (issue 19 §4: a run's export gave
 * `Quick202612062232112`): a zoo layer by its own name, a found layer by its candidate id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { className, layerClassName } from '../../src/export/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { createRunDir, Journal } from '../../src/run/index.js';
import { EXIT } from '../../src/util/errors.js';
import { syntheticEvents, tempDir, testManifest } from '../run/helpers.js';

test('when a zoo layer is named, then its class is EvoNormB0 / EvoNormS0 (the paper\'s spelling)', () => {
  assert.equal(className('evonorm-b0'), 'EvoNormB0');
  assert.equal(className('evonorm-s0'), 'EvoNormS0');
  assert.equal(className('bn-relu'), 'BnRelu');
  assert.equal(className(undefined), 'EvoNormLayer');
});

test('when a run\'s layer is named, then a zoo match gives the zoo name and any other the candidate id', () => {
  assert.equal(layerClassName({ name: 'quick-20261206-223211-2', candidateId: 2, knownLayer: 'seed = evonorm-b0' }), 'EvoNormB0');
  assert.equal(layerClassName({ name: 'quick-20261206-223211-17', candidateId: 17, knownLayer: '= bn-relu' }), 'BnRelu');
  assert.equal(layerClassName({ name: 'quick-20261206-223211-17', candidateId: 17, knownLayer: null }), 'Candidate17');
  assert.equal(layerClassName({ name: 'my-layer' }), 'MyLayer');
});

test('when a run is exported --format pytorch, then no class is named after the run, each after its candidate', async () => {
  const root = tempDir();
  const seed = 5;
  const run = createRunDir(root, 'quick-20261206-223211', { config: { seed }, manifest: testManifest(seed) });
  const journal = Journal.open(run.journalPath, { fsync: false });
  for (const e of syntheticEvents(seed, 4, 8)) journal.append(e);
  journal.close();
  const { code, err } = await (async () => { const io = memoryIo(); return { code: await main(['export', run.path, '--format', 'pytorch'], io), err: io.err.join('') }; })();
  assert.equal(code, EXIT.ok, err);
  const dir = join(run.path, 'export', 'pytorch');
  for (const file of readdirSync(dir)) {
    const id = /^\d+-(\d+)\.py$/.exec(file)![1];
    const source = readFileSync(join(dir, file), 'utf8');
    assert.doesNotMatch(source, /class Quick/);
    assert.match(source, new RegExp(`^class (Candidate${id}|EvoNorm\\w+|\\w+Relu)\\(torch\\.nn\\.Module\\):`, 'm'));
  }
});

test('when a layer file from a run\'s export is shown --format keras, then its class is named after the candidate', async () => {
  const root = tempDir();
  const run = createRunDir(root, 'quick-20261206-223211', { config: { seed: 5 }, manifest: testManifest(5) });
  const journal = Journal.open(run.journalPath, { fsync: false });
  for (const e of syntheticEvents(5, 4, 8)) journal.append(e);
  journal.close();
  assert.equal(await main(['export', run.path], memoryIo()), EXIT.ok);
  const file = readdirSync(join(run.path, 'export', 'front'))[0]!;
  const id = /^\d+-(\d+)\.json$/.exec(file)![1];
  const io = memoryIo();
  assert.equal(await main(['show', join(run.path, 'export', 'front', file), '--format', 'keras'], io), EXIT.ok);
  assert.match(io.out.join(''), new RegExp(`^class Candidate${id}\\(keras\\.layers\\.Layer\\):`, 'm'));
});
