/**
 * `evonorm worker --redis URL`: evaluate candidates for searches on other machines (BullMQ).
 * Exit 3 when nothing answers at the URL; Ctrl-C (SIGINT) or SIGTERM stops it at once, its
 * running jobs going back to the queue for another worker (exit 130).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from './context.js';
import { DEFAULT_QUEUE } from '../dispatch/redis-connection.js';
import { EXIT } from '../util/errors.js';
import { integerIn } from './options.js';
import { queueNameProblem } from '../config/limits.js';

interface WorkerOptions {
  redis: string;
  queue: string;
  concurrency: number;
  lockSeconds: number;
}

export function registerWorker(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description('evaluate candidates for searches whose dispatch mode is "redis" (run one per core, on any machine); Ctrl-C or SIGTERM stops at once, returning the running job to the queue')
    .requiredOption('--redis <url>', 'the Redis server of the search, e.g. redis://10.0.0.5:6379')
    .option('--queue <name>', 'the queue (dispatch.redis.queue of the search): not empty, no ":"', parseQueue, DEFAULT_QUEUE)
    .option('--concurrency <n>', 'jobs at once in this process', integerIn(1, 64), 1)
    .option('--lock-seconds <s>', 'lock time of a running job, renewed every half of it: a job of a worker that died is taken again after this plus the search\'s check interval (dispatch.redis.stalledIntervalSeconds)', parseLockSeconds, 30)
    .action(async (opts: WorkerOptions) => {
      // bullmq loads only for this command.
      const { startRedisWorker } = await import('../dispatch/redis-worker.js');
      let jobs = 0;
      const worker = await startRedisWorker({
        url: opts.redis, queue: opts.queue, concurrency: opts.concurrency, lockMs: opts.lockSeconds * 1000,
        onJob: ({ id, status, costMs }) => ctx.io.stderr(`job ${++jobs} ${id}: ${status} in ${(costMs / 1000).toFixed(1)} s\n`),
        onError: (message) => ctx.io.stderr(`evonorm worker: ${message}\n`),
      });
      const stopped = new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const ready = await Promise.race([worker.ready.then(() => true), stopped.then(() => false)]);
      if (ready) {
        ctx.io.stderr(`evonorm worker ${worker.name}: taking jobs from queue "${opts.queue}" at ${opts.redis}\n`);
        await stopped;
      }
      const returned = await worker.close({ abandon: true });
      ctx.io.stderr(`evonorm worker: stopped after ${jobs} job(s)${returned ? `; ${returned} running job(s) returned to the queue` : ''}\n`);
      ctx.exit(EXIT.interrupted);
    });
}

/** `--queue <name>`: a BullMQ queue name (not empty, no ":"). */
function parseQueue(value: string): string {
  const problem = queueNameProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem}.`);
  return value;
}

/** `--lock-seconds <s>`: a number of seconds from 0.1 to 3600. */
function parseLockSeconds(value: string): number {
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0.1 && n <= 3600)) throw new InvalidArgumentError('expected a number of seconds from 0.1 to 3600.');
  return n;
}
