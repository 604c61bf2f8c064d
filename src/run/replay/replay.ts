/**
 * THE replay of a run's journal: one fold over its events that every reader uses — resume,
 * `status`, `runs`, `export`, readRun and the report — so their figures cannot disagree. (Optuna's
 * JournalStorage rebuilds its state the same way: one `_apply_log` per record, in log order.)
 *
 *   replay ← empty
 *   for each event, in file order:
 *     run-started          → a session begins (sessions, objective names, promotion levels)
 *     proposed             → a candidate, the first per id (its id is journaled; a timeline step)
 *     evaluated            → the candidate's evaluation (the first per id: a timeline step); every one, in order,
 *                            feeds the fingerprint cache, the hurdle looks and the rate series
 *     promoted             → a promotion journaled (id@level)
 *     promotion-evaluated  → the candidate's score at that level (the first per level: a timeline step); the level cache
 *     generation           → pace figures; the population at the settle point (diversity)
 *     run-finished         → why the session stopped
 *     every event          → the sessions' working time
 *   then, from the candidates: outcome counts (outcomes.ts), rejections by code, and, when asked,
 *   the ranking and front (candidates.ts rankCandidates, over the one archive of
 *   src/search/pareto-archive.ts)
 *
 * Mode strict: a result for a candidate the journal never proposed (a deleted line?) is
 * EvonormError('BAD_RUN'). Mode tolerant (the report; and src/run/replay/consistency.ts, which checks
 * that a journal is this run's before it names a missing proposal): such results are counted in
 * `orphans` and left out.
 */
import type { Evaluation } from '../../evaluate/types.js';
import { EvonormError } from '../../util/errors.js';
import { addPromotion, rankCandidates, type CandidateRecord, type Ranking } from './candidates.js';
import type { EvaluatedEvent, FinishReason, JournalEvent, PromotionEvaluatedEvent, ProposedEvent } from '../journal/events.js';
import { fingerprintCache, levelCache } from './cache.js';
import type { JournalReadMode } from '../journal/journal-lines.js';
import { countOutcomes, type Outcomes } from './outcomes.js';

/** One kind of rejection: its code, stage, how many, and one real reason. */
export interface RejectionGroup {
  readonly code: string;
  readonly stage: string;
  readonly count: number;
  /** The reason of the lowest id with this code, as written (real numbers). */
  readonly example: string;
}

/** A run-started event: its place in the journal (0-based) and the run it names. */
export interface RunStart {
  readonly index: number;
  readonly seed: number | string;
  readonly runId?: string;
}

/** A proposed event: its place in the journal (0-based), id and canonical hash. */
export interface Proposal {
  readonly index: number;
  readonly id: number;
  readonly hash: string;
}

/**
 * A step of the run over time: a candidate's first proposal, the first evaluation of a proposed
 * candidate, or the first evaluation of a proposed candidate at a promotion level.
 */
export type TimelineStep =
  | { readonly kind: 'proposed'; readonly id: number }
  | { readonly kind: 'evaluated'; readonly record: CandidateRecord & { readonly evaluated: EvaluatedEvent } }
  | { readonly kind: 'promotion'; readonly event: PromotionEvaluatedEvent };

/** A settle point that recorded the population (generation.population). */
export interface SettlePoint {
  readonly batch: number;
  /** Ids of the population after it, oldest first. */
  readonly population: readonly number[];
  /** Distinct candidates with an evaluated event in the journal up to it. */
  readonly evaluated: number;
}

/** Where the time went, per candidate, over settled batches (see RunSummary.pace). */
export interface Pace {
  readonly evaluationMs: number;
  readonly wallMsPerCandidate: number;
  readonly slots: number;
}

