/**
 * The search loop's recorder: what a run writes down as results arrive and batches settle.
 *
 *   result: journal: evaluated (or promotion-evaluated) → counters, hurdle book, the run's front → tell
 *   generation: journal: generation (the counts since the last settle point, wall and busy time)
 *   checkpoint: sync the journal, then write the checkpoint atomically (a checkpoint never covers
 *               events a crash could lose); at settle points also journal: checkpoint, onCheckpoint
 *   finished: journal: run-finished; sync
 */
import type { Logger } from 'pino';
import type { Evaluation } from '../../evaluate/types.js';
import { tell, type EvolverState } from '../../search/evolver.js';
import type { PromotionOrder, PromotionResult } from '../../search/promotion.js';
import type { EvaluationResult } from '../../search/candidate.js';
import type { FinishReason } from '../journal/events.js';
import type { Journal } from '../journal/journal.js';
import { writeCheckpoint, type Checkpoint } from '../folder/checkpoint.js';
import { frontPoint, leveledPoint, type FrontPoint, type LeveledPoint } from '../replay/candidates.js';
import { FrontTracker } from './front-tracker.js';
import type { HurdleBook } from './hurdle-book.js';
import type { Done } from './scheduler.js';

export interface LoopCounters {
  proposed: number;
  evaluated: number;
  rejected: number;
  cacheHits: number;
  /** Rejections by stage (static, stability, quality, …) in this process. */
  rejectedByStage: Record<string, number>;
  /** Size of the run's Pareto front (every session), as `status` counts it (distinctFront; with promotions runFront). */
  front: number;
  /** Promotion evaluations journaled by this process (cache hits included); absent without promotion levels. */
  promotions?: number;
}

/** What onCheckpoint receives each time a checkpoint is written at a settle point. */
export interface CheckpointInfo {
  readonly checkpoint: Checkpoint;
  readonly state: EvolverState;
  readonly counters: LoopCounters;
}

export interface RecorderOptions {
  readonly journal: Journal;
  readonly counters: LoopCounters;
  readonly checkpointPath: string;
  readonly runId?: string;
  /** With promotion levels (the front keeps every scored candidate and its levels). */
  readonly leveled: boolean;
  readonly front?: readonly FrontPoint[];
  readonly promoted?: readonly LeveledPoint[];
  readonly hurdles?: HurdleBook;
  readonly log?: Logger;
  readonly onCheckpoint?: (info: CheckpointInfo) => void | Promise<void>;
  /**
   * With search.diversity.uniqueFunctions: the fingerprint of every candidate evaluated so far, by
   * id (resume: from the journal). A scored result whose fingerprint a population member has is
   * told as a duplicate (it does not join the population). The recorder adds each new result.
   */
  readonly fingerprints?: Map<number, string>;
  /** The state the run starts from (what the last checkpoint holds) and when the loop started (ms). */
  readonly initial: EvolverState;
  readonly started: number;
}

/** Journals results and settle points, keeps the counters and the run's front, writes checkpoints. */
export class Recorder {
  private readonly front: FrontTracker;
  private tally = emptyTally();
  private promotionResults: PromotionResult[] = [];
  private checkpointed: EvolverState;
  private lastCheckpointAt: number;
  private lastSettledAt: number;

  constructor(private readonly options: RecorderOptions) {
    this.front = new FrontTracker(options.front ?? [], options.promoted ?? [], options.leveled);
    this.checkpointed = options.initial;
    this.lastCheckpointAt = options.started;
    this.lastSettledAt = options.started;
    options.counters.front = this.front.size;
    if (options.leveled) options.counters.promotions ??= 0;
  }

  /** Promotion results in since the last time the open round was applied. */
  get promotionsIn(): number {
    return this.promotionResults.length;
  }

  /** Hands over the open round's results (and forgets them), for applyPromotions. */
  takePromotionResults(): PromotionResult[] {
    const results = this.promotionResults;
    this.promotionResults = [];
    return results;
  }

  /** Records one finished evaluation; returns the state told about it (a promotion's waits for its round). */
  result(done: Done, state: EvolverState): EvolverState {
    if (done.promotion) {
      this.promotionResult({ ...done, promotion: done.promotion });
      return state;
    }
    const { journal, counters, log } = this.options;
    const { candidate, fingerprint, evaluation, cached } = done;
    journal.append({ type: 'evaluated', id: candidate.id, fingerprint, hash: candidate.hash, evaluation, cached });
    this.options.hurdles?.add(candidate.id, evaluation, cached);
    this.tally.results++;
    if (cached) {
      counters.cacheHits++;
      this.tally.cacheHits++;
    } else this.tally.busyMs += evaluation.costMs;
    if (evaluation.status === 'ok') {
      counters.evaluated++;
      this.tally.evaluated++;
      this.front.addScored(frontPoint(candidate.id, fingerprint, candidate.hash, evaluation.objectives));
      counters.front = this.front.size;
    } else {
      counters.rejected++;
      this.tally.rejected++;
      counters.rejectedByStage[evaluation.stage] = (counters.rejectedByStage[evaluation.stage] ?? 0) + 1;
      if (evaluation.stage === 'error' || evaluation.stage === 'timeout') {
        log?.child({ candidate: candidate.id }).warn({ stage: evaluation.stage, reason: evaluation.reason }, 'evaluation failed');
      }
    }
    return tell(state, [this.duplicateOf(toResult(candidate.id, evaluation), fingerprint, state)]);
  }

