/**
 * One journal, every reader (issue 19 §1): status, runs, readRun, export, the report and a
 * resume's load all fold the journal through the one replay (src/run/replay/replay.ts), so they agree
 * on every count and on the front.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReportModel } from '../../../src/report/report-model.js';
import { readRunSnapshot } from '../../../src/report/run-snapshot.js';
import { exportRun } from '../../../src/run/export/export-run.js';
import { readRun } from '../../../src/run/export/read-run.js';
import { loadResumeData } from '../../../src/run/replay/resume.js';
import { parseCsv } from '../../../src/util/csv-read.js';
import { cli, smallRun, tempDir } from '../../report/helpers.js';

const countBy = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

test('when one journal is read by status, runs, readRun, export, the report and a resume, then they agree on every count and on the front', async () => {
  const run = await smallRun();
  const status = JSON.parse((await cli('status', run, '--json')).out);
  const runs = JSON.parse((await cli('runs', join(run, '..'), '--json')).out) as Array<{ name: string; proposed: number; best: number[] }>;
  const listed = runs.find((r) => r.name === 'small')!;
  const contents = readRun(run);
  const out = tempDir();
  exportRun(run, out);
  const frontJson = JSON.parse(readFileSync(join(out, 'front.json'), 'utf8')) as Array<{ id: number }>;
  const [header, ...rows] = parseCsv(readFileSync(join(out, 'candidates.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const model = buildReportModel(readRunSnapshot(run), { state: 'absent' });
  const resume = loadResumeData(run, { repair: false });

  assert.ok(status.cacheHits > 0 && status.rejected > 0 && status.pending === 0, 'the run has cache hits and rejections');
  // Counts.
  const counts = { proposed: status.proposed, evaluated: status.evaluated, scored: status.scored, rejected: status.rejected, cacheHits: status.cacheHits, pending: status.pending };
  assert.deepEqual(model.counts, counts);
  const { proposed, scored, rejected, cacheHits, pending } = contents.summary;
  assert.deepEqual({ proposed, evaluated: contents.summary.evaluated, scored, rejected, cacheHits, pending }, counts);
  const o = resume.replay.outcomes;
  assert.deepEqual({ proposed: o.proposed, evaluated: o.scored + o.rejected, scored: o.scored, rejected: o.rejected, cacheHits: o.cacheHits, pending: o.pending }, counts);
  assert.equal(listed.proposed, counts.proposed);
  assert.equal(contents.candidates.length, counts.proposed);
  assert.equal(rows.length, counts.evaluated);
  assert.equal(rows.filter((r) => r[col('status')] === 'ok').length, counts.scored);
  assert.equal(rows.filter((r) => r[col('cached')] === 'true').length, counts.cacheHits);
  // Rejections by stage and by code.
  assert.deepEqual(countBy(rows.filter((r) => r[col('status')] === 'rejected'), (r) => r[col('stage')]), status.rejectedByStage);
  assert.deepEqual(contents.summary.rejectedByStage, status.rejectedByStage);
  assert.deepEqual(o.rejectedByStage, status.rejectedByStage);
  assert.equal((status.rejectedByReason as Array<{ count: number }>).reduce((n, g) => n + g.count, 0), status.rejected);
  assert.deepEqual(resume.replay.rejections, status.rejectedByReason);
  assert.equal(model.funnel[0].remaining, counts.proposed);
  assert.equal(model.funnel.at(-1)!.remaining, counts.scored);
  // The front: the same members in the same order everywhere.
  const frontIds = (status.front as Array<{ id: number }>).map((f) => f.id);
  assert.ok(frontIds.length > 1);
  assert.deepEqual(contents.front.map((f) => f.id), frontIds);
  assert.deepEqual(frontJson.map((f) => f.id), frontIds);
  assert.deepEqual(model.front.map((f) => f.record.proposed.id), frontIds);
  assert.equal(model.frontSize, frontIds.length);
  assert.deepEqual(rows.filter((r) => r[col('front')] === 'true').map((r) => Number(r[col('id')])), [...frontIds].sort((a, b) => a - b));
  assert.deepEqual(resume.replay.ranking().front.map((c) => c.record.proposed.id), frontIds);
  // The evolver's hall of fame is the same archive keyed by structure: every front member (one per function) is in it.
  const hall = new Set(resume.evolver!.hallOfFame.map((m) => m.id));
  for (const id of frontIds) assert.ok(hall.has(id), `front member ${id} is in the hall of fame`);
  // Best values, sessions, working time.
  assert.deepEqual(listed.best, status.bestPerObjective);
  assert.deepEqual(contents.summary.bestPerObjective, status.bestPerObjective);
  assert.deepEqual(model.progress.points.at(-1)!.best, status.bestPerObjective);
  assert.equal(model.state.sessions, status.sessions);
  assert.equal(model.state.elapsedMs, status.elapsedMs);
  assert.equal(model.state.kind, status.state.state);
});
