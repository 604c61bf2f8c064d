/** A run's status computed from its journal (and checkpoint): counts, rejections, best values, front. */
import type { Checkpoint } from './checkpoint.js';
import { joinCandidates, rankCandidates } from './candidates.js';
import { countOutcomes } from './outcomes.js';
import type { FinishReason, JournalEvent } from './events.js';
import { objectiveErrorsOf } from './objective-errors.js';
import { diversitySeries, type DiversitySummary } from './diversity.js';
import { journalLevels, levelOf, levelScores, promotionSummary, type LevelScore, type PromotionSummary } from './level-scores.js';

const withErrors = (errors: readonly number[] | undefined) => (errors !== undefined ? { objectiveErrors: errors } : {});

/** One member of the Pareto front. */
export interface FrontEntry {
  readonly id: number;
  readonly expression: string;
  readonly objectives: readonly number[];
  /** Standard error of each objective (evaluation.seeds > 1); absent otherwise. */
  readonly objectiveErrors?: readonly number[];
  readonly fingerprint: string | null;
  /** With promotion levels only: the highest level it was measured at (0 = the base protocol). */
  readonly level?: number;
  /** With promotion levels only: its objectives at every level it passed, level 0 first. */
  readonly levels?: readonly LevelScore[];
}

export interface RunSummary {
  /** Candidates proposed. */
  readonly proposed: number;
  /** Candidates with an evaluation (scored or rejected, cached or not). */
  readonly evaluated: number;
  /** Proposed but not evaluated (in flight when the journal ends). */
  readonly pending: number;
  /** Evaluated with status 'ok'. */
  readonly scored: number;
  readonly rejected: number;
  /** Rejections per stage (static, stability, quality, …). */
  readonly rejectedByStage: Record<string, number>;
  /**
   * Every kind of rejection, most frequent first, grouped by their stable code (src/evaluate/
   * rejection.ts; by stage for journals written before codes existed), each with the first
   * reason of its kind as an example, real numbers included.
   */
  readonly rejectedByReason: readonly RejectionGroup[];
  /** Evaluations reused from an earlier candidate with the same fingerprint. */
  readonly cacheHits: number;
  /** Batches proposed (highest batch index + 1). */
  readonly batches: number;
  /** Processes that worked on the run (1 + resumes). */
  readonly sessions: number;
  /** Per objective, the best (largest) value among scored candidates; empty when none. */
  readonly bestPerObjective: number[];
  /**
   * Pareto front of every scored candidate, one per fingerprint, best first objective first; with
   * promotion levels, pairs compared at the highest level both were measured at (src/search/levels.ts).
   */
  readonly front: FrontEntry[];
  /** With promotion levels only: evaluations per level, and the cheap score's front winners that did not survive promotion. */
  readonly promotion?: PromotionSummary;
  /**
   * The population's diversity per settle point (src/run/diversity.ts): its largest structural
   * family's share and its distinct functions; empty series for journals that do not record it.
   */
  readonly diversity: DiversitySummary;
  /** Why the last session stopped; undefined while it runs (or after a crash). */
  readonly finished?: FinishReason;
  /**
   * Share of the pool's capacity spent evaluating: Σ busyMs / Σ capacityMs over settled batches
   * (null when the journal has no such figures). Below 1 because a batch waits for its slowest
   * candidate while the other workers idle (and for fingerprints, journal and checkpoint).
   */
  readonly workerBusyShare: number | null;
  /**
   * Where the time went, per candidate, over settled batches (null without such figures):
   * the mean evaluation cost of candidates that were evaluated (not cache hits), and the mean
   * wall time per candidate proposed. When the wall time per candidate is far above the
   * evaluation cost divided by the slots, the search's own work (fingerprints, journal writes,
   * checkpoints) sets the pace, not the workers.
   */
  readonly pace: { readonly evaluationMs: number; readonly wallMsPerCandidate: number; readonly slots: number } | null;
  /** Time worked, in ms: per session, its last event minus its start, summed (a timing). */
  readonly elapsedMs: number;
  /** Objective names from the last run-started event that had them. */
  readonly objectiveNames?: readonly string[];
  /** The checkpoint, when given. */
  readonly checkpoint?: { readonly batch: number; readonly journalEvents: number; readonly savedAt: string };
}

/** One kind of rejection: its code, stage, how many, and one real reason. */
export interface RejectionGroup {
  readonly code: string;
  readonly stage: string;
  readonly count: number;
  /** The first reason with this code, as written (real numbers). */
  readonly example: string;
}

