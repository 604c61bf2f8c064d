/**
 * Searches with real (synthetic-data) proxy trainings on `evonorm worker` processes through a
 * real redis-server, and something dies in the middle: a worker (SIGKILL), Redis itself (killed
 * and started again empty, as without persistence), or the search (SIGKILL, then --resume).
 * Each must end with every candidate evaluated once and exactly the inline run's population,
 * front and counts, with no time limit configured (a lost job must come back, not time out).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { RunConfigSchema, type RunConfigInput } from '../../src/config/run-config.js';
import { redisConnection } from '../../src/dispatch/redis-connection.js';
import { readJournal } from '../../src/run/journal/journal.js';
import { startSearch } from '../../src/run/loop/start-search.js';
import type { EvolverState } from '../../src/search/evolver.js';
import { cliCommand } from '../cli/cli-command.js';
import { redisSkip, startRedisServer, type RedisServer } from './redis-server.js';

const skip = redisSkip;
const QUEUE = `recovery-${process.pid}`;
/** Lock of a running job on the workers, and the search's check interval: small, so a death shows fast. */
const LOCK_SECONDS = 3;
const CHECK_SECONDS = 0.3;

const BASE: RunConfigInput = {
  seed: 11,
  objective: 'proxy',
  evaluation: {
    backend: (process.env.EVONORM_TEST_BACKEND ?? 'wasm') as 'wasm' | 'cpu',
    data: { name: 'synthetic', count: 160, size: 8, numClasses: 4, noise: 0.1 },
    architectures: [{ arch: 'resnet', stageBlocks: [1], width: 0.5 }],
    training: { steps: 8, batchSize: 16, lr: 0.05, warmupSteps: 2, evalBatchSize: 64 },
    rejection: { stability: { steps: 3, batchSize: 8 }, quality: { steps: 4, minAccuracy: 0 } },
  },
  search: { populationSize: 6, tournamentSize: 3, batchSize: 4, maxCandidates: 16, seedLayers: ['bn-relu', 'evonorm-s0', 'evonorm-b0'] },
};

let server: RedisServer | undefined;
/** Stops searches still running when the file ends (only after a failure), so the process can exit. */
const stopAll = new AbortController();
let queue: Queue | undefined;
const workers = new Set<ChildProcess>();
const dir = mkdtempSync(join(tmpdir(), 'evonorm-redis-recovery-'));

before(async () => {
  if (skip) return;
  server = await startRedisServer();
  queue = new Queue(QUEUE, { connection: redisConnection(server.url) });
  queue.on('error', () => undefined);
  await Promise.all([spawnWorker(), spawnWorker()]);
});

