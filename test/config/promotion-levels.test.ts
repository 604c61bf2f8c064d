/**
 * search.levels and search.promotionsPerBatch: each level is a partial evaluation config merged
 * over `evaluation` and validated merged; bad ones fail with their path (exit 3 at the CLI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema, type RunConfigInput } from '../../src/config/run-config.js';
import { levelEvaluations, mergeLevel } from '../../src/config/promotion-levels.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT, EvonormError } from '../../src/util/errors.js';

const BASE: RunConfigInput = {
  seed: 1,
  evaluation: {
    backend: 'cpu',
    data: { name: 'synthetic', count: 200, size: 8, numClasses: 4 },
    architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }],
    training: { steps: 10, batchSize: 16 },
  },
};

/** The issues of a config with these search settings, as "path: message". */
function issues(search: Record<string, unknown>, base: RunConfigInput = BASE): string[] {
  const result = RunConfigSchema.safeParse({ ...base, search });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

test('when no levels are given, then the run has none and promotes 2 per batch by default', () => {
  const config = RunConfigSchema.parse(BASE);
  assert.deepEqual(config.search.levels, []);
  assert.equal(config.search.promotionsPerBatch, 2);
});

test('when a level is a partial evaluation config, then it is merged over the evaluation section, objects key by key', () => {
  const config = RunConfigSchema.parse({ ...BASE, search: { levels: [{ seeds: 3 }, { seeds: 3, training: { steps: 30 } }] } });
  if (config.objective !== 'proxy') throw new Error('proxy expected');
  const [one, two] = levelEvaluations(config.evaluation, config.search.levels);
  assert.equal(one.seeds, 3);
  assert.equal(one.training.steps, 10);
  assert.deepEqual([two.seeds, two.training.steps, two.training.batchSize], [3, 30, 16], 'batchSize kept from the base');
  assert.deepEqual(mergeLevel({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } }), { a: { b: 1, c: [3] } }, 'arrays are replaced');
});

test('when a level is wrong, then validation names its path inside search.levels', () => {
  assert.deepEqual(issues({ levels: [{ training: { steps: 0 } }] }), ['search.levels.0.training.steps: Too small: expected number to be >=1']);
  assert.match(issues({ levels: [{ seedz: 2 }] })[0], /^search\.levels\.0: Unrecognized key: "seedz"/);
  assert.match(issues({ levels: [{ backend: 'wasm' }] })[0], /^search\.levels\.0\.backend: .*cannot change the backend/);
  assert.match(issues({ levels: [{ architectures: [{ arch: 'resnet' }, { arch: 'resnet' }] }] })[0], /^search\.levels\.0\.architectures: .*same K objectives/);
  assert.match(issues({ levels: [{ seeds: 1 }] })[0], /^search\.levels\.0: level 1 is the same evaluation as the base/);
  assert.match(issues({ levels: [{ seeds: 2 }, { seeds: 2 }] })[0], /^search\.levels\.1: level 2 is the same evaluation as level 1/);
  assert.match(issues({ levels: [{ seeds: 2 }], schedule: 'async' })[0], /^search\.levels: .*schedule "batch"/);
  assert.match(issues({ levels: [{ seeds: 2 }], selection: 'average' })[0], /^search\.levels: .*selection "pareto"/);
  assert.match(issues({ promotionsPerBatch: 0 })[0], /^search\.promotionsPerBatch: /);
  assert.match(issues({ levels: [{ seeds: 2 }] }, { objective: 'fast', seed: 1 })[0], /^search\.levels: objective "fast" has no promotion levels/);
  assert.throws(() => levelEvaluations(RunConfigSchema.parse(BASE).evaluation!, [{ seeds: 0 }]), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG');
});

test('when `evonorm search` is given a config with a bad level, then it exits 3 and says where', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-levels-'));
  try {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...BASE, search: { levels: [{ training: { stepz: 600 } }] } }));
    const io = memoryIo();
    const code = await main(['search', '--config', path, '--runs-dir', join(dir, 'runs')], io);
    assert.equal(code, EXIT.badInput);
    assert.match(io.err.join(''), /search\.levels\[0\]\.training|search\.levels\.0\.training/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('when referenceLayers name a layer that is not a seed, or come without levels, then the config is refused with the path', () => {
  const seeds = { seedLayers: ['bn-relu', 'evonorm-b0'], levels: [{ seeds: 3 }] };
  assert.deepEqual(issues({ ...seeds, referenceLayers: ['bn-relu'] }), []);
  assert.match(issues({ ...seeds, referenceLayers: ['gn-relu'] }).join('\n'), /referenceLayers\.0: reference layer "gn-relu" is not one of seedLayers/);
  assert.match(issues({ seedLayers: ['bn-relu'], referenceLayers: ['bn-relu'] }).join('\n'), /referenceLayers: referenceLayers need promotion levels/);
  assert.deepEqual(RunConfigSchema.parse(BASE).search.referenceLayers, []);
});
