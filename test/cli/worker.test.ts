/**
 * `evonorm worker`: fails like `search` when nothing answers at --redis, and SIGTERM / SIGINT
 * stop it (exit 130) whatever it is doing — connecting, idle, or in the middle of a job, which
 * then goes straight back to the queue.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { redisConnection } from '../../src/dispatch/redis-connection.js';
import { EXIT } from '../../src/util/errors.js';
import { FAULTY, fixtureRequest } from '../dispatch/helpers.js';
import { cliCommand, compiledTwin } from './cli-command.js';
import { freePort, redisSkip, startRedisServer, type RedisServer } from '../dispatch/redis-server.js';

let server: RedisServer | undefined;

before(async () => {
  if (!redisSkip) server = await startRedisServer();
});
const children = new Set<ChildProcess>();
after(async () => {
  for (const child of children) child.kill('SIGKILL'); // only left over when a test failed
  await server?.stop();
});

/** `evonorm worker <args>` as a child process, with its stderr collected; `tsx` when it must load a TypeScript fixture. */
function spawnWorker(args: readonly string[], options: { tsx?: boolean } = {}): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, cliCommand(['worker', ...args], options), { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, 20));
}

test('when nothing listens at --redis, then the worker exits 3 saying it cannot reach Redis', { timeout: 20_000 }, async () => {
  const io = memoryIo();
  const port = await freePort();
  const code = await main(['worker', '--redis', `redis://127.0.0.1:${port}`], io);
  assert.equal(code, EXIT.badInput);
  assert.match(io.err.join(''), /cannot reach Redis/);
});

test('when --lock-seconds or --concurrency is not a positive number, then it is a usage error', async () => {
  for (const args of [['--lock-seconds', 'abc'], ['--lock-seconds', '0'], ['--concurrency', '0'], ['--concurrency', '1.5']]) {
    const io = memoryIo();
    assert.equal(await main(['worker', '--redis', 'redis://127.0.0.1:1', ...args], io), EXIT.usage, args.join(' '));
  }
});

test('when a server accepts the connection but never answers, then SIGTERM still stops the worker (exit 130)', { timeout: 30_000 }, async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => { sockets.add(socket); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  const { port } = silent.address() as { port: number };
  try {
    const worker = spawnWorker(['--redis', `redis://127.0.0.1:${port}`]);
    // The TCP probe, then the worker's own connections: it is now waiting for Redis to answer.
    await until(() => sockets.size >= 2);
    worker.child.kill('SIGTERM');
    assert.equal(await worker.exit, EXIT.interrupted, worker.stderr());
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('when a worker gets SIGTERM or SIGINT in the middle of a job, then it exits 130 and the job is back in the queue at once', { skip: redisSkip, timeout: 60_000 }, async () => {
  // Both signals at once: each worker has its own queue.
  await Promise.all((['SIGTERM', 'SIGINT'] as const).map(async (signal) => {
    const name = `cli-${signal}-${process.pid}`;
    const queue = new Queue(name, { connection: redisConnection(server!.url) });
    try {
      // A lock far longer than the test: only the worker itself can have returned the job.
      // The fixture evaluator compiled when fresh (a worker on the compiled CLI cannot load .ts), else all under tsx.
      const compiled = compiledTwin('test/dispatch/fixtures/faulty-evaluator.ts');
      const spec = compiled !== undefined ? { kind: 'module', module: pathToFileURL(compiled).href } : FAULTY;
      const worker = spawnWorker(['--redis', server!.url, '--queue', name, '--lock-seconds', '600'], { tsx: compiled === undefined });
      await until(() => worker.stderr().includes('taking jobs'));
      await queue.add('evaluate', { spec, request: fixtureRequest('sleep:600000') }, { jobId: 'long' });
      await until(async () => (await queue.getJobState('long')) === 'active');
      worker.child.kill(signal);
      assert.equal(await worker.exit, EXIT.interrupted, worker.stderr());
      assert.equal(await queue.getJobState('long'), 'waiting', signal);
      assert.match(worker.stderr(), /1 running job\(s\) returned to the queue/);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }));
});
