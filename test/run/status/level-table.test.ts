import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateRecord } from '../../../src/run/replay/candidates.js';
import { formatLevelTable, topLevelTable } from '../../../src/run/status/level-table.js';

const ok = (objectives: number[], objectiveErrors?: number[]) => ({ status: 'ok', objectives, ...(objectiveErrors ? { objectiveErrors } : {}), costMs: 1 });
/** A planted record: its expression, fingerprint and promotion evaluations by level. */
function record(id: number, fingerprint: string, promotions: [number, ReturnType<typeof ok> | { status: 'rejected' }][]): CandidateRecord {
  return {
    proposed: { type: 'proposed', id, batch: 0, hash: `h${id}`, expression: `layer${id}(x)`, parentId: null, origin: 'mutation', mutation: null },
    evaluated: { type: 'evaluated', id, fingerprint, hash: `h${id}`, evaluation: ok([0.5, 0.5]), cached: false },
    promotions: promotions.map(([level, evaluation]) => ({ type: 'promotion-evaluated', id, level, fingerprint, hash: `h${id}`, evaluation, cached: false })),
  } as unknown as CandidateRecord;
}

test('when layers reached different levels, then the table holds those passed at the highest one, one row per function, best mean first', () => {
  const table = topLevelTable([
    record(1, 'f1', [[1, ok([0.80, 0.80])], [2, ok([0.86, 0.84], [0.001, 0.002])]]),
    record(2, 'f2', [[1, ok([0.81, 0.81])]]), // level 1 only: not in the level-2 table
    record(3, 'f3', [[1, ok([0.82, 0.80])], [2, ok([0.88, 0.86], [0.003, 0.001])]]),
    record(4, 'f3', [[1, ok([0.82, 0.80])], [2, ok([0.88, 0.86], [0.003, 0.001])]]), // same function as #3 (a cache hit)
    record(5, 'f5', [[1, ok([0.83, 0.83])], [2, { status: 'rejected' }]]), // rejected at level 2
  ]);
  assert.equal(table?.level, 2);
  assert.deepEqual(table?.rows.map((r) => r.id), [3, 1]);
  assert.ok(Math.abs(table!.rows[0].mean - 0.87) < 1e-12);
  assert.deepEqual(table?.rows[1].errors, [0.001, 0.002]);
  const text = formatLevelTable(table!, ['resnet', 'mobilenetv2']);
  assert.match(text, /^Measured at promotion level 2, the search's most accurate protocol \(2 layers/);
  assert.match(text, /3 +0\.8800 ± 0\.0030 +0\.8600 ± 0\.0010 +0\.8700 +layer3\(x\)/);
});

test('when nothing was promoted, then there is no table', () => {
  assert.equal(topLevelTable([record(1, 'f1', [])]), null);
});
