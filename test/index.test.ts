/**
 * The package entry (src/index.ts, what `import … from 'evonorm'` gives): each part of the
 * library API used briefly, the way the README's "Library API" section shows it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  ask, canonicalHash, createEvaluator, createEvolver, crowdingDistance, evaluateGraph, EvoNormLayer, exportRun, folderIO,
  front, GraphLayer, graphToJson, nonDominatedSort, parseExpression, printExpression, readLayerJson, readRerank, readRun,
  defaultConfigPath, loadEvaluationConfig, Rng, RunConfigSchema, selectBackend, startEvaluationWorker, startSearch, tell,
  toEvaluationResult, zooLayer,
  type EvolverState, type LayerGraph,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-api-'));
const backend = (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu';

test('when a layer graph is parsed, printed and written as JSON through the package entry, then it reads back with its options', () => {
  const graph = parseExpression('x * sigmoid(v1 * x) / sqrt(var_group(x))');
  assert.equal(canonicalHash(graph), canonicalHash(zooLayer('evonorm-s0')));
  const doc = graphToJson(graph, { name: 'mine', options: { epsilon: 1e-3 } });
  const file = readLayerJson(JSON.parse(JSON.stringify(doc)));
  assert.equal(printExpression(file.graph), printExpression(graph));
  assert.equal(file.options.epsilon, 1e-3);
});

test('when EvoNormLayer from the package entry is used in a tf.sequential model, then it predicts like GraphLayer and survives save and load', async () => {
  await selectBackend(backend);
  const model = tf.sequential({ layers: [new EvoNormLayer({ graph: 'evonorm-s0', options: { groups: 2 }, inputShape: [3, 3, 4] })] });
  const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 5);
  const y = model.predict(x) as tf.Tensor;
  const reference = new GraphLayer(zooLayer('evonorm-s0'), 4, 'ref', { groups: 2 });
  const want = reference.apply(x as tf.Tensor4D, false);
  assert.ok(tf.max(tf.abs(tf.sub(y, want))).dataSync()[0]! < 1e-6);
  await model.save(folderIO(join(dir, 'model')));
  const loaded = await tf.loadLayersModel(folderIO(join(dir, 'model')));
  const back = loaded.predict(x) as tf.Tensor;
  assert.deepEqual(Array.from(back.dataSync()), Array.from(y.dataSync()));
  tf.dispose([x, y, want, back]);
  reference.dispose();
  model.dispose();
  loaded.dispose();
});

test('when the ask/tell evolver runs a few batches with the fast evaluator, then its state is JSON and its front is scored', async () => {
  const evaluator = await createEvaluator({ kind: 'fast', target: 'evonorm-s0', objectives: 2 });
  let state: EvolverState = createEvolver(Rng.fromSeed(3), { populationSize: 6, tournamentSize: 2 }, [zooLayer('bn-relu')]);
  for (let batch = 0; batch < 3; batch++) {
    const asked = ask(state, 4);
    const results = [];
    for (const c of asked.candidates) {
      const { evaluation } = await evaluateGraph(evaluator, c.graph, { seed: 3 });
      results.push(toEvaluationResult(c.id, evaluation));
    }
    state = tell(asked.state, results);
    state = JSON.parse(JSON.stringify(state)) as EvolverState; // a plain value: save it anywhere
  }
  assert.equal(state.nextId, 12);
  const best = front(state);
  assert.ok(best.length >= 1);
  assert.ok(best.every((c) => c.objectives !== null && c.objectives.length === 2));
  evaluator.dispose();
});

test('when points are sorted through the package entry, then fronts and crowding distances are those worked out by hand', () => {
  const points = [[1, 4], [2, 3], [3, 1], [0.5, 3], [2.5, 0.5], [0, 0]];
  assert.deepEqual(nonDominatedSort(points).map((f) => [...f].sort()), [[0, 1, 2], [3, 4], [5]]);
  // Front 0 sorted by either objective: 0, 1, 2. Ends are infinite; point 1 gets
  // (3−1)/(3−1) + (4−1)/(4−1) = 2.
  assert.deepEqual(crowdingDistance(points, [0, 1, 2]), [Infinity, 2, Infinity]);
});

test('when a graph is evaluated with a proxy evaluator from the package entry, then it gets one objective per architecture', async () => {
  const evaluator = await createEvaluator({
    kind: 'proxy',
    backend,
    config: {
      backend,
      data: { name: 'synthetic', count: 96, size: 8, numClasses: 4, noise: 0.1 },
      architectures: [{ arch: 'resnet', stageBlocks: [1] }],
      training: { steps: 3, batchSize: 16, warmupSteps: 1, evalBatchSize: 48 },
      rejection: { stability: { enabled: false }, quality: { enabled: false } },
    },
  });
  const { evaluation, fingerprint } = await evaluateGraph(evaluator, 'bn-relu');
  assert.match(fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(evaluation.status, 'ok', JSON.stringify(evaluation));
  assert.equal(evaluation.status === 'ok' && evaluation.objectives.length, 1);
  evaluator.dispose();
});

test('when a search runs through startSearch and its folder is read with readRun, then candidates, front and rerank files come back', async () => {
  const config = RunConfigSchema.parse({
    seed: 5, objective: 'fast', fast: { target: 'evonorm-s0', objectives: 2 },
    search: { populationSize: 6, tournamentSize: 2, batchSize: 4, maxCandidates: 12 }, dispatch: { mode: 'inline' },
  });
  const result = await startSearch({ config, runsDir: dir, name: 'api', workers: 'inline', fsync: false, exportAtEnd: false });
  const run = readRun(result.run.path);
  assert.equal(run.candidates.length, 12);
  assert.equal(run.rerank, undefined);
  assert.ok(run.front.length >= 1);
  assert.deepEqual(run.objectiveNames, ['standardized', 'small']);
  const graph: LayerGraph = run.front[0]!.graph;
  assert.equal(canonicalHash(graph), run.front[0]!.hash);
  // The front's JSON documents are exactly what export writes.
  const files = exportRun(result.run.path).files.filter((f) => f.includes('/front/'));
  assert.deepEqual(files.map((f) => JSON.parse(readFileSync(f, 'utf8'))), run.front.map((l) => JSON.parse(JSON.stringify(l.json))));

  mkdirSync(join(result.run.path, 'rerank'));
  writeFileSync(join(result.run.path, 'rerank', 'table.json'), JSON.stringify({ best: [run.front[0]!.id] }));
  writeFileSync(join(result.run.path, 'rerank', 'trainings.jsonl'), '{"seed":0}\n{"seed":1}\n{"seed":');
  const rerank = readRerank(result.run.path);
  assert.deepEqual(rerank?.files, { 'table.json': { best: [run.front[0]!.id] }, 'trainings.jsonl': [{ seed: 0 }, { seed: 1 }] });
  assert.deepEqual(readRun(result.run.path).rerank, rerank);
});

test('when the packaged evaluation config is loaded through the package entry, then it is what `evonorm evaluate` would use', () => {
  const config = loadEvaluationConfig(defaultConfigPath(), 'cpu');
  assert.equal(config.backend, 'cpu');
  assert.ok(config.architectures.length >= 1);
  assert.equal(typeof startEvaluationWorker, 'function'); // needs a Redis server: test/dispatch/redis.test.ts covers the worker
});
