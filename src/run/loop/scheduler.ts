/**
 * The search loop's scheduler: when to ask the evolver for candidates, and what goes in flight.
 *
 *   room: 'batch' → batchSize once nothing of the last batch is outstanding (the barrier);
 *         'async' → 1 while a worker is free; never past the candidate budget
 *   propose: ask(state, room) → journal: proposed → evaluate each through the fingerprint cache
 *   promotions: journal: promoted (once per id@level) → evaluate each through the level cache
 *   next: the next finished evaluation, in the order they finish (src/run/loop/arrivals.ts)
 *
 * It journals proposals (their order in the journal is the order they were asked in); results
 * are the recorder's (src/run/loop/recorder.ts).
 */
import type { EvaluationPool } from '../../dispatch/types.js';
import type { Hurdle } from '../../evaluate/hurdles.js';
import type { Evaluation, EvaluationProgress } from '../../evaluate/types.js';
import { ask, isSettled, type EvolverState } from '../../search/evolver.js';
import type { PromotionOrder } from '../../search/promotion.js';
import type { Candidate } from '../../search/candidate.js';
import { proposedEvent } from '../journal/event-builders.js';
import type { Journal } from '../journal/journal.js';
import { Arrivals } from './arrivals.js';
import { evaluateThroughCache, type CachedEvaluation } from './evaluate-candidate.js';
import type { HurdleBook } from './hurdle-book.js';

/** One finished evaluation: of a proposed candidate, or of a promotion (`promotion` set). */
export interface Done extends CachedEvaluation {
  readonly candidate: Candidate;
  readonly promotion?: PromotionOrder;
}

export interface SchedulerOptions {
  readonly pool: EvaluationPool;
  readonly journal: Journal;
  /** Results already known, by fingerprint. */
  readonly cache: Map<string, Evaluation>;
  /** Promotion results already known, by levelCacheKey. */
  readonly levelCache: Map<string, Evaluation>;
  readonly counters: { proposed: number };
  readonly seed: number | string;
  readonly batchSize: number;
  readonly maxCandidates: number;
  /** 'async' schedule: one candidate per free worker, no barrier. */
  readonly steady: boolean;
  readonly hurdles?: HurdleBook;
  /** `promoted` events the journal already has, as "<id>@<level>". */
  readonly journaledPromotions?: ReadonlySet<string>;
  readonly onEvaluationProgress?: (candidateId: number, progress: EvaluationProgress) => void;
}

/** Asks for candidates when the schedule has room and keeps their evaluations in flight. */
export class Scheduler {
  private readonly arrivals = new Arrivals<Done>();
  private readonly byFingerprint = new Map<string, Promise<Evaluation>>();
  private readonly levelInFlight = new Map<string, Promise<Evaluation>>();
  private readonly journaledPromotions: Set<string>;
  /** 'batch': the last asked batch has been settled, so the next may be asked. */
  settledSinceAsk = true;

  constructor(private readonly options: SchedulerOptions) {
    this.journaledPromotions = new Set(options.journaledPromotions ?? []);
  }

  /** Evaluations added and not yet taken by next(). */
  get inFlight(): number {
    return this.arrivals.size;
  }

  /** How many candidates to ask for now: the schedule's room (0: wait for results). */
  room(state: EvolverState): number {
    const { maxCandidates, batchSize, steady, pool } = this.options;
    const left = maxCandidates - state.nextId;
    if (left <= 0) return 0;
    if (steady) return this.arrivals.size < pool.size ? 1 : 0;
    // (Without promotions, settledSinceAsk && isSettled(state) holds exactly when no evaluation is in flight.)
    return this.settledSinceAsk && isSettled(state) ? Math.min(batchSize, left) : 0;
  }

  /**
   * Asks while the schedule has room, journals and launches the candidates; returns the new
   * state. `beforeJournal` sees each asked state before its proposals reach the journal ('async'
   * checkpoints there).
   */
  propose(state: EvolverState, beforeJournal: (asked: EvolverState) => void): EvolverState {
    for (let n = this.room(state); n > 0; n = this.room(state)) {
      const hurdles = this.options.hurdles?.hurdlesFor(state.nextId) ?? [];
      const asked = ask(state, n);
      state = asked.state;
      beforeJournal(state);
      this.settledSinceAsk = false;
      this.options.journal.appendAll(asked.candidates.map((c) => proposedEvent(c)));
      this.options.counters.proposed += asked.candidates.length;
      for (const candidate of asked.candidates) this.launch(candidate, hurdles);
    }
    return state;
  }

  /** A resumed run: journals the outstanding candidates the journal lacks, then evaluates them all. */
  resumePending(pending: readonly Candidate[], journaledIds: ReadonlySet<number> | undefined): void {
    const lost = pending.filter((c) => !(journaledIds?.has(c.id) ?? false));
    this.options.journal.appendAll(lost.map((c) => proposedEvent(c)));
    for (const candidate of pending) this.launch(candidate);
  }

  /** Evaluates a candidate through the fingerprint cache. */
  launch(candidate: Candidate, hurdles: readonly Hurdle[] = []): void {
    const { pool, cache, seed } = this.options;
    this.arrivals.add(evaluateThroughCache(candidate, pool, cache, this.byFingerprint, seed, hurdles, this.watchOf(candidate.id)).then((r) => ({ candidate, ...r })));
  }

  /** Journals the orders not journaled yet (`closing`: chosen in a closing round), then evaluates each at its level. */
  launchPromotions(orders: readonly PromotionOrder[], batch: number, closing = false): void {
    const { pool, levelCache, seed, journal } = this.options;
    const fresh = orders.filter((o) => !this.journaledPromotions.has(`${o.id}@${o.level}`));
    journal.appendAll(fresh.map((o) => ({ type: 'promoted' as const, id: o.id, level: o.level, batch, ...(closing ? { closing: true as const } : {}) })));
    for (const o of fresh) this.journaledPromotions.add(`${o.id}@${o.level}`);
    for (const order of orders) {
      this.arrivals.add(evaluateThroughCache(order.candidate, pool, levelCache, this.levelInFlight, seed, [], this.watchOf(order.id, order.level), order.level).then((r) => ({ candidate: order.candidate, promotion: order, ...r })));
    }
  }

  /** The next finished evaluation, or null when `signal` fires first. */
  next(signal: AbortSignal): Promise<Done | null> {
    return this.arrivals.next(signal);
  }

  /** Progress of candidate `id`'s evaluation (a promotion's stage names its level, e.g. "proxy (level 1)"). */
  private watchOf(id: number, level = 0): { onProgress: (p: EvaluationProgress) => void } | undefined {
    const onEvaluationProgress = this.options.onEvaluationProgress;
    return onEvaluationProgress
      ? { onProgress: (p: EvaluationProgress) => onEvaluationProgress(id, level > 0 ? { ...p, stage: `${p.stage} (level ${level})` } : p) }
      : undefined;
  }
}
