/**
 * A real (tiny, synthetic-data) proxy search with two promotion levels above the base protocol
 * (more seeds, then more seeds of a longer training): the same seed gives the same journal; a
 * promoted candidate's levels and scores are in the journal, `status --json`, the export and the
 * report; the closing rounds after the last batch leave nothing to promote; kill -9 at random
 * points (also during the closing rounds) and --resume end as the uninterrupted run did, with
 * nothing evaluated twice (a candidate at one level, or a promotion).
 *
 * The kill points are drawn at random; set EVONORM_KILL_SEED to replay a failing draw (a failure
 * message names it).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch, type StartSearchResult } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import type { JournalEvent } from '../../../src/run/journal/events.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import { exportRun } from '../../../src/run/index.js';
import { writeReport } from '../../../src/report/write-report.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { Rng } from '../../../src/util/rng.js';
import { choosePromotions } from '../../../src/search/promotion.js';
import { searchKilledAfter } from '../helpers.js';
import { TINY_PROMOTION_SEARCH } from '../promotion-config.js';

const CONFIG = TINY_PROMOTION_SEARCH;

const killSeed = Number(process.env.EVONORM_KILL_SEED ?? Date.now() % 1_000_000);

/** The journal without timings, the run's id and checkpoint events (placed by the clock). */
const journal = (path: string) => readJournal(path).events.filter((e) => e.type !== 'checkpoint').map((e) => {
  const { runId: _id, ...rest } = stripTimings(e) as { runId?: string };
  return rest;
});

/**
 * What a journal says about each candidate and promotion: the first event per candidate, per
 * promotion and level, and the population of each settled batch. A resumed run writes some
 * events again (a batch asked anew, cache hits, its run-started); their first ones are the run.
 */
