import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatus, summarizeRun, type EvaluatedEvent, type JournalEvent } from '../../../src/run/index.js';
import { syntheticEvents } from '../helpers.js';
import { REJECTION_CODES } from '../../../src/evaluate/rejection.js';

/** Brute-force maximisation dominance, independent of src/search/pareto.ts. */
function dominatesBrute(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v, i) => v >= b[i]) && a.some((v, i) => v > b[i]);
}

const events = syntheticEvents(3, 6, 8) as JournalEvent[];
const evaluatedEvents = events.filter((e): e is EvaluatedEvent => e.type === 'evaluated');

test('when a synthetic journal is summarised, then the counts agree with its generation events', () => {
  const s = summarizeRun(events);
  const generations = events.filter((e) => e.type === 'generation');
  const sum = (key: 'proposed' | 'rejected' | 'cacheHits'): number => generations.reduce((n, g) => n + (g.type === 'generation' ? g[key] : 0), 0);
  assert.ok(sum('rejected') > 0 && sum('cacheHits') > 0, 'the fixture has rejections and cache hits');
  assert.equal(s.proposed, sum('proposed'));
  assert.equal(s.evaluated, sum('proposed'));
  assert.equal(s.pending, 0);
  assert.equal(s.rejected, sum('rejected'));
  assert.equal(s.scored, s.evaluated - s.rejected);
  assert.equal(s.cacheHits, sum('cacheHits'));
  assert.equal(s.batches, 6);
  assert.equal(s.sessions, 1);
  assert.equal(s.finished, 'budget');
  assert.deepEqual(s.objectiveNames, ['mul', 'size']);
  assert.equal(Object.values(s.rejectedByStage).reduce((a, b) => a + b, 0), s.rejected);
  assert.equal(s.rejectedByReason.reduce((n, r) => n + r.count, 0), s.rejected);
  // One event per second in the fixture: elapsed = last − first.
  assert.equal(s.elapsedMs, (events.length - 1) * 1000);
});

test('when a synthetic journal is summarised, then the front equals a brute-force Pareto front, one per fingerprint', () => {
  const s = summarizeRun(events);
  const ok = evaluatedEvents.flatMap((e) => (e.evaluation.status === 'ok' ? [{ id: e.id, fp: e.fingerprint, objectives: e.evaluation.objectives }] : []));
  const nonDominated = ok.filter((p) => !ok.some((q) => dominatesBrute(q.objectives, p.objectives)));
  const firstPerFingerprint = new Map<string | null, number>();
  for (const p of nonDominated) if (!firstPerFingerprint.has(p.fp)) firstPerFingerprint.set(p.fp, p.id);
  assert.deepEqual(s.front.map((f) => f.id).sort((a, b) => a - b), [...firstPerFingerprint.values()].sort((a, b) => a - b));
  assert.ok(s.front.length >= 1);
  for (const f of s.front) {
    const proposed = events.find((e) => e.type === 'proposed' && e.id === f.id);
    assert.equal(proposed?.type === 'proposed' && proposed.expression, f.expression);
  }
  // Best per objective is the maximum over scored candidates.
  for (let m = 0; m < 2; m++) assert.equal(s.bestPerObjective[m], Math.max(...ok.map((p) => p.objectives[m])));
});

test('when the front has a dominated point and a duplicate fingerprint, then both are left out', () => {
  const t = '2024-01-02T03:04:05.000Z';
  const proposed = (id: number): JournalEvent => ({ type: 'proposed', t, id, batch: 0, hash: `h${id}`, expression: `x${id}`, parentId: null, origin: 'random', mutation: null });
  const scored = (id: number, fingerprint: string, objectives: number[]): JournalEvent => ({
    type: 'evaluated', t, id, fingerprint, hash: `h${id}`, cached: false, evaluation: { status: 'ok', objectives, costMs: 1 },
  });
  const small: JournalEvent[] = [
    proposed(0), proposed(1), proposed(2), proposed(3), proposed(4),
    scored(0, 'a', [1, 0]), scored(1, 'b', [0, 1]), scored(2, 'c', [0.5, 0.5]), scored(3, 'a', [1, 0]), scored(4, 'd', [0.4, 0.4]),
  ];
  const s = summarizeRun(small);
  assert.deepEqual(s.front.map((f) => f.id), [0, 2, 1]); // best first objective first; 3 duplicates 0; 4 dominated by 2
  assert.equal(s.pending, 0);
  assert.equal(s.finished, undefined);
});