/** Summarises the journal's events (and, if given, the checkpoint) for `evonorm status`. */
export function summarizeRun(events: readonly JournalEvent[], checkpoint?: Checkpoint): RunSummary {
  const records = joinCandidates(events);
  const evaluated = records.filter((r) => r.evaluated !== undefined);
  const { scored, rejectedByStage, cacheHits } = countOutcomes(records);
  const reasons = new Map<string, { code: string; stage: string; count: number; example: string }>();
  for (const record of evaluated) {
    const e = record.evaluated!;
    if (e.evaluation.status !== 'ok') {
      const { stage, reason } = e.evaluation;
      const code = e.evaluation.code ?? stage;
      const group = reasons.get(code) ?? { code, stage, count: 0, example: reason };
      group.count++;
      reasons.set(code, group);
    }
  }
  const ranking = rankCandidates(records);
  const { ranked, front } = ranking;
  const promotion = promotionSummary(ranking, journalLevels(events));
  const k = ranked[0]?.objectives.length ?? 0;
  const bestPerObjective = Array.from({ length: k }, (_, m) => Math.max(...ranked.map((c) => c.objectives[m])));

  let sessions = 0;
  let finished: FinishReason | undefined;
  let objectiveNames: readonly string[] | undefined;
  for (const event of events) {
    if (event.type === 'run-started') {
      sessions++;
      finished = undefined;
      if (event.objectiveNames) objectiveNames = event.objectiveNames;
    } else if (event.type === 'run-finished') {
      finished = event.reason;
    }
  }

  return {
    proposed: records.length,
    evaluated: evaluated.length,
    pending: records.length - evaluated.length,
    scored,
    rejected: evaluated.length - scored,
    rejectedByStage: { ...rejectedByStage },
    // Every code (there are a few dozen at most), most frequent first: status lists them all.
    rejectedByReason: [...reasons.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
    cacheHits,
    batches: records.reduce((max, r) => Math.max(max, r.proposed.batch + 1), 0),
    sessions: Math.max(sessions, events.length > 0 ? 1 : 0),
    bestPerObjective,
    front: front.map((c) => ({
      id: c.record.proposed.id,
      expression: c.record.proposed.expression,
      objectives: c.objectives,
      ...withErrors(objectiveErrorsOf(c.record.evaluated?.evaluation)),
      fingerprint: c.record.evaluated?.fingerprint ?? null,
      ...(promotion !== null ? { level: levelOf(c), levels: levelScores(c) } : {}),
    })),
    ...(promotion !== null ? { promotion } : {}),
    diversity: diversitySeries(events, records),
    ...(finished !== undefined ? { finished } : {}),
    workerBusyShare: workerBusyShare(events),
    pace: pace(events),
    elapsedMs: elapsedMs(events),
    ...(objectiveNames !== undefined ? { objectiveNames } : {}),
    ...(checkpoint !== undefined
      ? { checkpoint: { batch: checkpoint.batch, journalEvents: checkpoint.journalEvents, savedAt: checkpoint.savedAt } }
      : {}),
  };
}

/** Mean evaluation cost and mean wall time per candidate over the generation events. */
function pace(events: readonly JournalEvent[]): RunSummary['pace'] {
  let busy = 0;
  let wall = 0;
  let capacity = 0;
  let proposed = 0;
  let evaluated = 0;
  for (const event of events) {
    if (event.type !== 'generation' || event.busyMs === undefined || event.wallMs === undefined || event.capacityMs === undefined) continue;
    busy += event.busyMs;
    wall += event.wallMs;
    capacity += event.capacityMs;
    proposed += event.proposed;
    evaluated += event.evaluated + event.rejected - event.cacheHits;
  }
  if (proposed === 0 || wall === 0) return null;
  return { evaluationMs: evaluated > 0 ? busy / evaluated : 0, wallMsPerCandidate: wall / proposed, slots: capacity / wall };
}

function workerBusyShare(events: readonly JournalEvent[]): number | null {
  let busy = 0;
  let capacity = 0;
  for (const event of events) {
    if (event.type !== 'generation' || event.busyMs === undefined || event.capacityMs === undefined) continue;
    busy += event.busyMs;
    capacity += event.capacityMs;
  }
  return capacity > 0 ? Math.min(1, busy / capacity) : null;
}

/** Sum over sessions (each begins at a run-started event) of last event time minus first. */
function elapsedMs(events: readonly JournalEvent[]): number {
  let total = 0;
  let start: number | null = null;
  let last: number | null = null;
  for (const event of events) {
    const time = Date.parse(event.t);
    if (event.type === 'run-started' || start === null) {
      if (start !== null && last !== null) total += last - start;
      start = time;
    }
    last = time;
  }
  if (start !== null && last !== null) total += last - start;
  return total;
}
