/**
 * Progress from the first seconds (issue 19 §4): evaluators report where they are, the pools
 * carry it to the caller of that evaluation, and the search's progress line shows it with an ETA
 * from the recent results only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createPool } from '../../src/dispatch/create-pool.js';
import { throttledProgress } from '../../src/dispatch/progress-throttle.js';
import type { EvaluationProgress } from '../../src/evaluate/types.js';
import { parseExpression } from '../../src/graph/parse.js';
import { createSearchProgress, ETA_AFTER_RESULTS } from '../../src/cli/search-progress.js';
import { progressLine } from '../../src/cli/progress-line.js';
import type { EvolverState } from '../../src/search/evolver.js';

const MODULE = fileURLToPath(new URL('../dispatch/fixtures/progress-evaluator.ts', import.meta.url));
const request = (seed: string) => ({ graph: parseExpression('relu(x)'), fingerprint: seed, seed });

for (const mode of ['inline', 'threads'] as const) {
  test(`when a ${mode} evaluator reports progress, then each report reaches the watcher of its own evaluation`, async () => {
    const spec = { kind: 'module' as const, module: MODULE, config: { of: 3, stepMs: 1 } };
    const pool = await createPool(mode === 'inline' ? { mode, spec } : { mode, spec, workers: 2 });
    try {
      const seen: Record<string, EvaluationProgress[]> = { a: [], b: [] };
      await Promise.all(['a', 'b'].map((s) => pool.evaluate(request(s), { onProgress: (p) => seen[s]!.push(p) })));
      for (const s of ['a', 'b']) {
        // Throttled to one a second per stage/network: the first step of each training gets through.
        assert.ok(seen[s]!.length >= 1, `no progress for ${s}`);
        assert.ok(seen[s]!.every((p) => p.arch === `net-${s}` && p.stage === 'proxy' && p.of === 3), JSON.stringify(seen));
      }
    } finally {
      await pool.close();
    }
  });
}

test('when progress comes every step, then the throttle passes the first, any change of stage or network, and one a second', () => {
  let t = 0;
  const passed: string[] = [];
  const report = throttledProgress((p) => passed.push(`${p.stage}/${p.arch}/${p.step}`), 1000, () => t);
  for (let step = 1; step <= 30; step++, t += 100) report({ stage: 'proxy', arch: 'resnet', step, of: 30 });
  report({ stage: 'proxy', arch: 'mobilenetv2', step: 1, of: 30 });
  assert.deepEqual(passed, ['proxy/resnet/1', 'proxy/resnet/11', 'proxy/resnet/21', 'proxy/mobilenetv2/1']);
});

test('when results arrive, then the rate and ETA come from the recent results only, and none is shown before enough of them', () => {
  let t = 0;
  const live = createSearchProgress(() => t);
  live.noteResults(5); // five results of earlier sessions: not this process's rate
  assert.ok(Number.isNaN(live.ratePerMinute()));
  // Four slow results (a minute each: the seed layers), then fast ones (6 s each).
  for (let i = 1; i <= 4; i++) { t += 60_000; live.noteResults(5 + i); }
  assert.ok(Number.isNaN(live.ratePerMinute()), `no rate before ${ETA_AFTER_RESULTS} results`);
  for (let i = 1; i <= 60; i++) { t += 6_000; live.noteResults(9 + i); }
  assert.ok(Math.abs(live.ratePerMinute() - 10) < 1e-9, `rate ${live.ratePerMinute()}`);
  const counters = { proposed: 70, evaluated: 60, rejected: 4, cacheHits: 0, rejectedByStage: {}, front: 1 };
  const state = { numObjectives: 1, hallOfFame: [], nextId: 75 } as unknown as EvolverState;
  // 130 − 75 not proposed + 6 in flight = 61 candidates at 10 a minute.
  assert.match(progressLine(counters, state, 0, 130, live), /· 10\.0 cand\/min · ETA 6 min$/);
  const fresh = createSearchProgress(() => t);
  assert.match(progressLine(counters, state, 0, 100, fresh), /· ETA after 8 results$/);
});

test('when a burst of cache hits arrives after slow results, then the rate still spans the last five minutes, not the burst (no "ETA <1 min")', () => {
  let t = 0;
  const live = createSearchProgress(() => t);
  live.noteResults(0);
  // Slow results, one a minute for 30 minutes, then 40 cache hits within a second.
  for (let i = 1; i <= 30; i++) { t += 60_000; live.noteResults(i); }
  assert.ok(Math.abs(live.ratePerMinute() - 1) < 1e-9, `slow rate ${live.ratePerMinute()}`);
  for (let i = 1; i <= 40; i++) { t += 25; live.noteResults(30 + i); }
  // The window reaches back five minutes: 5 slow results + 40 hits over 5 minutes and a second.
  const rate = live.ratePerMinute();
  assert.ok(rate > 5 && rate < 10, `rate after the burst ${rate}`);
  const counters = { proposed: 70, evaluated: 70, rejected: 0, cacheHits: 40, rejectedByStage: {}, front: 1 };
  const state = { numObjectives: 1, hallOfFame: [], nextId: 70 } as unknown as EvolverState;
  assert.doesNotMatch(progressLine(counters, state, 0, 500, live), /ETA <1 min/);
});

test('when an evaluation reports where it is, then the line names the candidate, stage, network, seed and step', () => {
  const live = createSearchProgress(() => 0);
  assert.equal(live.nowText(), '');
  live.noteEvaluation(12, { stage: 'quality', arch: 'resnet', step: 20, of: 40, seed: 1 });
  assert.equal(live.nowText(), 'now #12 quality resnet seed 1 step 20/40');
});