test('when a run was resumed, then sessions count, pending shows, and elapsed skips the pause', () => {
  const t = (s: number): string => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString();
  const resumed: JournalEvent[] = [
    { type: 'run-started', t: t(0), seed: 1, resumed: false },
    { type: 'proposed', t: t(10), id: 0, batch: 0, hash: 'h', expression: 'x', parentId: null, origin: 'random', mutation: null },
    { type: 'run-finished', t: t(20), reason: 'interrupted' },
    { type: 'run-started', t: t(1000), seed: 1, resumed: true },
    { type: 'proposed', t: t(1005), id: 1, batch: 1, hash: 'h1', expression: 'x', parentId: null, origin: 'random', mutation: null },
  ];
  const s = summarizeRun(resumed);
  assert.equal(s.sessions, 2);
  assert.equal(s.pending, 2);
  assert.equal(s.finished, undefined);
  assert.equal(s.elapsedMs, 25_000);
});

test('when rejections carry codes, then status groups them by code and shows a real reason with its numbers', () => {
  const t = '2024-01-02T03:04:05.000Z';
  const proposed = (id: number): JournalEvent => ({ type: 'proposed', t, id, batch: 0, hash: `h${id}`, expression: `x${id}`, parentId: null, origin: 'random', mutation: null });
  const rejectedAt = (id: number, code: 'gradient-too-large' | 'non-finite-at-init', reason: string): JournalEvent => ({
    type: 'evaluated', t, id, fingerprint: `f${id}`, hash: `h${id}`, cached: false,
    evaluation: { status: 'rejected', stage: code === 'gradient-too-large' ? 'stability' : 'static', code, reason, costMs: 1 },
  });
  const journal: JournalEvent[] = [
    proposed(0), proposed(1), proposed(2),
    rejectedAt(0, 'gradient-too-large', 'resnet: gradient norm 3.10e+9 > 1e+8 at ascent step 12'),
    rejectedAt(1, 'gradient-too-large', 'resnet: gradient norm 5.00e+8 > 1e+8 at ascent step 3'),
    rejectedAt(2, 'non-finite-at-init', 'non-finite output at the initial parameters (v0 = 0, v1 = 1)'),
  ];
  const s = summarizeRun(journal);
  assert.deepEqual(s.rejectedByReason.map((r) => [r.code, r.stage, r.count]), [['gradient-too-large', 'stability', 2], ['non-finite-at-init', 'static', 1]]);
  const text = formatStatus(s);
  assert.match(text, /2 × gradient-too-large, e\.g\. resnet: gradient norm 3\.10e\+9 > 1e\+8 at ascent step 12/);
  assert.match(text, /\(v0 = 0, v1 = 1\)/);
  assert.doesNotMatch(text, /#/);
});

test('when a run has more than ten kinds of rejection, then status lists every code, none cut off', () => {
  const t = '2024-01-02T03:04:05.000Z';
  const codes = REJECTION_CODES.slice(0, 12);
  assert.equal(codes.length, 12, 'the registry has at least 12 codes');
  const journal: JournalEvent[] = codes.flatMap((code, id): JournalEvent[] => [
    { type: 'proposed', t, id, batch: 0, hash: `h${id}`, expression: `x${id}`, parentId: null, origin: 'random', mutation: null },
    { type: 'evaluated', t, id, fingerprint: `f${id}`, hash: `h${id}`, cached: false, evaluation: { status: 'rejected', stage: 'static', code, reason: `reason ${id}`, costMs: 1 } },
  ]);
  const s = summarizeRun(journal);
  assert.deepEqual(new Set(s.rejectedByReason.map((r) => r.code)), new Set(codes));
  const text = formatStatus(s);
  for (const code of codes) assert.match(text, new RegExp(`1 × ${code}, e\\.g\\. reason`));
});

test('when a journal predates rejection codes, then its rejections group by stage with a real example', () => {
  const s = summarizeRun(events);
  assert.deepEqual(new Set(s.rejectedByReason.map((r) => r.code)), new Set(Object.keys(s.rejectedByStage)));
  assert.ok(s.rejectedByReason.every((r) => /^loss \d+\.5 is not finite, contains exp$/.test(r.example)));
});

test('when the status is formatted, then it shows the counts and one front row per front member', () => {
  const s = summarizeRun(events);
  const text = formatStatus(s, ['acc', 'size']);
  assert.match(text, new RegExp(`proposed\\s+${s.proposed} `));
  assert.match(text, /finished \(budget\)/);
  assert.match(text, new RegExp(`Pareto front \\(${s.front.length}\\)`));
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s+id\s+acc\s+size\s+fingerprint\s+expression$/.test(l));
  assert.ok(header >= 0, text);
  for (const [k, f] of s.front.entries()) {
    assert.ok(lines[header + 1 + k].trimStart().startsWith(`${f.id} `));
    assert.ok(lines[header + 1 + k].endsWith(f.expression));
  }
  assert.match(formatStatus(summarizeRun([])), /no scored candidate yet/);
});

