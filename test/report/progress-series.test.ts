import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinCandidates, rankCandidates, summarizeRun, type JournalEvent } from '../../src/run/index.js';
import { functionKey } from '../../src/report/candidates.js';
import { replayJournal } from '../../src/run/replay/replay.js';
import { progressSeries } from '../../src/report/progress-series.js';
import { rejectionFunnel } from '../../src/report/funnel.js';
import { lineageOf } from '../../src/report/lineage.js';
import { syntheticEvents } from '../run/helpers.js';

const events = syntheticEvents(5, 12, 8) as JournalEvent[];
const { records, byId, outcomes } = replayJournal(events, 'tolerant');
const keyOf = (id: number): string => functionKey(byId.get(id)!);

test('when the journal is replayed, then the final front is the one src/run ranks (same ids)', () => {
  const series = progressSeries(replayJournal(events, 'tolerant'), keyOf);
  const expected = rankCandidates(joinCandidates(events)).front.map((c) => c.record.proposed.id);
  assert.deepEqual(series.front.map((f) => f.id).sort((a, b) => a - b), [...expected].sort((a, b) => a - b));
});

test('when the journal is replayed, then best values and hypervolume never decrease and the last sample counts every proposal', () => {
  const series = progressSeries(replayJournal(events, 'tolerant'), keyOf, { maxPoints: 10 });
  assert.ok(series.points.length <= 11);
  assert.equal(series.points.at(-1)!.proposed, records.length);
  for (let i = 1; i < series.points.length; i++) {
    const [a, b] = [series.points[i - 1], series.points[i]];
    assert.ok(b.proposed > a.proposed);
    b.best.forEach((v, m) => assert.ok(!(v < a.best[m])));
    assert.ok((b.hypervolume ?? 0) >= (a.hypervolume ?? 0));
  }
});

test('when nothing was scored, then the series has no objectives, an empty front and no hypervolume', () => {
  const series = progressSeries(replayJournal(events.filter((e) => e.type !== 'evaluated'), 'tolerant'), keyOf);
  assert.equal(series.k, 0);
  assert.equal(series.front.length, 0);
  assert.ok(series.points.every((p) => p.frontSize === 0 && p.best.length === 0 && p.hypervolume === null));
});

test('when the funnel is built, then each step removes what summarizeRun counts and scored is what is left', () => {
  const funnel = rejectionFunnel(outcomes);
  const summary = summarizeRun(events);
  assert.equal(funnel[0].remaining, summary.proposed);
  const removed = funnel.reduce((n, s) => n + s.dropped, 0);
  assert.equal(funnel.at(-1)!.remaining, summary.proposed - removed);
  const byLabel = Object.fromEntries(funnel.map((s) => [s.stage, s.dropped]));
  // status's counts: a cache hit counts under the outcome it reused, not as a stage of its own.
  assert.equal(byLabel['cache hits'], undefined);
  assert.equal(byLabel['stability probe'], summary.rejectedByStage.stability ?? 0);
  assert.equal(funnel.at(-1)!.remaining, summary.scored);
});

test('when a lineage is followed, then each step is the parent of the next and it starts at a seed or random graph', () => {
  const deepest = records.map((r) => lineageOf(r.proposed.id, byId)).sort((a, b) => b.steps.length - a.steps.length)[0];
  assert.ok(deepest.steps.length > 2, 'the synthetic run has mutation chains');
  for (let i = 1; i < deepest.steps.length; i++) {
    assert.equal(byId.get(deepest.steps[i].id)!.proposed.parentId, deepest.steps[i - 1].id);
    assert.match(deepest.steps[i].how, /mutation at n\d+ of #\d+/);
  }
  assert.ok(['random', 'seed', 'fallback'].includes(deepest.root));
  assert.equal(Object.values(deepest.mutations).reduce((a, b) => a + b, 0), deepest.steps.length - 1);
});
