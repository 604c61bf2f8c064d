/** `evonorm worker --redis URL`: evaluate candidates for searches on other machines (BullMQ). */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { DEFAULT_QUEUE } from '../dispatch/redis-connection.js';
import { EvonormError } from '../util/errors.js';
import { integerIn } from './options.js';

interface WorkerOptions {
  redis: string;
  queue: string;
  concurrency: number;
}

export function registerWorker(program: Command, ctx: CommandContext): void {
  program
    .command('worker')
    .description('evaluate candidates for searches whose dispatch mode is "redis" (run one per core, on any machine); Ctrl-C stops after the running job')
    .requiredOption('--redis <url>', 'the Redis server of the search, e.g. redis://10.0.0.5:6379')
    .option('--queue <name>', 'the queue (dispatch.redis.queue of the search)', DEFAULT_QUEUE)
    .option('--concurrency <n>', 'jobs at once in this process', integerIn(1, 64), 1)
    .action(async (opts: WorkerOptions) => {
      if (!(opts.concurrency >= 1)) throw new EvonormError('USAGE', '--concurrency takes a positive integer');
      // bullmq loads only for this command.
      const { startRedisWorker } = await import('../dispatch/redis-worker.js');
      let jobs = 0;
      const worker = startRedisWorker({
        url: opts.redis, queue: opts.queue, concurrency: opts.concurrency,
        onJob: ({ id, status, costMs }) => ctx.io.stderr(`job ${++jobs} ${id}: ${status} in ${(costMs / 1000).toFixed(1)} s\n`),
      });
      await worker.ready;
      ctx.io.stderr(`evonorm worker: taking jobs from queue "${opts.queue}" at ${opts.redis}\n`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await worker.close();
      ctx.io.stderr(`evonorm worker: stopped after ${jobs} job(s)\n`);
    });
}
