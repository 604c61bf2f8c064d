import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EvonormError } from '../../../src/util/errors.js';
import { createRunDir, openRunDir, readConfig, readManifest, runNameFromConfig } from '../../../src/run/index.js';
import { tempDir, testManifest } from '../helpers.js';

const root = tempDir();
const code = (expected: string) => (err: unknown): boolean => err instanceof EvonormError && err.code === expected;

test('when a run is created, then its folder holds config, manifest and an empty journal, and it opens', () => {
  const config = { seed: 7, search: { batch: 8 } };
  const run = createRunDir(join(root, 'runs'), 'first', { config, manifest: testManifest() });
  assert.equal(run.name, 'first');
  assert.equal(readFileSync(run.journalPath, 'utf8'), '');
  const opened = openRunDir(run.path);
  assert.deepEqual(opened, run);
  assert.deepEqual(readConfig(opened), config);
  const manifest = readManifest(opened);
  assert.deepEqual(manifest, testManifest());
  assert.equal(manifest.nodeVersion, process.version);
  assert.equal(manifest.seed, 7);
});

test('when the run folder already exists, then createRunDir refuses with BAD_RUN and a hint to resume', () => {
  createRunDir(root, 'taken', { config: {}, manifest: testManifest() });
  assert.throws(() => createRunDir(root, 'taken', { config: { other: true }, manifest: testManifest() }), (err: unknown) => {
    assert.ok(code('BAD_RUN')(err));
    assert.match((err as Error).message, /--resume/);
    return true;
  });
  assert.deepEqual(readConfig(openRunDir(join(root, 'taken'))), {});
});

test('when the run name is a path, then createRunDir refuses it', () => {
  assert.throws(() => createRunDir(root, '../escape', { config: {}, manifest: testManifest() }), code('BAD_INPUT'));
});

test('when a run folder is missing or incomplete, then openRunDir says so with BAD_RUN or MISSING_FILE', () => {
  assert.throws(() => openRunDir(join(root, 'absent')), code('BAD_RUN'));
  writeFileSync(join(root, 'a-file'), 'x');
  assert.throws(() => openRunDir(join(root, 'a-file')), code('BAD_RUN'));
  const run = createRunDir(root, 'partial', { config: {}, manifest: testManifest() });
  rmSync(run.journalPath);
  assert.throws(() => openRunDir(run.path), (err: unknown) => code('MISSING_FILE')(err) && /journal\.jsonl/.test((err as Error).message));
  mkdirSync(join(root, 'empty'));
  assert.throws(() => openRunDir(join(root, 'empty')), code('MISSING_FILE'));
});

test('when config or manifest are corrupt, then reading them fails with BAD_RUN', () => {
  const run = createRunDir(root, 'corrupt', { config: { a: 1 }, manifest: testManifest() });
  writeFileSync(run.configPath, '{"a": ');
  assert.throws(() => readConfig(run), code('BAD_RUN'));
  writeFileSync(run.manifestPath, JSON.stringify({ seed: 1 }));
  assert.throws(() => readManifest(run), code('BAD_RUN'));
});

test('when no name is given, then the run is named after the config file and the local start time', () => {
  const date = new Date(2024, 0, 2, 3, 4, 5);
  assert.equal(runNameFromConfig('configs/mnist.jsonc', date), 'mnist-20240102-030405');
  assert.equal(runNameFromConfig('/x/y/my config.json', date), 'my-config-20240102-030405');
  assert.equal(runNameFromConfig('plain', new Date(2025, 11, 31, 23, 59, 58)), 'plain-20251231-235958');
});

test('when creating a run folder fails midway, then no half-made run folder is left behind', () => {
  const parent = join(root, 'halfway');
  // A BigInt cannot be written as JSON: the config write fails after the folder was started.
  assert.throws(() => createRunDir(parent, 'broken', { config: { seed: 1n }, manifest: testManifest() }));
  assert.equal(existsSync(join(parent, 'broken')), false);
  assert.deepEqual(readdirSync(parent), []);
});

test('when a run file is a folder, then openRunDir refuses the run with BAD_RUN naming it', () => {
  for (const file of ['journal.jsonl', 'log.jsonl', 'checkpoint.json']) {
    const run = createRunDir(root, `dir-${file}`, { config: {}, manifest: testManifest() });
    rmSync(join(run.path, file), { force: true });
    mkdirSync(join(run.path, file));
    assert.throws(() => openRunDir(run.path), (err: unknown) => code('BAD_RUN')(err) && (err as Error).message.includes(file));
  }
});
