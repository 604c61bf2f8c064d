/**
 * The Redis (BullMQ) pool and worker against a real redis-server started for this file (.ci/run
 * installs Debian's redis-server; without it these tests are skipped, saying so, or fail in CI).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { RunConfigSchema } from '../../src/config/run-config.js';
import { redisConnection } from '../../src/dispatch/redis-connection.js';
import { createRedisPool } from '../../src/dispatch/redis-pool.js';
import { startRedisWorker, type RedisWorkerHandle } from '../../src/dispatch/redis-worker.js';
import { createFastObjective } from '../../src/evaluate/fast-objective.js';
import { resolveLayer } from '../../src/graph/index.js';
import { startSearch } from '../../src/run/loop/start-search.js';
import { functionalFingerprint } from '../../src/tensor/fingerprint.js';
import { EvonormError } from '../../src/util/errors.js';
import { FAULTY, fixtureRequest } from './helpers.js';
import { freePort, redisSkip, startRedisServer, type RedisServer } from './redis-server.js';

const skip = redisSkip;
let server: RedisServer | undefined;
let url = '';

before(async () => {
  if (skip) return;
  server = await startRedisServer();
  url = server.url;
});

after(async () => {
  await server?.stop();
});

const SPEC = { kind: 'fast', target: 'evonorm-s0', objectives: 2, maxNodes: 10 } as const;

test('when a worker listens, then the redis pool returns the same evaluations as the evaluator itself', { skip }, async () => {
  const queue = `t1-${process.pid}`;
  const worker = await startRedisWorker({ url, queue });
  await worker.ready;
  const pool = await createRedisPool(SPEC, { url, queue, slots: 2 });
  const local = createFastObjective(SPEC);
  try {
    const layers = ['evonorm-s0', 'evonorm-s1', 'bn-relu', 'x / zero', 'x * sigmoid(x)'];
    const requests = layers.map((l) => {
      const graph = resolveLayer(l).graph;
      return { graph, fingerprint: functionalFingerprint(graph), seed: 0 };
    });
    const remote = await Promise.all(requests.map((r) => pool.evaluate(r)));
    for (const [i, r] of requests.entries()) {
      const expected = await local.evaluate(r);
      const strip = (e: typeof expected): unknown => ({ ...e, costMs: 0 });
      assert.deepEqual(strip(remote[i]), strip(expected), layers[i]);
    }
    assert.equal(remote[0].status, 'ok');
    assert.equal(remote[3].status, 'rejected');
  } finally {
    await pool.close();
    await worker.close();
  }
});

test('when nobody answers within the time limit, then the evaluation is a timeout; close answers the rest', { skip }, async () => {
  const pool = await createRedisPool(SPEC, { url, queue: `t2-${process.pid}`, timeoutMs: 300 });
  const graph = resolveLayer('evonorm-s0').graph;
  const evaluation = await pool.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: 1 });
  assert.equal(evaluation.status, 'rejected');
  assert.equal(evaluation.status === 'rejected' && evaluation.stage, 'timeout');
  const open = await createRedisPool(SPEC, { url, queue: `t3-${process.pid}` });
  const waiting = open.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: 2 });
  await new Promise((r) => setTimeout(r, 100));
  await open.close();
  const closed = await waiting;
  assert.equal(closed.status === 'rejected' && closed.stage, 'error');
  await pool.close();
});

test('when Redis cannot be reached or the URL is wrong, then the pool says so (BAD_CONFIG)', { skip }, async () => {
  const port = await freePort(); // nothing listens there
  await assert.rejects(createRedisPool(SPEC, { url: `redis://127.0.0.1:${port}` }), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG' && /cannot reach Redis/.test(e.message));
  await assert.rejects(createRedisPool(SPEC, { url: 'http://localhost:6379' }), (e: unknown) => e instanceof EvonormError && e.code === 'BAD_CONFIG');
});

test('when a search dispatches to two redis workers, then it ends exactly like the inline search', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-redis-'));
  const queue = `t4-${process.pid}`;
  const base = {
    seed: 3, objective: 'fast', fast: { target: 'evonorm-s0', objectives: 2 },
    search: { populationSize: 12, tournamentSize: 4, batchSize: 6, maxCandidates: 36 },
  };
  const workers: RedisWorkerHandle[] = await Promise.all([startRedisWorker({ url, queue }), startRedisWorker({ url, queue })]);
  await Promise.all(workers.map((w) => w.ready));
  try {
    const inline = await startSearch({ config: RunConfigSchema.parse({ ...base, dispatch: { mode: 'inline' } }), runsDir: dir, name: 'inline', fsync: false });
    const remote = await startSearch({ config: RunConfigSchema.parse({ ...base, dispatch: { mode: 'redis', workers: 2, redis: { url, queue } } }), runsDir: dir, name: 'redis', fsync: false });
    assert.equal(remote.reason, 'budget');
    const outcome = (s: typeof inline.state): unknown => ({ population: s.population, front: s.hallOfFame, counts: s.counts });
    assert.deepEqual(outcome(remote.state), outcome(inline.state));
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
});

/** A request for a zoo layer under the fast objective. */
function layerRequest(layer: string, seed = 0) {
  const graph = resolveLayer(layer).graph;
  return { graph, fingerprint: functionalFingerprint(graph), seed };
}

