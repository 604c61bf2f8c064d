import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInlinePool, createPool } from '../../src/dispatch/index.js';
import { createFastObjective } from '../../src/evaluate/fast-objective.js';
import { EvonormError } from '../../src/util/errors.js';
import { FAULTY, fixtureRequest, layerRequests, withoutCost } from './helpers.js';

test('when the inline pool evaluates requests, then each result equals the evaluator called directly', async () => {
  const pool = await createInlinePool({ kind: 'fast', objectives: 2 });
  const direct = createFastObjective({ objectives: 2 });
  try {
    const requests = layerRequests();
    const viaPool = await Promise.all(requests.map((r) => pool.evaluate(r)));
    const expected = await Promise.all(requests.map((r) => direct.evaluate(r)));
    assert.deepEqual(viaPool.map(withoutCost), expected.map(withoutCost));
    assert.equal(pool.size, 1);
  } finally {
    await pool.close();
  }
});

test('when several requests are queued inline, then they run one at a time in request order', async () => {
  const pool = await createInlinePool(FAULTY);
  try {
    const finished: string[] = [];
    const modes = ['sleep:40', 'sleep:1', 'a'];
    await Promise.all(modes.map((m) => pool.evaluate(fixtureRequest(m)).then(() => finished.push(m))));
    assert.deepEqual(finished, modes);
  } finally {
    await pool.close();
  }
});

test('when the evaluator throws inline, then the job is a stage error rejection and the next job runs', async () => {
  const pool = await createInlinePool(FAULTY);
  try {
    const [thrown, next] = await Promise.all([pool.evaluate(fixtureRequest('throw')), pool.evaluate(fixtureRequest('ok'))]);
    assert.equal(thrown.status === 'rejected' && thrown.stage, 'error');
    assert.equal(next.status, 'ok');
  } finally {
    await pool.close();
  }
});

test('when an inline evaluation outlasts the timeout, then it resolves as stage timeout', async () => {
  const pool = await createInlinePool(FAULTY, { timeoutMs: 20 });
  try {
    const slow = await pool.evaluate(fixtureRequest('sleep:400'));
    assert.equal(slow.status === 'rejected' && slow.stage, 'timeout');
  } finally {
    await pool.close();
  }
});

test('when createPool is asked for each mode, then it returns a working pool of the requested size', async () => {
  const inline = await createPool({ mode: 'inline', spec: { kind: 'fast' } });
  const threads = await createPool({ mode: 'threads', workers: 2, spec: { kind: 'fast' } });
  try {
    assert.equal(inline.size, 1);
    assert.equal(threads.size, 2);
    const [request] = layerRequests();
    assert.deepEqual(withoutCost(await threads.evaluate(request)), withoutCost(await inline.evaluate(request)));
  } finally {
    await inline.close();
    await threads.close();
  }
  await assert.rejects(createPool({ mode: 'redis', spec: { kind: 'fast' } } as never), (err) => err instanceof EvonormError && err.code === 'BAD_CONFIG');
});
