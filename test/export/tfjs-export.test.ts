/**
 * tfjs export: the generated source, written to a file and imported as a user would (an ES
 * module importing @tensorflow/tfjs), computes what GraphLayer does in inference, training and
 * inference after 3 training calls, with the same moving statistics; inside a tf.sequential
 * model it trains, saves with model.save and loads back with equal outputs.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { INPUT_COUNT } from '../../src/graph/ops.js';
import { className, planLayer, tfjsSource } from '../../src/export/index.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { OPTIONS, SHAPE, inputs, maxRel, parityCases, runGraphLayer, type ParityCase } from './parity-cases.js';

await tf.setBackend('cpu');

// Inside the repository, so that the generated files' `import '@tensorflow/tfjs'` resolves.
const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
mkdirSync(cacheDir, { recursive: true });
const dir = mkdtempSync(join(cacheDir, 'evonorm-tfjs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const driver = (await import(new URL('./tfjs-driver.mjs', import.meta.url).href)) as {
  runCases(cases: unknown[]): Promise<Array<{ eval0: number[]; train: number[]; eval3: number[]; buffers: Record<string, number[]>; className: string }>>;
  trainSaveLoad(c: unknown): Promise<{ losses: number[]; before: number[]; after: number[]; weightNames: string[] }>;
};

const config = { eps: OPTIONS.epsilon, groups: OPTIONS.groups, momentum: OPTIONS.momentum };

function writeCase(c: ParityCase, i: number): { url: string; config: typeof config; shape: number[]; params: Record<string, number[]>; xs: number[][] } {
  const path = join(dir, `layer${i}.mjs`);
  writeFileSync(path, tfjsSource(c.graph, { name: c.name, source: c.label }));
  const { xs, vectors } = inputs(c.label);
  const params: Record<string, number[]> = { weight: Array.from(vectors.gamma), bias: Array.from(vectors.beta) };
  for (const v of planLayer(c.graph, 'tfjs').vectors) params[v] = Array.from(vectors[v]);
  return { url: pathToFileURL(path).href, config, shape: SHAPE, params, xs: xs.map((x) => Array.from(x)) };
}

test('when zoo layers and random graphs are exported as tfjs source and imported, then they compute what GraphLayer does', async () => {
  const { cases } = parityCases(20, 'tfjs-export');
  const results = await driver.runCases(cases.map(writeCase));
  const failures: string[] = [];
  cases.forEach((c, i) => {
    const r = results[i]!;
    const ours = runGraphLayer(c);
    if (r.className !== className(c.name)) failures.push(`${c.label}: className ${r.className}`);
    for (const mode of ['eval0', 'train', 'eval3'] as const) {
      const d = maxRel(r[mode], ours[mode].y);
      if (!(d <= 1e-4)) failures.push(`${c.label}: ${mode} output differs by ${d}`);
    }
    const plan = planLayer(c.graph, 'tfjs');
    for (const [key, value] of Object.entries(ours.moving)) {
      const k = Number(/_n(\d+)$/.exec(key)![1]);
      const buffer = plan.batchStats.find((b) => b.step === plan.ids.get(INPUT_COUNT + k))?.buffer ?? '?';
      const d = r.buffers[buffer] ? maxRel(r.buffers[buffer], value) : Infinity;
      if (!(d <= 1e-5)) failures.push(`${c.label}: buffer ${buffer} differs by ${d}`);
    }
  });
  assert.deepEqual(failures, []);
});

test('when an exported tfjs layer sits in a tf.sequential model, then it trains, saves and loads back with equal outputs', async () => {
  for (const [i, name] of (['evonorm-b0', 'evonorm-s0'] as const).entries()) {
    const c = writeCase({ label: `zoo ${name}`, name, graph: zooLayer(name) }, 1000 + i);
    const r = await driver.trainSaveLoad(c);
    assert.equal(r.losses.length, 3);
    assert.ok(r.losses.every(Number.isFinite) && r.losses[2]! < r.losses[0]!, `${name}: losses ${r.losses}`);
    assert.ok(maxRel(r.after, r.before) < 1e-6, `${name}: loaded model differs by ${maxRel(r.after, r.before)}`);
    const expected = name === 'evonorm-b0' ? ['weight', 'bias', 'v1', 'running_var'] : ['weight', 'bias', 'v1'];
    assert.deepEqual(r.weightNames, expected);
  }
});