  /**
   * `result` marked a duplicate when unique functions are on and a population member has its
   * fingerprint. In a batch the population does not change until it settles, so the mark does not
   * depend on the order results arrive in.
   */
  private duplicateOf(result: EvaluationResult, fingerprint: string | null, state: EvolverState): EvaluationResult {
    const fingerprints = this.options.fingerprints;
    if (fingerprints === undefined || fingerprint === null) return result;
    const duplicate = 'objectives' in result && state.population.some((m) => fingerprints.get(m.id) === fingerprint);
    fingerprints.set(result.id, fingerprint);
    return duplicate ? { ...result, duplicate: true } : result;
  }

  /** A promotion's result: journaled at once, held until the settle point applies its round. */
  private promotionResult({ candidate, fingerprint, evaluation, cached, promotion }: Done & { promotion: PromotionOrder }): void {
    const { journal, counters, log } = this.options;
    journal.append({ type: 'promotion-evaluated', id: candidate.id, level: promotion.level, fingerprint, hash: candidate.hash, evaluation, cached });
    counters.promotions = (counters.promotions ?? 0) + 1;
    if (!cached) this.tally.busyMs += evaluation.costMs;
    this.promotionResults.push({ ...toResult(candidate.id, evaluation), level: promotion.level });
    const before = this.front.levelsOf(candidate.id) ?? leveledPoint(frontPoint(candidate.id, fingerprint, candidate.hash, promotion.candidate.objectives!));
    if (before.levels.length === promotion.level && !before.failed) {
      const ok = evaluation.status === 'ok' && evaluation.objectives.length === before.objectives.length;
      this.front.setPromoted(ok ? { ...before, levels: [...before.levels, evaluation.objectives] } : { ...before, failed: true });
      counters.front = this.front.size;
    }
    log?.child({ candidate: candidate.id }).info({ level: promotion.level, status: evaluation.status, cached }, 'promotion evaluated');
  }

  /**
   * Journals the generation event of settle point `batch` (at time `now`, ms) with the counts
   * since the last one. Between two settle points the pool could have run wallMs × poolSize of
   * evaluation; the sums over a run give the busy share (`evonorm status`).
   */
  generation(batch: number, state: EvolverState, poolSize: number, now: number): void {
    const wallMs = now - this.lastSettledAt;
    this.lastSettledAt = now;
    const { results, evaluated, rejected, cacheHits, busyMs } = this.tally;
    this.tally = emptyTally();
    const population = state.population.map((m) => m.id);
    this.options.journal.append({ type: 'generation', batch, proposed: results, evaluated, rejected, cacheHits, wallMs, busyMs, capacityMs: wallMs * poolSize, population });
    this.options.log?.info({ batch, evaluated, rejected, cacheHits, proposed: this.options.counters.proposed }, 'generation settled');
  }

  /** Syncs the journal (a checkpoint must not cover events a crash could lose), then writes the checkpoint of `of`. */
  checkpoint(of: EvolverState): Checkpoint {
    const { journal, counters, runId } = this.options;
    journal.sync();
    const { proposed, evaluated, rejected, cacheHits } = counters;
    this.checkpointed = of;
    this.lastCheckpointAt = Date.now();
    return writeCheckpoint(this.options.checkpointPath, {
      batch: of.batches - 1, journalEvents: journal.count, journalDigest: journal.digest, ...(runId !== undefined ? { runId } : {}),
      evolver: of, counters: { proposed, evaluated, rejected, cacheHits },
    });
  }

  /** A checkpoint of the settled state, its journal event, then onCheckpoint (a throw is logged, not fatal). */
  async checkpointSettled(settled: EvolverState): Promise<void> {
    const { journal, counters, onCheckpoint, log } = this.options;
    const written = this.checkpoint(settled);
    journal.append({ type: 'checkpoint', batch: settled.batches - 1, journalEvents: journal.count });
    if (onCheckpoint) {
      try {
        await onCheckpoint({ checkpoint: written, state: settled, counters });
      } catch (err) {
        log?.warn({ err }, 'onCheckpoint failed');
      }
    }
  }

  /** True when the last checkpoint is at least `everyMs` old at `now`. */
  checkpointDue(now: number, everyMs: number): boolean {
    return now - this.lastCheckpointAt >= everyMs;
  }

  /** True when the last checkpoint written holds `state`. */
  holds(state: EvolverState): boolean {
    return this.checkpointed === state;
  }

  /** The run's end: journal: run-finished, synced. */
  finished(reason: FinishReason): void {
    this.options.journal.append({ type: 'run-finished', reason });
    this.options.journal.sync();
  }
}

/** Counts since the last settle point, for its generation event. */
function emptyTally() {
  return { results: 0, evaluated: 0, rejected: 0, cacheHits: 0, busyMs: 0 };
}

/** The evolver's view of an evaluation. */
export function toResult(id: number, evaluation: Evaluation): EvaluationResult {
  return evaluation.status === 'ok'
    ? { id, objectives: evaluation.objectives }
    : { id, rejection: { reason: evaluation.reason, stage: evaluation.stage } };
}