after(async () => {
  stopAll.abort();
  await Promise.all([...workers].map(stopChild));
  await queue?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function redisConfig(): RunConfigInput {
  return { ...BASE, dispatch: { mode: 'redis', workers: 2, redis: { url: server!.url, queue: QUEUE, stalledIntervalSeconds: CHECK_SECONDS } } };
}

/** Starts `evonorm worker` as a child process; resolves once it takes jobs. */
function spawnWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, cliCommand(['worker', '--redis', server!.url, '--queue', QUEUE, '--lock-seconds', String(LOCK_SECONDS)]), { stdio: ['ignore', 'ignore', 'pipe'] });
  workers.add(child);
  child.once('exit', () => workers.delete(child));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('taking jobs')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`evonorm worker exited with ${code}: ${err}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/** Polls the queue until a job is running (on the worker `pid` when given); resolves with its id. */
async function runningJob(search: Promise<unknown> | null, pid?: number): Promise<string> {
  let settled = false;
  void search?.finally(() => { settled = true; });
  for (;;) {
    if (settled) assert.fail('the search ended before a job could be caught running');
    const active = await queue!.getJobs(['active']);
    const job = active.find((j) => pid === undefined || j.processedBy === `${hostname()}:${pid}`);
    if (job?.id !== undefined) return job.id;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What must match the inline run: population, front, counts. */
function outcome(state: EvolverState): unknown {
  return { population: state.population, front: state.hallOfFame, counts: state.counts, nextId: state.nextId };
}

let reference: Promise<EvolverState> | undefined;
/** The inline run of the same config (computed once). */
function inlineOutcome(): Promise<EvolverState> {
  reference ??= startSearch({ config: RunConfigSchema.parse({ ...BASE, dispatch: { mode: 'inline' } }), runsDir: dir, name: 'inline', fsync: false, exportAtEnd: false }).then((r) => r.state);
  return reference;
}

/**
 * Every candidate has a result, none two fresh ones (a resumed run journals a re-proposed
 * candidate again, as a cache hit), no function was evaluated afresh twice, and no result is a
 * machinery failure (stage error or timeout).
 */
function assertEvaluatedOnce(journalPath: string, candidates: number): void {
  const events = readJournal(journalPath).events;
  const evaluated = new Set<number>();
  const freshIds: number[] = [];
  const freshFunctions: string[] = [];
  for (const e of events) {
    if (e.type !== 'evaluated') continue;
    evaluated.add(e.id);
    assert.ok(!(e.evaluation.status === 'rejected' && (e.evaluation.stage === 'error' || e.evaluation.stage === 'timeout')), `candidate ${e.id}: ${JSON.stringify(e.evaluation)}`);
    if (e.cached) continue;
    freshIds.push(e.id);
    if (e.fingerprint !== null) freshFunctions.push(e.fingerprint);
  }
  assert.equal(evaluated.size, candidates, 'every candidate has a result');
  assert.equal(new Set(freshIds).size, freshIds.length, 'a candidate was evaluated twice');
  assert.equal(new Set(freshFunctions).size, freshFunctions.length, 'a function was evaluated twice');
}

async function freshQueue(): Promise<void> {
  await queue!.obliterate({ force: true });
}

test('when a worker is SIGKILLed in the middle of a job, then its job is taken again and the search ends like the inline one', { skip, timeout: 60_000 }, async () => {
  const expected = await inlineOutcome();
  await freshQueue();
  const victim = [...workers][0]!;
  const search = startSearch({ config: RunConfigSchema.parse(redisConfig()), runsDir: dir, name: 'worker-killed', fsync: false, exportAtEnd: false, signal: stopAll.signal });
  // Freeze the victim while it runs a job, make sure the job did not just finish, then kill it.
  let jobId: string;
  for (;;) {
    jobId = await runningJob(search, victim.pid);
    victim.kill('SIGSTOP');
    if ((await queue!.getJobState(jobId)) === 'active') break;
    victim.kill('SIGCONT');
  }
  await stopChild(victim);
  const replacement = spawnWorker();
  const result = await search;
  await replacement;
  assert.equal(result.reason, 'budget');
  assert.deepEqual(outcome(result.state), outcome(expected));
  assertEvaluatedOnce(result.run.journalPath, 16);
  const job = await queue!.getJob(jobId);
  assert.ok(job !== undefined && job.stalledCounter >= 1 && (await job.getState()) === 'completed', 'the killed worker\'s job came back through the stalled check');
});

test('when redis-server is killed mid-search and started again empty, then the lost jobs are enqueued again and the search ends like the inline one', { skip, timeout: 60_000 }, async () => {
  const expected = await inlineOutcome();
  await freshQueue();
  const search = startSearch({ config: RunConfigSchema.parse(redisConfig()), runsDir: dir, name: 'redis-restarted', fsync: false, exportAtEnd: false, signal: stopAll.signal });
  await runningJob(search);
  await server!.restart();
  const result = await search;
  assert.equal(result.reason, 'budget');
  assert.deepEqual(outcome(result.state), outcome(expected));
  assertEvaluatedOnce(result.run.journalPath, 16);
  const log = readFileSync(join(result.run.path, 'log.jsonl'), 'utf8');
  assert.match(log, /"level":40.*evaluation job\(s\) lost on Redis \(a worker died or Redis restarted\); enqueued again/, 'the re-enqueue is logged as a warning');
});

test('when the search is SIGKILLed mid-run and resumed, then finished jobs are reused, none trained twice, and it ends like the inline one', { skip, timeout: 60_000 }, async () => {
  const expected = await inlineOutcome();
  await freshQueue();
  const configPath = join(dir, 'controller.json');
  writeFileSync(configPath, JSON.stringify({ ...redisConfig(), name: 'controller-killed' }));
  const runPath = join(dir, 'controller-killed');
  const journalPath = join(runPath, 'journal.jsonl');
  const controller = spawn(process.execPath, cliCommand(['search', '--config', configPath, '--runs-dir', dir]), { stdio: 'ignore' });
  after(() => stopChild(controller));
  // Kill it once some results are journaled and a job is running.
  for (;;) {
    const journal = existsSync(journalPath) ? readFileSync(journalPath, 'utf8') : '';
    if ((journal.match(/"type":"evaluated"/g) ?? []).length >= 5) break;
    if (controller.exitCode !== null) assert.fail('the search ended before it could be killed');
    await new Promise((r) => setTimeout(r, 10));
  }
  await runningJob(null);
  await stopChild(controller);
  assert.ok(!readJournal(journalPath).events.some((e) => e.type === 'run-finished'), 'the search was killed before it finished');

  const result = await startSearch({ resume: runPath, fsync: false, exportAtEnd: false, signal: stopAll.signal });
  assert.equal(result.reason, 'budget');
  assert.deepEqual(outcome(result.state), outcome(expected));
  assertEvaluatedOnce(journalPath, 16);
  const jobs = await queue!.getJobs(['completed']);
  assert.ok(jobs.length > 0 && jobs.every((j) => j.attemptsStarted === 1), 'a job was trained twice');
});
