/**
 * PyTorch parity: the PyTorch export of every zoo layer and of 50 seeded random valid graphs,
 * run by torch (float64, one python process for all) on the inputs GraphLayer (tfjs, cpu)
 * sees: inference with the initial buffers, training mode, and inference after 3 training
 * steps that update the moving statistics. Outputs within 1e-4 and gradients of Σ up ⊙ y
 * (input and every parameter) within 1e-3, relative (|a−b| / max(1, |b|)). Needs a python3
 * with torch (Debian python3-torch); without one the test says so and skips, except in CI
 * (CI=true), where it fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { INPUT_COUNT } from '../../src/graph/ops.js';
import { ZOO_NAMES } from '../../src/graph/zoo.js';
import { className, planLayer, torchSource } from '../../src/export/index.js';
import { CHANNELS, OPTIONS, SHAPE, inputs, maxRel, parityCases, runGraphLayer, type ModeResult } from './parity-cases.js';
import { IN_CI, findPython } from './python.js';

await tf.setBackend('cpu');

const RANDOM_GRAPHS = 50;
const DRIVER = fileURLToPath(new URL('./torch-parity.py', import.meta.url));
/** GraphLayer's parameter short names → the PyTorch export's. */
const TORCH_PARAM: Record<string, string> = { gamma: 'weight', beta: 'bias', v0: 'v0', v1: 'v1' };

interface TorchResult {
  readonly error?: string;
  readonly eval0: ModeResult;
  readonly train: ModeResult;
  readonly eval3: ModeResult;
  readonly buffers: Record<string, number[]>;
  readonly parameters: string[];
}

test('when zoo layers and 50 random graphs are exported to PyTorch, then torch matches GraphLayer in training, inference and after 3 training steps', (t) => {
  const { python, reason } = findPython('torch');
  if (python === undefined) {
    const message = `PyTorch parity NOT RUN: ${reason}; install Debian's python3-torch (or set EVONORM_PYTHON)`;
    if (IN_CI) assert.fail(message);
    process.stderr.write(`\n${message}\n`);
    t.skip(message);
    return;
  }
  const { cases, skipped, small } = parityCases(RANDOM_GRAPHS);
  assert.ok(cases.length >= RANDOM_GRAPHS + ZOO_NAMES.length, `only ${cases.length} cases (${skipped} random graphs passed over)`);
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-torch-'));
  try {
    const payload = cases.map((c, i) => {
      const path = join(dir, `layer${i}.py`);
      writeFileSync(path, torchSource(c.graph, { name: c.name, source: c.label, options: OPTIONS }));
      const { xs, up, vectors } = inputs(c.label);
      const plan = planLayer(c.graph, 'torch');
      const params: Record<string, number[]> = { weight: Array.from(vectors.gamma), bias: Array.from(vectors.beta) };
      for (const v of plan.vectors) params[v] = Array.from(vectors[v]);
      // Every third layer is built with group_size instead of groups (C=8, group_size 2 = 4 groups).
      const kwargs = i % 3 === 2 ? { groups: 1, group_size: CHANNELS / OPTIONS.groups } : {};
      return { path, className: className(c.name), shape: SHAPE, kwargs, params, xs: xs.map((x) => Array.from(x)), up: Array.from(up) };
    });
    const casesFile = join(dir, 'cases.json');
    writeFileSync(casesFile, JSON.stringify(payload));
    const r = spawnSync(python, [DRIVER, casesFile], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300_000 });
    assert.equal(r.status, 0, `python failed: ${r.stderr}`);
    const results = JSON.parse(r.stdout, (_key, v: unknown) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as TorchResult[];
    assert.equal(results.length, cases.length);

    const failures: string[] = [];
    cases.forEach((c, i) => {
      const torch = results[i]!;
      if (torch.error) return void failures.push(`${c.label}: torch: ${torch.error}`);
      const ours = runGraphLayer(c);
      const plan = planLayer(c.graph, 'torch');
      const check = (what: string, a: ArrayLike<number>, b: ArrayLike<number> | undefined, tol: number): void => {
        const d = b === undefined ? Infinity : maxRel(a, b);
        if (!(d <= tol)) failures.push(`${c.label}: ${what} differs by ${d}`);
      };
      for (const mode of ['eval0', 'train', 'eval3'] as const) {
        check(`${mode} output`, torch[mode].y, ours[mode].y, 1e-4);
        for (const [name, g] of Object.entries(ours[mode].grads)) {
          check(`${mode} d/d${name}`, torch[mode].grads[name === 'x' ? 'x' : TORCH_PARAM[name]!]!, g, 1e-3);
        }
      }
      for (const [key, value] of Object.entries(ours.moving)) {
        const k = Number(/_n(\d+)$/.exec(key)![1]);
        const buffer = plan.batchStats.find((b) => b.step === plan.ids.get(INPUT_COUNT + k))?.buffer;
        check(`buffer ${key} (${buffer})`, torch.buffers[buffer ?? ''] ?? [], value, 1e-4);
      }
      const expected = ['bias', 'weight', ...plan.vectors].sort();
      if (torch.parameters.join() !== expected.join()) failures.push(`${c.label}: parameters ${torch.parameters} ≠ ${expected}`);
    });
    process.stderr.write(`torch parity: ${cases.length} layers (${cases.length - ZOO_NAMES.length} random, ${liveSteps(cases)} live steps in all, ${skipped} ill-conditioned and ${small} small random graphs passed over), ${CHANNELS} channels\n`);
    assert.deepEqual(failures, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Steps of all plans together: how much code the comparison covers. */
function liveSteps(cases: readonly { graph: Parameters<typeof planLayer>[0] }[]): number {
  return cases.reduce((n, c) => n + planLayer(c.graph, 'torch').steps.length, 0);
}
