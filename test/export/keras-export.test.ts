/**
 * Keras export, checked without Keras (neither TensorFlow nor Keras is installable here, so the
 * export has NOT been run under real Keras): python3's `ast` checks the structure (only keras
 * imported, a registered keras.layers.Layer subclass, its weights and their trainability, one
 * assignment per planned node in call, get_config), and a small numpy stand-in for keras.ops
 * runs the layer through the parity sequence, compared with GraphLayer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { className, kerasSource, planLayer } from '../../src/export/index.js';
import { CHANNELS, OPTIONS, SHAPE, inputs, maxRel, parityCases, runGraphLayer } from './parity-cases.js';
import { IN_CI, findPython } from './python.js';

await tf.setBackend('cpu');

const CHECKER = fileURLToPath(new URL('./keras-check.py', import.meta.url));

interface ClassInfo {
  name: string;
  bases: string[];
  decorators: string[];
  methods: Record<string, string[]>;
  weights: Array<{ name: string; initializer: string; trainable?: boolean }>;
  callAssigned: string[];
  configKeys: string[];
}
interface CheckResult {
  structure: { imports: string[]; classes: ClassInfo[]; functions: string[] };
  run?: { eval0: number[]; train: number[]; eval3: number[]; config: Record<string, unknown> };
  runError?: string;
}

test('when zoo layers and random graphs are exported to Keras, then the source has the layer structure and computes what GraphLayer does', (t) => {
  const { python, reason } = findPython('ast');
  if (python === undefined) {
    const message = `Keras export check NOT RUN: ${reason}`;
    if (IN_CI) assert.fail(message);
    t.skip(message);
    return;
  }
  const { cases } = parityCases(20, 'keras-export');
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-keras-'));
  try {
    const payload = cases.map((c, i) => {
      const path = join(dir, `layer${i}.py`);
      writeFileSync(path, kerasSource(c.graph, { name: c.name, source: c.label, options: OPTIONS }));
      const { xs, vectors } = inputs(c.label);
      const params: Record<string, number[]> = { weight: Array.from(vectors.gamma), bias: Array.from(vectors.beta) };
      for (const v of planLayer(c.graph, 'keras').vectors) params[v] = Array.from(vectors[v]);
      // Every third layer is built with group_size instead of groups (C=8, group_size 2 = 4 groups).
      const kwargs = i % 3 === 2 ? { groups: 1, group_size: CHANNELS / OPTIONS.groups } : {};
      return { path, className: className(c.name), shape: SHAPE, kwargs, params, xs: xs.map((x) => Array.from(x)) };
    });
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(payload));
    const r = spawnSync(python, [CHECKER, file], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
    assert.equal(r.status, 0, `python failed: ${r.stderr}`);
    const results = JSON.parse(r.stdout) as CheckResult[];

    const failures: string[] = [];
    let ran = 0;
    cases.forEach((c, i) => {
      const { structure, run, runError } = results[i]!;
      const plan = planLayer(c.graph, 'keras');
      const fail = (what: string): void => void failures.push(`${c.label}: ${what}`);
      if (structure.imports.join() !== 'keras,keras') fail(`imports ${structure.imports}`);
      const cls = structure.classes.find((k) => k.name === className(c.name));
      if (!cls) return fail('class missing');
      if (cls.bases.join() !== 'keras.layers.Layer') fail(`bases ${cls.bases}`);
      if (!cls.decorators.some((d) => d.startsWith('keras.saving.register_keras_serializable'))) fail('not registered for serialisation');
      for (const m of ['__init__', 'build', 'call', 'get_config']) if (!cls.methods[m]) fail(`no ${m}`);
      if (cls.methods.call?.join() !== 'self,x,training') fail(`call(${cls.methods.call})`);
      const expected = ['weight', 'bias', ...plan.vectors, ...plan.batchStats.map((b) => b.buffer)];
      if (cls.weights.map((w) => w.name).join() !== expected.join()) fail(`weights ${cls.weights.map((w) => w.name)} ≠ ${expected}`);
      for (const w of cls.weights) if ((w.trainable ?? true) !== !w.name.startsWith('running_')) fail(`weight ${w.name} trainable=${w.trainable}`);
      const assigned = cls.callAssigned.filter((n) => /^n\d+$/.test(n));
      if (assigned.join() !== plan.steps.map((s) => s.id).join()) fail(`call assigns ${assigned}, plan ${plan.steps.map((s) => s.id)}`);
      if (cls.configKeys.join() !== 'eps,groups,group_size,momentum') fail(`get_config keys ${cls.configKeys}`);
      if (runError) return fail(`numpy run: ${runError}`);
      if (!run) return;
      ran++;
      const ours = runGraphLayer(c);
      for (const mode of ['eval0', 'train', 'eval3'] as const) {
        const d = maxRel(run[mode], ours[mode].y);
        if (!(d <= 1e-4)) fail(`${mode} output differs by ${d}`);
      }
    });
    process.stderr.write(`keras export: ${cases.length} layers checked structurally, ${ran} run on the numpy stand-in (real Keras NOT run)\n`);
    assert.deepEqual(failures, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