/** What the journal says, folded once (see the module comment). */
export interface RunReplay {
  readonly events: readonly JournalEvent[];
  /** Every proposed candidate with its first evaluation and promotions, in id order. */
  readonly records: readonly CandidateRecord[];
  readonly byId: ReadonlyMap<number, CandidateRecord>;
  /** Results whose candidate was never proposed (tolerant mode only; strict refuses them), and what the first was. */
  readonly orphans: number;
  readonly firstOrphan?: string;
  /** Every run-started event (where, and the seed and run id it names): src/run/replay/consistency.ts checks them. */
  readonly runStarts: readonly RunStart[];
  /** Every proposed event, in file order (a repeated id included). */
  readonly proposals: readonly Proposal[];
  /** How the candidates ended (a cache hit under the outcome it reused). */
  readonly outcomes: Outcomes;
  /** Every kind of rejection, most frequent first (ties by code). */
  readonly rejections: readonly RejectionGroup[];
  /** Batches proposed (highest batch index + 1). */
  readonly batches: number;
  /** Processes that worked on the run (its run-started events; at least 1 for a journal with events). */
  readonly sessions: number;
  /** Why the last session stopped; undefined while it runs (or after a crash). */
  readonly finished?: FinishReason;
  /** Objective names of the last run-started event that had them. */
  readonly objectiveNames?: readonly string[];
  /** Promotion levels the run was started with (0: none). */
  readonly levels: number;
  /** Working time, ms: per session, its last event minus its first, summed. */
  readonly elapsedMs: number;
  /** ISO times of the first and last events. */
  readonly firstEventAt?: string;
  readonly lastEventAt?: string;
  /** Times (ms since the epoch) of every evaluated event, in file order (the rate series). */
  readonly evaluationTimes: readonly number[];
  /** Σ busyMs / Σ capacityMs over settled batches, at most 1; null without such figures. */
  readonly workerBusyShare: number | null;
  readonly pace: Pace | null;
  /** Sum of the candidates' evaluation costs, cache hits excluded, ms. */
  readonly computeMs: number;
  /** Distinct worker ids of the candidates' evaluations, sorted. */
  readonly workerIds: readonly string[];
  readonly settlePoints: readonly SettlePoint[];
  /** Generation events without the population (written before the diversity measure). */
  readonly unrecordedSettles: number;
  /** First proposals, first evaluations and first promotion evaluations per level, in file order (the report's progress over time). */
  readonly timeline: readonly TimelineStep[];
  /** Ids proposed, and promotions journaled (`<id>@<level>`): a resumed run does not journal them again. */
  readonly journaledIds: ReadonlySet<number>;
  readonly journaledPromotions: ReadonlySet<string>;
  /** Promotions chosen in closing rounds (after the last batch of a run that spent its budget). */
  readonly closingPromotions: number;
  /** Every evaluated event in file order (the hurdle looks, the cache), and every promotion-evaluated one. */
  readonly evaluations: readonly EvaluatedEvent[];
  readonly promotionEvaluations: readonly PromotionEvaluatedEvent[];
  /** fingerprint → its first cacheable evaluation, and levelCacheKey → its first cacheable promotion evaluation (src/run/replay/cache.ts; a new map per call: a resume adds to it). */
  cache(): Map<string, Evaluation>;
  levelCache(): Map<string, Evaluation>;
  /** The Pareto ranking and front of the scored candidates (computed once). EvonormError('BAD_RUN') for mixed numbers of objectives. */
  ranking(): Ranking;
}