test('when an awaited job disappears from Redis, then the pool enqueues it again and its evaluation arrives', { skip }, async () => {
  const name = `lost-${process.pid}`;
  const queue = new Queue(name, { connection: redisConnection(url) });
  const requeued: string[] = [];
  const pool = await createRedisPool(SPEC, { url, queue: name, checkIntervalMs: 50, onRequeue: (ids) => requeued.push(...ids) });
  try {
    const pending = pool.evaluate(layerRequest('evonorm-s1', 4));
    while ((await queue.getJobCounts('waiting')).waiting === 0) await new Promise((r) => setTimeout(r, 10));
    await queue.obliterate({ force: true }); // as a Redis restart without persistence would
    while (requeued.length === 0) await new Promise((r) => setTimeout(r, 10));
    const worker = await startRedisWorker({ url, queue: name });
    const evaluation = await pending;
    await worker.close();
    assert.equal(evaluation.status, 'ok');
    assert.equal(requeued.length, 1);
  } finally {
    await pool.close();
    await queue.close();
  }
});

test('when a job finished in an earlier session, then evaluate takes its result (completed) or tries again (failed)', { skip }, async () => {
  const name = `earlier-${process.pid}`;
  const queue = new Queue(name, { connection: redisConnection(url) });
  const worker = await startRedisWorker({ url, queue: name });
  try {
    const first = await createRedisPool(SPEC, { url, queue: name });
    const request = layerRequest('evonorm-b0', 5);
    const done = await first.evaluate(request);
    await first.close();
    await worker.close();
    // No worker now: a result can only come from Redis.
    const second = await createRedisPool(SPEC, { url, queue: name });
    assert.deepEqual(await second.evaluate(request), done);
    await second.close();

    const failing = layerRequest('gn-relu', 5);
    const id = `${(await queue.getJobs(['completed']))[0]!.id!.split('-')[0]}-${failing.fingerprint}`;
    // A worker of an earlier session failed it.
    const broken = new Worker(name, async () => { throw new Error('an earlier worker failed'); }, { connection: redisConnection(url) });
    await queue.add('evaluate', { spec: SPEC, request: failing }, { jobId: id });
    while ((await queue.getJobState(id)) !== 'failed') await new Promise((r) => setTimeout(r, 10));
    await broken.close();
    assert.equal(await queue.getJobState(id), 'failed');
    const third = await createRedisPool(SPEC, { url, queue: name, checkIntervalMs: 50 });
    const again = third.evaluate(failing);
    const retrying = await startRedisWorker({ url, queue: name });
    assert.equal((await again).status, 'ok');
    await third.close();
    await retrying.close();
  } finally {
    await queue.close();
  }
});

test('when a fingerprint holds characters a BullMQ job id cannot (":"), then the job still runs', { skip }, async () => {
  const name = `colon-${process.pid}`;
  const worker = await startRedisWorker({ url, queue: name });
  const pool = await createRedisPool(FAULTY, { url, queue: name });
  try {
    const evaluation = await pool.evaluate(fixtureRequest('sleep:1'));
    assert.equal(evaluation.status, 'ok');
  } finally {
    await pool.close();
    await worker.close();
  }
});
