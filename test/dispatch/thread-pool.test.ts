import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInlinePool, createThreadPool } from '../../src/dispatch/index.js';
import type { Evaluation } from '../../src/evaluate/types.js';
import { EvonormError } from '../../src/util/errors.js';
import { compiledTwin } from '../cli/cli-command.js';
import { FAULTY, fixtureRequest, layerRequests, withoutCost } from './helpers.js';

function rejection(evaluation: Evaluation): { stage: string; reason: string } | null {
  return evaluation.status === 'rejected' ? { stage: evaluation.stage, reason: evaluation.reason } : null;
}

test('when the inline pool and a 2-thread pool evaluate the same requests, then the evaluations are identical', async () => {
  const requests = layerRequests();
  const inline = await createInlinePool({ kind: 'fast', objectives: 3 });
  const threads = await createThreadPool({ kind: 'fast', objectives: 3 }, 2);
  try {
    const a = await Promise.all(requests.map((r) => inline.evaluate(r)));
    const b = await Promise.all(requests.map((r) => threads.evaluate(r)));
    assert.deepEqual(b.map(withoutCost), a.map(withoutCost));
    assert.ok(a.some((e) => e.status === 'ok') && a.some((e) => e.status === 'rejected'));
  } finally {
    await inline.close();
    await threads.close();
  }
});

test('when jobs finish in the reverse of their submission order, then each promise gets its own result', async () => {
  const pool = await createThreadPool(FAULTY, 2);
  try {
    // The fixture scores the fingerprint's length; the first request sleeps longest.
    const modes = ['sleep:120', 'sleep:60', 'sleep:1', 'x', 'xyzw'];
    const finished: string[] = [];
    const results = await Promise.all(modes.map((m) => pool.evaluate(fixtureRequest(m)).then((e) => { finished.push(m); return e; })));
    assert.deepEqual(results.map((e) => (e.status === 'ok' ? e.objectives[0] : -1)), modes.map((m) => m.length));
    assert.notDeepEqual(finished, modes);
  } finally {
    await pool.close();
  }
});

for (const mode of ['crash', 'exit'] as const) {
  test(`when a worker ${mode === 'crash' ? 'throws an uncaught error' : 'exits'}, then its job is a stage error rejection and the pool keeps working`, async () => {
    const pool = await createThreadPool(FAULTY, 2);
    try {
      const [bad, good] = await Promise.all([pool.evaluate(fixtureRequest(mode)), pool.evaluate(fixtureRequest('ok'))]);
      assert.equal(rejection(bad)?.stage, 'error');
      assert.match(rejection(bad)!.reason, mode === 'crash' ? /fixture crashed/ : /exited with code 7/);
      assert.equal(good.status, 'ok');
      // Both workers still answer: the crashed one was replaced.
      const after = await Promise.all(['a', 'bb', 'ccc', 'dddd'].map((m) => pool.evaluate(fixtureRequest(m))));
      assert.deepEqual(after.map((e) => e.status), ['ok', 'ok', 'ok', 'ok']);
    } finally {
      await pool.close();
    }
  });
}

test('when the evaluator throws inside evaluate, then the job is a stage error rejection without losing the worker', async () => {
  const pool = await createThreadPool(FAULTY, 1);
  try {
    const first = await pool.evaluate(fixtureRequest('ok'));
    const thrown = await pool.evaluate(fixtureRequest('throw'));
    const next = await pool.evaluate(fixtureRequest('ok'));
    assert.equal(rejection(thrown)?.stage, 'error');
    assert.match(rejection(thrown)!.reason, /fixture threw/);
    // The fixture reports its thread id as costMs: the same worker answered before and after.
    assert.equal(next.costMs, first.costMs);
  } finally {
    await pool.close();
  }
});

test('when a job runs past the timeout, then it is a stage timeout rejection and a new worker takes the next job', async () => {
  const pool = await createThreadPool(FAULTY, 1, { timeoutMs: 150 });
  try {
    const before = await pool.evaluate(fixtureRequest('ok'));
    const [hung, queued] = await Promise.all([pool.evaluate(fixtureRequest('hang')), pool.evaluate(fixtureRequest('ok'))]);
    assert.equal(rejection(hung)?.stage, 'timeout');
    assert.equal(queued.status, 'ok');
    assert.notEqual(queued.costMs, before.costMs); // another thread id: the hung worker was replaced
  } finally {
    await pool.close();
  }
});

test('when a worker cannot build its evaluator, then createThreadPool rejects with the error code', async () => {
  await assert.rejects(createThreadPool({ kind: 'fast', objectives: 0 }, 2), (err) => err instanceof EvonormError && err.code === 'BAD_CONFIG');
  await assert.rejects(
    createThreadPool({ kind: 'module', module: FAULTY.kind === 'module' ? FAULTY.module : '', config: { failInit: true } }, 1),
    (err) => err instanceof EvonormError && /fail at init/.test(err.message),
  );
});

test('when the pool is closed, then running and queued jobs resolve as stage error and evaluate rejects', async () => {
  const pool = await createThreadPool(FAULTY, 1);
  const running = pool.evaluate(fixtureRequest('sleep:10000'));
  const queued = pool.evaluate(fixtureRequest('ok'));
  await pool.close();
  assert.equal(rejection(await running)?.stage, 'error');
  assert.equal(rejection(await queued)?.stage, 'error');
  await assert.rejects(pool.evaluate(fixtureRequest('ok')), (err) => err instanceof EvonormError && err.code === 'INTERNAL');
});

test('when a process closes its thread pool, then it exits on its own (no worker left running)', () => {
  // The compiled module when dist/ is fresh (no tsx to start in the process and its threads).
  const compiled = compiledTwin('src/dispatch/index.ts');
  const index = compiled !== undefined ? pathToFileURL(compiled).href : new URL('../../src/dispatch/index.ts', import.meta.url).href;
  const script = [
    `const { createThreadPool } = await import(${JSON.stringify(index)});`,
    `const pool = await createThreadPool({ kind: 'fast' }, 2);`,
    `const graph = { nodes: [{ op: 'sigmoid', args: [0] }], output: 5 };`,
    `const results = await Promise.all([1, 2, 3].map((i) => pool.evaluate({ graph, fingerprint: String(i), seed: 1 })));`,
    `await pool.close();`,
    `process.stdout.write(results.map((r) => r.status).join(','));`,
  ].join('\n');
  // A file, not `-e`: worker threads inherit execArgv, and a .js worker entry refuses --input-type.
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-pool-exit-'));
  const file = join(dir, 'close-pool.mjs');
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [...(compiled !== undefined ? [] : ['--import', 'tsx']), file], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000, // only a guard against a hang, which is the failure this test looks for
  });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(child.error, undefined, 'the process did not exit after close()');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, 'ok,ok,ok');
});
