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

test('when the thread burns CPU, then its clock advances, never goes back and never exceeds the process\'s CPU', () => {
  const clock = threadCpuClock();
  assert.equal(clock.source, existsSync('/proc/thread-self/stat') ? 'thread' : 'process');
  // No timing assertion: on a loaded machine the thread may get little of the wall time, so it
  // burns until its own clock has moved 100 ms (or 30 s of wall time pass, which fails below).
  const process0 = process.cpuUsage();
  const t0 = clock.now();
  const deadline = performance.now() + 30_000;
  let last = t0;
  while (clock.now() - t0 < 100 && performance.now() < deadline) {
    spin(5);
    const reading = clock.now();
    assert.ok(reading >= last, `the clock went back from ${last} to ${reading}`);
    last = reading;
  }
  const used = clock.now() - t0;
  const { user, system } = process.cpuUsage(process0);
  const processMs = (user + system) / 1000;
  assert.ok(used >= 100, `the clock moved only ${used} ms`);
  // This thread's CPU is part of the process's (ticks of 10 ms round either way).
  assert.ok(used <= processMs + 2 * CLOCK_TICK_MS, `thread ${used} ms > process ${processMs} ms`);
});

test('when another thread of the process burns CPU, then this thread\'s clock does not count it', { skip: !existsSync('/proc/thread-self/stat') }, async () => {
  const clock = threadCpuClock();
  const t0 = clock.now();
  const worker = new Worker(`const end = Date.now() + 300; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`, { eval: true });
  await new Promise<void>((resolve, reject) => { worker.on('exit', () => resolve()); worker.on('error', reject); });
  // This thread only waited (plus the worker's start-up on our side): far less than the worker's 300 ms.
  assert.ok(clock.now() - t0 < 150 + 2 * CLOCK_TICK_MS, `this thread used ${clock.now() - t0} ms`);
});