test('when generations record busy and capacity time, then status reports the workers busy share', () => {
  assert.equal(summarizeRun(events).workerBusyShare, null, 'the fixture has no busy figures');
  let batch = 0;
  const withBusy = events.map((e) => (e.type === 'generation' ? { ...e, busyMs: 300 * ++batch, capacityMs: 1000 } : e));
  // (300 + 600 + … + 1800) / (6 × 1000) = 6300 / 6000, capped at 1; drop the last two: 3000 / 4000.
  assert.equal(summarizeRun(withBusy).workerBusyShare, 1);
  let seen = 0;
  const firstFour = withBusy.map((e) => (e.type === 'generation' && ++seen > 4 ? { ...e, busyMs: undefined, capacityMs: undefined } : e));
  const s = summarizeRun(firstFour as JournalEvent[]);
  assert.equal(s.workerBusyShare, 0.75);
  assert.match(formatStatus(s, ['a', 'b']), /workers busy\s+75% of the time/);
});

test("when evaluations cost far less than the loop's own work per candidate, then status says the loop set the pace", () => {
  // Batches of 8 on 2 slots: 40 ms of wall time, 8 evaluations of 0.25 ms (2 ms in all).
  const withBusy = events.map((e) => (e.type === 'generation' ? { ...e, proposed: 8, evaluated: 8, rejected: 0, cacheHits: 0, wallMs: 40, busyMs: 2, capacityMs: 80 } : e));
  const s = summarizeRun(withBusy as JournalEvent[]);
  assert.equal(s.workerBusyShare, 2 / 80);
  assert.deepEqual(s.pace, { evaluationMs: 0.25, wallMsPerCandidate: 5, slots: 2 });
  assert.match(formatStatus(s), /workers busy\s+3% of the time — an evaluation took 0\.25 ms, the search's own work .* 4\.88 ms per candidate: the loop, not the workers, set the pace/);
});

test('when a seed layer is rejected, then status names it with its stage and reason, and a rejected random candidate gives no warning', async () => {
  const { zooLayer } = await import('../../../src/graph/zoo.js');
  const { functionalFingerprint } = await import('../../../src/tensor/fingerprint.js');
  const t = '2024-01-02T03:04:05.000Z';
  const s0 = functionalFingerprint(zooLayer('evonorm-s0'));
  const proposed = (id: number, origin: 'seed' | 'random'): JournalEvent => ({ type: 'proposed', t, id, batch: 0, hash: `h${id}`, expression: `x${id}`, parentId: null, origin, mutation: null });
  const journal: JournalEvent[] = [
    proposed(0, 'seed'), proposed(1, 'seed'), proposed(2, 'random'),
    { type: 'evaluated', t, id: 0, fingerprint: 'f0', hash: 'h0', cached: false, evaluation: { status: 'ok', objectives: [0.8, 0.7], costMs: 1 } },
    { type: 'evaluated', t, id: 1, fingerprint: s0, hash: 'h1', cached: false, evaluation: { status: 'rejected', stage: 'stability', code: 'gradient-too-large', reason: 'resnet: gradient norm 1.12e+8 > 1e+8 at ascent step 78', costMs: 1 } },
    { type: 'evaluated', t, id: 2, fingerprint: 'f2', hash: 'h2', cached: false, evaluation: { status: 'rejected', stage: 'stability', code: 'gradient-too-large', reason: 'resnet: gradient norm 3e+9 > 1e+8 at ascent step 2', costMs: 1 } },
  ];
  const s = summarizeRun(journal);
  assert.deepEqual(s.rejectedSeeds, [{ id: 1, name: 'evonorm-s0', stage: 'stability', reason: 'resnet: gradient norm 1.12e+8 > 1e+8 at ascent step 78' }]);
  const warnings = formatStatus(s).split('\n').filter((l) => l.includes('warning'));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /seed layer evonorm-s0 \(#1\) was rejected at stability \(resnet: gradient norm 1\.12e\+8 > 1e\+8 at ascent step 78\).*evaluation\.rejection\.stability/);
});