/** Folds `events` (see the module comment). */
export function replayJournal(events: readonly JournalEvent[], mode: JournalReadMode = 'strict'): RunReplay {
  const byId = new Map<number, { proposed: ProposedEvent; evaluated?: EvaluatedEvent; promotions?: readonly PromotionEvaluatedEvent[] }>();
  let orphans = 0;
  let firstOrphan: string | undefined;
  const orphan = (id: number, what: string): void => {
    firstOrphan ??= `journal: candidate ${id} was ${what} but never proposed`;
    orphans++;
  };
  const runStarts: RunStart[] = [];
  const proposals: Proposal[] = [];
  let sessions = 0;
  let finished: FinishReason | undefined;
  let objectiveNames: readonly string[] | undefined;
  let levels = 0;
  let elapsedMs = 0;
  let sessionStart: number | null = null;
  let lastTime: number | null = null;
  const evaluationTimes: number[] = [];
  const evaluatedIds = new Set<number>();
  const settlePoints: SettlePoint[] = [];
  let unrecordedSettles = 0;
  const timeline: TimelineStep[] = [];
  const journaledPromotions = new Set<string>();
  const closingPromotions = new Set<string>();
  const evaluations: EvaluatedEvent[] = [];
  const promotionEvaluations: PromotionEvaluatedEvent[] = [];
  const gen = { busy: 0, wall: 0, capacity: 0, proposed: 0, evaluated: 0, busyForShare: 0, capacityForShare: 0 };

  events.forEach((event, index) => {
    const time = Date.parse(event.t);
    if (event.type === 'run-started' || sessionStart === null) {
      if (sessionStart !== null && lastTime !== null) elapsedMs += lastTime - sessionStart;
      sessionStart = time;
    }
    lastTime = time;
    switch (event.type) {
      case 'run-started':
        sessions++;
        finished = undefined;
        runStarts.push({ index, seed: event.seed, ...(event.runId !== undefined ? { runId: event.runId } : {}) });
        if (event.objectiveNames) objectiveNames = event.objectiveNames;
        if (event.levels !== undefined) levels = event.levels;
        break;
      case 'run-finished':
        finished = event.reason;
        break;
      case 'proposed':
        proposals.push({ index, id: event.id, hash: event.hash });
        if (byId.has(event.id)) break;
        byId.set(event.id, { proposed: event });
        timeline.push({ kind: 'proposed', id: event.id });
        break;
      case 'evaluated': {
        evaluations.push(event);
        evaluationTimes.push(time);
        evaluatedIds.add(event.id);
        const record = byId.get(event.id);
        if (record === undefined) orphan(event.id, 'evaluated');
        else if (record.evaluated === undefined) {
          record.evaluated = event;
          timeline.push({ kind: 'evaluated', record: record as TimelineRecord });
        }
        break;
      }
      case 'promoted':
        journaledPromotions.add(`${event.id}@${event.level}`);
        if (event.closing === true) closingPromotions.add(`${event.id}@${event.level}`);
        break;
      case 'promotion-evaluated': {
        promotionEvaluations.push(event);
        const record = byId.get(event.id);
        if (record === undefined) orphan(event.id, 'promoted');
        else {
          if (!(record.promotions ?? []).some((p) => p.level === event.level)) timeline.push({ kind: 'promotion', event });
          addPromotion(record, event);
        }
        break;
      }
      case 'generation':
        if (event.busyMs !== undefined && event.capacityMs !== undefined) {
          gen.busyForShare += event.busyMs;
          gen.capacityForShare += event.capacityMs;
          if (event.wallMs !== undefined) {
            gen.busy += event.busyMs;
            gen.wall += event.wallMs;
            gen.capacity += event.capacityMs;
            gen.proposed += event.proposed;
            gen.evaluated += event.evaluated + event.rejected - event.cacheHits;
          }
        }
        if (event.population !== undefined) settlePoints.push({ batch: event.batch, population: event.population, evaluated: evaluatedIds.size });
        else unrecordedSettles++;
        break;
      case 'checkpoint':
        break;
    }
  });
  if (mode === 'strict' && firstOrphan !== undefined) throw new EvonormError('BAD_RUN', firstOrphan);
  if (sessionStart !== null && lastTime !== null) elapsedMs += lastTime - sessionStart;

  const records: CandidateRecord[] = [...byId.values()].sort((a, b) => a.proposed.id - b.proposed.id);
  let ranking: Ranking | undefined;
  return {
    events,
    records,
    byId: new Map(records.map((r) => [r.proposed.id, r])),
    orphans,
    ...(firstOrphan !== undefined ? { firstOrphan } : {}),
    runStarts,
    proposals,
    outcomes: countOutcomes(records),
    rejections: rejectionGroups(records),
    batches: records.reduce((max, r) => Math.max(max, r.proposed.batch + 1), 0),
    sessions: Math.max(sessions, events.length > 0 ? 1 : 0),
    ...(finished !== undefined ? { finished } : {}),
    ...(objectiveNames !== undefined ? { objectiveNames } : {}),
    levels,
    elapsedMs,
    ...(events.length > 0 ? { firstEventAt: events[0].t, lastEventAt: events[events.length - 1].t } : {}),
    evaluationTimes,
    workerBusyShare: gen.capacityForShare > 0 ? Math.min(1, gen.busyForShare / gen.capacityForShare) : null,
    pace: gen.proposed === 0 || gen.wall === 0 ? null : { evaluationMs: gen.evaluated > 0 ? gen.busy / gen.evaluated : 0, wallMsPerCandidate: gen.wall / gen.proposed, slots: gen.capacity / gen.wall },
    ...computeAndWorkers(records),
    settlePoints,
    unrecordedSettles,
    timeline,
    journaledIds: new Set(byId.keys()),
    journaledPromotions,
    closingPromotions: closingPromotions.size,
    evaluations,
    promotionEvaluations,
    cache: () => fingerprintCache(evaluations),
    levelCache: () => levelCache(promotionEvaluations),
    ranking: () => (ranking ??= rankCandidates(records)),
  };
}

/** The candidates of a journal, joined by id, in id order (replayJournal's records; EvonormError('BAD_RUN') for a result of an unproposed id). */
export function joinCandidates(events: readonly JournalEvent[]): CandidateRecord[] {
  return [...replayJournal(events, 'strict').records];
}

/** The replay of `source`: given events, they are replayed strictly. */
export function asReplay(source: readonly JournalEvent[] | RunReplay): RunReplay {
  return isEventList(source) ? replayJournal(source, 'strict') : source;
}

function isEventList(source: readonly JournalEvent[] | RunReplay): source is readonly JournalEvent[] {
  return Array.isArray(source);
}

type TimelineRecord = CandidateRecord & { readonly evaluated: EvaluatedEvent };

/** Rejections grouped by their stable code (by stage for journals written before codes existed), in id order. */
function rejectionGroups(records: readonly CandidateRecord[]): RejectionGroup[] {
  const groups = new Map<string, { code: string; stage: string; count: number; example: string }>();
  for (const record of records) {
    const e = record.evaluated?.evaluation;
    if (e === undefined || e.status === 'ok') continue;
    const code = e.code ?? e.stage;
    const group = groups.get(code) ?? { code, stage: e.stage, count: 0, example: e.reason };
    group.count++;
    groups.set(code, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

function computeAndWorkers(records: readonly CandidateRecord[]): { computeMs: number; workerIds: string[] } {
  let computeMs = 0;
  const workers = new Set<string>();
  for (const r of records) {
    const e = r.evaluated;
    if (e === undefined) continue;
    if (!e.cached) computeMs += e.evaluation.costMs;
    if (e.worker) workers.add(e.worker);
  }
  return { computeMs, workerIds: [...workers].sort() };
}
