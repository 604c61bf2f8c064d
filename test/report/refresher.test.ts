import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReportRefresher } from '../../src/report/refresher.js';
import type { WriteReportOptions, WriteReportResult } from '../../src/report/write-report.js';

/** A fake clock and a fake writer that takes `cost(n)` ms of that clock for the n-th report. */
function harness(cost: (n: number) => number, fail = false) {
  let clock = 0;
  let active = 0;
  let maxActive = 0;
  const calls: WriteReportOptions[] = [];
  const write = async (_path: string, options: WriteReportOptions): Promise<WriteReportResult> => {
    calls.push(options);
    active++;
    maxActive = Math.max(maxActive, active);
    await Promise.resolve();
    clock += cost(calls.length);
    active--;
    if (fail) throw new Error('disk full');
    return { path: '/x/report.html', bytes: 1, ms: 0, problems: [], state: options.live ? 'running' : 'finished' };
  };
  return { now: () => clock, advance: (ms: number) => { clock += ms; }, write, calls, maxActive: () => maxActive };
}

test('when poked through a long search whose journal grows, then refreshes take at most 2% of its time, one at a time, live', async () => {
  // The journal grows 100 bytes per ms; a report costs 300 ms plus 1 ms per 100 kB of journal.
  let clock = 0;
  const bytes = (): number => clock * 100;
  const h = harness(() => 300 + bytes() / 1e5);
  const tick = h.now;
  const now = (): number => (clock = tick());
  const errors: unknown[] = [];
  const r = createReportRefresher({ runPath: '/x', now, write: h.write, onError: (e) => errors.push(e), journalBytes: bytes });
  for (let step = 0; step < 40_000; step++) {
    h.advance(50);
    now();
    r.poke();
    await Promise.resolve();
    await Promise.resolve();
  }
  const elapsed = h.now();
  const { writes, spentMs } = r.stats();
  assert.ok(writes >= 5, `refreshed ${writes} times`);
  assert.ok(spentMs <= 0.02 * elapsed, `spent ${spentMs} ms of ${elapsed} ms`);
  assert.equal(h.maxActive(), 1);
  assert.ok(h.calls.every((c) => c.live === true));
  assert.deepEqual(errors, []);
});

test('when the search ends, then final() writes a last report with the run\'s own state (not live)', async () => {
  const h = harness(() => 10);
  const r = createReportRefresher({ runPath: '/x', now: h.now, write: h.write });
  const result = await r.final();
  assert.equal(result?.state, 'finished');
  assert.equal(h.calls.at(-1)?.live, false);
});

test('when writing fails, then the error goes to onError and nothing throws', async () => {
  const h = harness(() => 10, true);
  const errors: unknown[] = [];
  const r = createReportRefresher({ runPath: '/x', now: h.now, write: h.write, onError: (e) => errors.push(e) });
  h.advance(1_000_000);
  r.poke();
  assert.equal(await r.final(), undefined);
  assert.equal(errors.length, 2);
  assert.match(String(errors[0]), /disk full/);
});
