/** A run's status computed from its journal (and checkpoint): counts, rejections, best values, front. */
import type { Checkpoint } from '../folder/checkpoint.js';
import type { FinishReason, JournalEvent } from '../journal/events.js';
import { objectiveErrorsOf } from '../replay/objective-errors.js';
import { diversitySeries, type DiversitySummary } from '../replay/diversity.js';
import { levelCosts, type LevelCost } from '../replay/level-cost.js';
import { levelOf, levelScores, promotionSummary, type LevelScore, type PromotionSummary } from '../replay/level-scores.js';
import { asReplay, type Pace, type RejectionGroup, type RunReplay } from '../replay/replay.js';
import { zooNameOfFingerprint } from './objective-info.js';

export type { RejectionGroup } from '../replay/replay.js';

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
  /** With promotion levels only: the evaluations and training CPU time of each level 0..L (src/run/replay/level-cost.ts). */
  readonly levelCosts?: readonly LevelCost[];
  /**
   * The population's diversity per settle point (src/run/replay/diversity.ts): its largest structural
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
  readonly pace: Pace | null;
  /** Time worked, in ms: per session, its last event minus its start, summed (a timing). */
  readonly elapsedMs: number;
  /** Objective names from the last run-started event that had them. */
  readonly objectiveNames?: readonly string[];
  /**
   * Seed layers the rejection chain stopped, in id order. A seed is a layer the user trusts to
   * train (bn-relu, evonorm-s0, …): its rejection says the chain is too strict for the protocol.
   */
  readonly rejectedSeeds: readonly RejectedSeed[];
  /** The checkpoint, when given. */
  readonly checkpoint?: { readonly batch: number; readonly journalEvents: number; readonly savedAt: string };
}

/** A seed layer that the rejection chain stopped. */
export interface RejectedSeed {
  readonly id: number;
  /** Its zoo name when its function is a zoo layer's, else its expression. */
  readonly name: string;
  readonly stage: string;
  readonly reason: string;
}

/** The seed layers of a run that were rejected (see RunSummary.rejectedSeeds). */
export function rejectedSeeds(records: RunReplay['records']): RejectedSeed[] {
  return records.flatMap((r) => {
    const e = r.evaluated?.evaluation;
    if (r.proposed.origin !== 'seed' || e?.status !== 'rejected') return [];
    const name = zooNameOfFingerprint(r.evaluated?.fingerprint) ?? r.proposed.expression;
    return [{ id: r.proposed.id, name, stage: e.stage, reason: e.reason }];
  });
}

/**
 * Summarises a run for `evonorm status` from its journal's replay (src/run/replay/replay.ts; given the
 * events, they are replayed strictly) and, if given, its checkpoint.
 */
export function summarizeRun(source: readonly JournalEvent[] | RunReplay, checkpoint?: Checkpoint): RunSummary {
  const replay = asReplay(source);
  const { records, outcomes } = replay;
  const ranking = replay.ranking();
  const { ranked, front } = ranking;
  const promotion = promotionSummary(ranking, replay.levels, replay.closingPromotions);
  const k = ranked[0]?.objectives.length ?? 0;
  const bestPerObjective = Array.from({ length: k }, (_, m) => Math.max(...ranked.map((c) => c.objectives[m])));
  const evaluated = outcomes.scored + outcomes.rejected;
  return {
    proposed: outcomes.proposed,
    evaluated,
    pending: outcomes.pending,
    scored: outcomes.scored,
    rejected: outcomes.rejected,
    rejectedByStage: { ...outcomes.rejectedByStage },
    // Every code (there are a few dozen at most), most frequent first: status lists them all.
    rejectedByReason: [...replay.rejections],
    cacheHits: outcomes.cacheHits,
    batches: replay.batches,
    sessions: replay.sessions,
    bestPerObjective,
    front: front.map((c) => ({
      id: c.record.proposed.id,
      expression: c.record.proposed.expression,
      objectives: c.objectives,
      ...withErrors(objectiveErrorsOf(c.record.evaluated?.evaluation)),
      fingerprint: c.record.evaluated?.fingerprint ?? null,
      ...(promotion !== null ? { level: levelOf(c), levels: levelScores(c) } : {}),
    })),
    ...(promotion !== null ? { promotion, levelCosts: levelCosts(replay, promotion.levels) } : {}),
    diversity: diversitySeries(replay),
    ...(replay.finished !== undefined ? { finished: replay.finished } : {}),
    workerBusyShare: replay.workerBusyShare,
    pace: replay.pace,
    elapsedMs: replay.elapsedMs,
    rejectedSeeds: rejectedSeeds(records),
    ...(replay.objectiveNames !== undefined ? { objectiveNames: replay.objectiveNames } : {}),
    ...(checkpoint !== undefined
      ? { checkpoint: { batch: checkpoint.batch, journalEvents: checkpoint.journalEvents, savedAt: checkpoint.savedAt } }
      : {}),
  };
}