function journalContent(events: readonly JournalEvent[]): unknown[] {
  const first = new Map<string, unknown>();
  for (const e of events) {
    const key = e.type === 'proposed' || e.type === 'evaluated' ? `${e.type} ${e.id}`
      : e.type === 'promoted' || e.type === 'promotion-evaluated' ? `${e.type} ${e.id}@${e.level}`
        : e.type === 'generation' ? `generation ${e.batch}` : null;
    if (key === null || first.has(key)) continue;
    first.set(key, e.type === 'generation' ? e.population : stripTimings(e));
  }
  return [...first.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const outcome = (r: StartSearchResult) => ({
  population: r.state.population, hallOfFame: r.state.hallOfFame, leveled: r.state.leveled, promoting: r.state.promoting, counts: r.state.counts, nextId: r.state.nextId,
});

const dir = mkdtempSync(join(tmpdir(), 'evonorm-levels-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const reference = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'reference', workers: 'inline', fsync: false, exportAtEnd: false });
const referencePath = join(dir, 'reference', 'journal.jsonl');
const referenceEvents = readJournal(referencePath).events;
const promotionEvents = referenceEvents.flatMap((e) => (e.type === 'promotion-evaluated' ? [e] : []));

test('when a search has two promotion levels, then the same seed gives the same journal', async () => {
  assert.ok(promotionEvents.some((e) => e.level === 1) && promotionEvents.some((e) => e.level === 2), 'promotions to both levels');
  const again = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'again', workers: 'inline', fsync: false, exportAtEnd: false });
  assert.deepEqual(journal(join(dir, 'again', 'journal.jsonl')), journal(referencePath));
  assert.deepEqual(outcome(again), outcome(reference));
});

test('when a candidate is promoted, then its levels and scores are in the journal, status --json, the export and the report', async () => {
  const runPath = join(dir, 'reference');
  // Journal: a promoted event before each promotion-evaluated event; level 2 scores use 2 seeds (standard errors).
  const promoted = referenceEvents.flatMap((e) => (e.type === 'promoted' ? [`${e.id}@${e.level}`] : []));
  assert.deepEqual(promotionEvents.map((e) => `${e.id}@${e.level}`).sort(), [...promoted].sort());
  const climbed = promotionEvents.find((e) => e.level === 2 && e.evaluation.status === 'ok')!;
  assert.ok(climbed, 'a candidate scored at level 2');
  assert.equal(climbed.evaluation.status === 'ok' && climbed.evaluation.objectiveErrors?.length, 2);
  assert.ok(climbed.evaluation.archs?.every((a) => a.steps === 8), 'level 2 trains 8 steps (level 0: 4)');

  // status --json: each front layer with its level and scores per level; the promotion figures.
  const io = memoryIo();
  assert.equal(await main(['status', runPath, '--json'], io), 0);
  const status = JSON.parse(io.out.join('')) as {
    front: { id: number; level: number; levels: { level: number; objectives: number[] }[] }[];
    promotion: { levels: number; evaluated: number[]; rejected: number[]; baseFront: number; dropped: number[]; newestPromoted: number | null; newestScored: number | null };
  };
  assert.equal(status.promotion.levels, 2);
  // How recent the last promotion is (a stall shows as a wide gap): the journal's newest promoted and newest scored ids.
  assert.equal(status.promotion.newestPromoted, Math.max(...promotionEvents.map((e) => e.id)));
  assert.equal(status.promotion.newestScored, Math.max(...referenceEvents.flatMap((e) => (e.type === 'evaluated' && e.evaluation.status === 'ok' ? [e.id] : []))));
  assert.deepEqual(status.promotion.evaluated, [1, 2].map((l) => promotionEvents.filter((e) => e.level === l).length));
  // What each level cost: its evaluations (not cache hits) and their trainings' CPU time, as journaled.
  const costs = (status as unknown as { levelCosts: { level: number; evaluated: number; trainingCpuMs: number }[] }).levelCosts;
  assert.deepEqual(costs.map((c) => c.level), [0, 1, 2]);
  assert.deepEqual(costs.slice(1).map((c) => c.evaluated), [1, 2].map((l) => promotionEvents.filter((e) => e.level === l && !e.cached).length));
  assert.ok(costs.every((c) => c.evaluated === 0 || c.trainingCpuMs > 0), 'each level that trained journaled CPU time');
  for (const f of status.front) {
    assert.deepEqual(f.levels.map((l) => l.level), Array.from({ length: f.level + 1 }, (_, l) => l));
    for (const l of f.levels.slice(1)) {
      const e = promotionEvents.find((p) => p.id === f.id && p.level === l.level)!;
      assert.deepEqual(l.objectives, e.evaluation.status === 'ok' ? e.evaluation.objectives : null);
    }
  }
  const text = memoryIo();
  await main(['status', runPath], text);
  assert.match(text.out.join(''), /promotion {4}level 1: \d+ evaluated.*level 2: \d+ evaluated.*did not survive promotion.*; the newest candidate promoted is #\d+, the newest scored #\d+/);
  assert.match(text.out.join(''), /id +level +resnet#0 +resnet#1 +resnet#0 L1/);
  assert.match(text.out.join(''), /cost {9}training CPU by level: 0: [\d.]+ h \(\d+ evaluated.*\), 1: .*, 2: .*% above level 0/);
  // The closing rounds are counted (this run has some: see the test of its closing rounds below).
  const closing = referenceEvents.filter((e) => e.type === 'promoted' && e.closing === true).length;
  assert.ok(closing > 0);
  assert.match(text.out.join(''), new RegExp(`\\(${closing} in closing rounds after the budget\\)`));
  assert.equal((status.promotion as { closing?: number }).closing, closing);
  assert.doesNotMatch(text.out.join(''), /\n\n\n/, 'no two blank lines in a row (one separated the front and the verdict by two)');

  // The export: front.json has the same front, levels and scores; candidates.csv has a column per level and objective.
  exportRun(runPath);
  const front = JSON.parse(readFileSync(join(runPath, 'export', 'front.json'), 'utf8')) as { id: number; level: number; levels: unknown[] }[];
  assert.deepEqual(front.map((f) => [f.id, f.level, f.levels]), status.front.map((f) => [f.id, f.level, f.levels]));
  const csv = readFileSync(join(runPath, 'export', 'candidates.csv'), 'utf8').split('\n');
  assert.match(csv[0], /,level,promotion rejected,resnet#0 \(level 1\),resnet#1 \(level 1\),resnet#0 \(level 2\),resnet#1 \(level 2\)$/);
  const row = csv.find((r) => r.startsWith(`${climbed.id},`))!;
  assert.ok(row.endsWith(climbed.evaluation.status === 'ok' ? `,${climbed.evaluation.objectives.join(',')}` : ''), 'its level-2 scores end its row');

  // The report: the promotion figures and a card with a column per level.
  const report = readFileSync((await writeReport(runPath)).path, 'utf8');
  assert.match(report, /id="promotion">Promotion levels: level 1: \d+ evaluated/);
  assert.match(report, /The price: training CPU by level: 0: [\d.]+ h/);
  if (status.front.some((f) => f.level > 0)) assert.match(report, /<table class="levels"><tr><th><\/th><th>level 0<\/th><th>level 1<\/th>/);
});

/** Promotion evaluations of the reference before its first closing round's (the closing rounds run after the last batch). */
const firstClosing = referenceEvents.findIndex((e) => e.type === 'promoted' && e.closing === true);
const beforeClosing = referenceEvents.slice(0, firstClosing).filter((e) => e.type === 'promotion-evaluated').length;

test('when the search spends its candidate budget, then its closing rounds promote the front as far as the rules allow before it finishes', () => {
  assert.ok(firstClosing > 0, 'the reference run has closing rounds');
  assert.ok(firstClosing > referenceEvents.findLastIndex((e) => e.type === 'generation'), 'after its last batch');
  assert.deepEqual(reference.state.promoting, []);
  assert.deepEqual(choosePromotions(reference.state).orders, [], 'nothing left to promote');
});

for (const [name, type, from, total] of [
  ['a candidate', 'evaluated', 0, referenceEvents.filter((e) => e.type === 'evaluated').length],
  ['a promotion', 'promotion-evaluated', 0, promotionEvents.length],
  ['a closing promotion', 'promotion-evaluated', beforeClosing, promotionEvents.length],
] as const) {
  test(`when a search with promotion levels is killed with SIGKILL after ${name}'s evaluation at a random point and resumed, then it ends as the uninterrupted run, evaluating nothing twice`, async () => {
    const rng = Rng.fromSeed(`${killSeed}/${name}`);
    // Killed after event number from + 1 … total − 1 of that type (a closing promotion: one of the closing rounds' but the last).
    const after = from + 1 + Math.floor(rng.next() * (total - from - 1));
    const why = `(EVONORM_KILL_SEED=${killSeed}: killed after ${after} ${type} events)`;
    const runName = `killed-${name.replaceAll(' ', '-')}`;
    const configPath = join(dir, `${runName}.json`);
    writeFileSync(configPath, JSON.stringify({ ...CONFIG, name: runName }));
    const journalPath = join(dir, runName, 'journal.jsonl');
    await searchKilledAfter(configPath, dir, journalPath, after, type);
    assert.ok(!readJournal(journalPath).events.some((e) => e.type === 'run-finished'), `the run was killed before it finished ${why}`);
    const resumed = await startSearch({ resume: join(dir, runName), workers: 'inline', fsync: false, exportAtEnd: false });
    assert.equal(resumed.reason, 'budget');
    assert.deepEqual(outcome(resumed), outcome(reference), `final state ${why}`);
    const events = readJournal(journalPath).events;
    assert.deepEqual(journalContent(events), journalContent(referenceEvents), `journal ${why}`);
    const fresh = events.flatMap((e) => (e.type === 'evaluated' && !e.cached ? [e.fingerprint] : e.type === 'promotion-evaluated' && !e.cached ? [`${e.fingerprint}@${e.level}`] : []));
    assert.equal(new Set(fresh).size, fresh.length, `something was evaluated twice ${why}`);
  });
}
