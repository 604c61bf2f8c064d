/** The report's rejection funnel counts what `status --json` counts, stage by stage (issue 19 §1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReportModel } from '../../src/report/report-model.js';
import { readRunSnapshot } from '../../src/report/run-snapshot.js';
import { cli, smallRun } from './helpers.js';

const LABELS: Record<string, string> = { static: 'static checks', stability: 'stability probe', quality: 'quality probe', hurdle: 'hurdles (stopped early)' };

test('when a run has cache hits and rejections, then each funnel stage drops exactly the rejections status counts at that stage', async () => {
  const run = await smallRun();
  const status = JSON.parse((await cli('status', run, '--json')).out);
  assert.ok(status.cacheHits > 0 && status.rejected > 0, 'the fixture run has cache hits and rejections');
  const model = buildReportModel(readRunSnapshot(run), { state: 'absent' });
  const dropped = new Map(model.funnel.map((s) => [s.stage, s.dropped]));
  for (const [stage, label] of Object.entries(LABELS)) {
    if (label === LABELS.hurdle && !dropped.has(label)) continue;
    assert.equal(dropped.get(label), status.rejectedByStage[stage] ?? 0, stage);
  }
  const other = Object.entries(status.rejectedByStage as Record<string, number>).filter(([s]) => !(s in LABELS)).reduce((a, [, n]) => a + n, 0);
  assert.equal(dropped.get('training, errors, time-outs'), other);
  assert.equal(model.funnel.at(-1)!.remaining, status.scored);
  assert.equal(model.funnel[0]!.remaining, status.proposed);
  assert.ok(!model.funnel.some((s) => s.stage === 'cache hits'), 'cache hits are not a rejection stage');
});
