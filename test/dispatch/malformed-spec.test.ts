/**
 * An evaluator spec that arrives from outside the process (a worker thread's workerData, a Redis
 * job) is parsed with EvaluatorSpecSchema: a malformed one is EvonormError('BAD_CONFIG') naming
 * the field, never a crash with a stack trace (issue 19 §2).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { createThreadPool } from '../../src/dispatch/thread-pool.js';
import { redisConnection } from '../../src/dispatch/redis-connection.js';
import { startRedisWorker } from '../../src/dispatch/redis-worker.js';
import { parseEvaluatorSpec, type EvaluatorSpec } from '../../src/evaluate/registry.js';
import type { Evaluation } from '../../src/evaluate/types.js';
import { EvonormError } from '../../src/util/errors.js';
import { fixtureRequest } from './helpers.js';
import { redisSkip, startRedisServer, type RedisServer } from './redis-server.js';

const MALFORMED: [string, unknown, RegExp][] = [
  ['an unknown kind', { kind: 'fats', objectives: 2 }, /spec\.kind: /],
  ['a misspelt field', { kind: 'fast', objectivs: 2 }, /spec: Unrecognized key: "objectivs"|objectivs/],
  ['a field of the wrong type', { kind: 'fast', objectives: 'two' }, /spec\.objectives: /],
  ['an unknown backend', { kind: 'proxy', config: {}, backend: 'gpu' }, /spec\.backend: /],
  ['a module spec without its module', { kind: 'module', config: {} }, /spec\.module: /],
  ['no spec at all', undefined, /the spec: /],
];

const isBadConfig = (field: RegExp) => (err: unknown): boolean => err instanceof EvonormError && err.code === 'BAD_CONFIG' && field.test(err.message) && !err.message.includes('\n');

test('when a spec is well formed, then it passes through as it is; when not, then it is BAD_CONFIG naming the field and where it came from', () => {
  const spec = { kind: 'fast', target: 'evonorm-s0', objectives: 2 };
  assert.equal(parseEvaluatorSpec(spec, 'x'), spec);
  const proxy = { kind: 'proxy', config: { anything: 1 }, levels: [{ more: 2 }], backend: 'cpu' };
  assert.equal(parseEvaluatorSpec(proxy, 'x'), proxy);
  for (const [name, value, field] of MALFORMED) {
    assert.throws(() => parseEvaluatorSpec(value, 'Redis job 7'), (err: unknown) => isBadConfig(field)(err) && /from Redis job 7/.test((err as Error).message), name);
  }
});

test('when a worker thread is handed a malformed spec, then the pool refuses to start with BAD_CONFIG naming the field', async () => {
  for (const [name, value, field] of MALFORMED.slice(0, 3)) {
    await assert.rejects(createThreadPool(value as EvaluatorSpec, 1), isBadConfig(field), name);
  }
});

let server: RedisServer | undefined;
before(async () => {
  if (!redisSkip) server = await startRedisServer();
});
after(async () => {
  await server?.stop();
});

test('when a Redis job carries a malformed spec, then its result is a rejection naming the field and the worker goes on', { skip: redisSkip }, async () => {
  const name = `bad-spec-${process.pid}`;
  const queue = new Queue(name, { connection: redisConnection(server!.url) });
  const worker = await startRedisWorker({ url: server!.url, queue: name });
  const result = async (id: string): Promise<Evaluation> => {
    // The state first, then the job: a job read before it completed has no return value.
    while ((await queue.getJobState(id)) !== 'completed') await new Promise((r) => setTimeout(r, 20));
    return (await queue.getJob(id))!.returnvalue as Evaluation;
  };
  try {
    await queue.add('evaluate', { spec: { kind: 'fast', objectives: 'two' }, request: fixtureRequest('ok') }, { jobId: 'bad' });
    await queue.add('evaluate', { spec: { kind: 'fast', objectives: 2 }, request: fixtureRequest('ok') }, { jobId: 'good' });
    const bad = await result('bad');
    assert.equal(bad.status, 'rejected');
    assert.equal(bad.status === 'rejected' && bad.code, 'worker-failed');
    assert.match(bad.status === 'rejected' ? bad.reason : '', /malformed evaluator spec from Redis job bad: spec\.objectives: /);
    assert.equal((await result('good')).status, 'ok');
  } finally {
    await worker.close();
    await queue.close();
  }
});
