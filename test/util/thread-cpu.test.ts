import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CLOCK_TICK_MS, parseStatTicks, threadCpuClock } from '../../src/util/thread-cpu.js';

/** Burns CPU on this thread for about `ms` of wall time. */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

test('when a stat line is parsed, then utime + stime are read after the command name, even one with spaces and parentheses', () => {
  const line = '4242 (node (worker) 1) R 1 2 3 0 -1 4194304 98 0 0 0 120 35 0 0 20 0 1 0 28367 3133440 389\n';
  assert.equal(parseStatTicks(line), 155);
  assert.ok(Number.isNaN(parseStatTicks('not a stat line')));
});

test('when the thread burns CPU, then the clock advances by about that much and never goes back', () => {
  const clock = threadCpuClock();
  assert.equal(clock.source, existsSync('/proc/thread-self/stat') ? 'thread' : 'process');
  const t0 = clock.now();
  spin(120);
  const used = clock.now() - t0;
  assert.ok(used >= 60 && used <= 400, `used ${used} ms`);
  assert.ok(clock.now() >= t0 + used);
});

test('when another thread of the process burns CPU, then this thread\'s clock does not count it', { skip: !existsSync('/proc/thread-self/stat') }, async () => {
  const clock = threadCpuClock();
  const t0 = clock.now();
  const worker = new Worker(`const end = Date.now() + 300; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`, { eval: true });
  await new Promise<void>((resolve, reject) => { worker.on('exit', () => resolve()); worker.on('error', reject); });
  // This thread only waited (plus the worker's start-up on our side): far less than the worker's 300 ms.
  assert.ok(clock.now() - t0 < 150 + 2 * CLOCK_TICK_MS, `this thread used ${clock.now() - t0} ms`);
});
