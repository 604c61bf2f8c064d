/** A malformed evaluation from a worker or plug-in is a rejection with the reason, never a crash (issue 19 §2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createPool } from '../../src/dispatch/create-pool.js';
import { checkedEvaluation } from '../../src/dispatch/checked-evaluation.js';
import { parseExpression } from '../../src/graph/parse.js';

const MODULE = fileURLToPath(new URL('./fixtures/malformed-evaluator.ts', import.meta.url));
const answers = {
  good: { status: 'ok', objectives: [0.5], costMs: 1 },
  words: { status: 'ok', objectives: ['high'], costMs: 1 },
  nothing: null,
  unknownStatus: { status: 'great', costMs: 1 },
};
const request = (seed: string) => ({ graph: parseExpression('relu(x)'), fingerprint: 'f', seed });

test('when a value is an evaluation, then it passes through unchanged; when not, then it is a worker-failed rejection naming the field', () => {
  const good = { status: 'ok', objectives: [0.5], costMs: 1, extra: 'kept' };
  assert.equal(checkedEvaluation(good, 'x', 3), good);
  // A diverged training's accuracy is NaN in memory (null once journaled): a valid evaluation.
  const diverged = { status: 'rejected', stage: 'training', code: 'non-finite-loss', reason: 'loss NaN', costMs: 5, archs: [{ arch: 'resnet', accuracy: Number.NaN, loss: Number.POSITIVE_INFINITY, ms: 5 }] };
  assert.equal(checkedEvaluation(diverged, 'x', 3), diverged);
  assert.equal(checkedEvaluation(undefined, 'x', 3).status, 'rejected');
  const bad = checkedEvaluation({ status: 'ok', objectives: ['high'], costMs: 1 }, 'a worker thread', 3);
  assert.equal(bad.status, 'rejected');
  assert.equal(bad.status === 'rejected' && bad.code, 'worker-failed');
  assert.match(bad.status === 'rejected' ? bad.reason : '', /^malformed evaluation from a worker thread: objectives\.0: /);
});

for (const mode of ['inline', 'threads'] as const) {
  test(`when a ${mode} evaluator answers with malformed evaluations, then each is a rejection with the reason and the pool goes on`, async () => {
    const spec = { kind: 'module' as const, module: MODULE, config: { answers } };
    const pool = await createPool(mode === 'inline' ? { mode, spec } : { mode, spec, workers: 1 });
    try {
      const [words, nothing, unknownStatus, good] = await Promise.all(['words', 'nothing', 'unknownStatus', 'good'].map((s) => pool.evaluate(request(s))));
      for (const e of [words, nothing, unknownStatus]) {
        assert.equal(e.status, 'rejected');
        assert.match(e.status === 'rejected' ? e.reason : '', /^malformed evaluation from /);
      }
      assert.deepEqual(good, answers.good);
    } finally {
      await pool.close();
    }
  });
}
