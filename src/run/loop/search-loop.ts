/**
 * The one loop that drives a search run (PAPER.md §3), for both schedules of the evolver:
 *
 *   resumed with outstanding candidates (an 'async' checkpoint)? journal the lost proposals, evaluate them
 *   until a budget is spent or Ctrl-C:
 *     while the schedule has room: candidates ← ask(state, n)            journal: proposed
 *       'batch': room only when nothing is in flight and the batch is applied (the barrier), n = batchSize
 *       'async': room while a worker is free, n = 1; checkpoint BEFORE the proposal reaches the journal
 *     each candidate: fingerprint → cache hit? reuse : evaluate on the pool (src/run/loop/evaluate-candidate.ts)
 *     take the next result in the order they finish:                    journal: evaluated
 *       state ← tell(state, result)
 *       settled ('async': every result; 'batch': the whole batch applied)?
 *         journal: generation (with the population's ids); sync the journal; checkpoint (atomic); journal: checkpoint; onCheckpoint
 *         ('batch' may skip the checkpoint when the last is younger than checkpointEveryMs)
 *   on a budget or time limit: propose no more, let the evaluations in flight finish
 *   at the end: checkpoint the last settled state if it is not yet; journal: run-finished; sync
 *
 * With promotion levels ('batch' only; src/search/promotion.ts), the settle point of batch b
 * waits for the promotions chosen at batch b − 1 too, and becomes:
 *     state ← applyPromotions(state, their results)   journal: generation
 *     { state, orders } ← choosePromotions(state)      checkpoint (it holds the open orders)
 *     journal: promoted (each order); evaluate each on the pool at its level, through the level
 *     cache, while batch b + 1 is evaluated              journal: promotion-evaluated (on arrival)
 * Closing rounds: once the candidate budget is spent and the last batch is settled, the open
 * round is not left open. Each time all of its results are in:
 *     state ← applyPromotions(state, their results)   (id order, as at a settle point)
 *     { state, orders } ← choosePromotions(state)      checkpoint (the same rule as a settle point)
 *     journal: promoted (closing: true); evaluate them on the pool   journal: promotion-evaluated
 * until a round has no orders (each order raises a candidate a level or ends its climb, so this
 * ends: at most one order per front candidate and level). A finished run's front is then promoted
 * as far as the rules allow, at most k per round as during the search. The rounds open at fixed
 * points (a whole round applied, in id order), so the seed still fixes the run, and a resumed run
 * (the checkpoint holds the open round; journaled results are cache hits) closes as an
 * uninterrupted one. A time limit or Ctrl-C leaves the open round in the checkpoint ('time',
 * 'interrupted'); a resume goes on closing. An extended run (a larger --max-candidates after
 * 'budget') starts from the closed state: its next batches see the closing rounds' levels.
 *
 * 'batch' is the 'async' loop with a barrier: each batch is proposed from a settled population and
 * applied in id order (src/search/evolver.ts), so the seed fixes the run whatever the number of
 * workers or their finishing order. 'async' keeps every worker busy; its run depends on the order
 * results come back in (deterministic with one worker).
 *
 * Crash safety: every result is in the journal the moment it arrives; the journal is synced to
 * disk before each checkpoint, so a checkpoint never covers events a crash could lose. A resumed
 * 'batch' run reloads the settled checkpoint and asks the same batch again: its finished candidates
 * are cache hits (never trained twice) and it ends exactly as an uninterrupted run would. An
 * 'async' checkpoint holds the outstanding candidates of every journaled proposal; a resumed run
 * journals any proposal the crash lost and evaluates the outstanding ones first. Promotions the
 * checkpoint holds open are evaluated again (cache hits when their results were journaled).
 *
 * Ctrl-C: the loop hands control back to the event loop at least every YIELD_MS, so a signal is
 * noticed even when every evaluation is synchronous (the inline fast objective). Results that
 * arrive after the signal are not journaled: the resumed run evaluates them again (or, 'batch',
 * re-asks the batch).
 */
import type { Logger } from 'pino';
import type { Evaluation, EvaluationProgress } from '../../evaluate/types.js';
import type { EvaluationPool } from '../../dispatch/types.js';
import { ask, isAsync, isSettled, tell, type EvolverState } from '../../search/evolver.js';
import { applyPromotions, choosePromotions, type PromotionOrder, type PromotionResult } from '../../search/promotion.js';
import type { Candidate, EvaluationResult } from '../../search/candidate.js';
import type { FinishReason } from '../journal/events.js';
import { proposedEvent } from '../journal/event-builders.js';
import type { Journal } from '../journal/journal.js';
import { writeCheckpoint, type Checkpoint } from '../folder/checkpoint.js';
import { evaluateThroughCache, type CachedEvaluation } from './evaluate-candidate.js';
import { Arrivals } from './arrivals.js';
import type { HurdleBook } from './hurdle-book.js';
import type { Hurdle } from '../../evaluate/hurdles.js';
import { frontPoint, leveledPoint, type FrontPoint, type LeveledPoint } from '../replay/candidates.js';
import { FrontTracker } from './front-tracker.js';

/** Longest stretch, in ms, the loop runs without letting the event loop (signals, log writes) in. */
export const YIELD_MS = 20;

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

export interface SearchLoopOptions {
  readonly state: EvolverState;
  readonly pool: EvaluationPool;
  readonly journal: Journal;
  readonly checkpointPath: string;
  /** Results already known, by fingerprint (rebuilt from the journal on resume). */
  readonly cache: Map<string, Evaluation>;
  readonly counters: LoopCounters;
  readonly seed: number | string;
  /** The run's id (runIdOf), recorded in every checkpoint. */
  readonly runId?: string;
  readonly batchSize: number;
  readonly maxCandidates: number;
  /** Wall-clock budget of this process in ms (null: none). */
  readonly maxMs: number | null;
  readonly signal: AbortSignal;
  /** The run's logger (src/run/folder/logger.ts); candidates get child loggers. */
  readonly log?: Logger;
  /**
   * The run's scored candidates so far as front points (resume: from the journal): at least their
   * level-0 front; with promotion levels, every scored candidate (src/run/loop/front-tracker.ts). Default none.
   */
  readonly front?: readonly FrontPoint[];
  /** With promotion levels: every candidate promoted so far with its levels (resume: from the journal); default none. */
  readonly promoted?: readonly LeveledPoint[];
  /** With promotion levels: promotion evaluations already known, by levelCacheKey (rebuilt from the journal on resume). */
  readonly levelCache?: Map<string, Evaluation>;
  /** With promotion levels: `promoted` events the journal already has, as "<id>@<level>" (resume). */
  readonly journaledPromotions?: ReadonlySet<string>;
  /**
   * The run's record of looks part-way through proxy trainings, when hurdles are on: proposals
   * carry the hurdles computed from it (earlier ids only, so a resumed batch run computes the same).
   */
  readonly hurdles?: HurdleBook;
  /** Ids the journal already has a `proposed` event for (resume of an 'async' run). */
  readonly journaledIds?: ReadonlySet<number>;
  /** Called after every result and every settle point, for progress displays. */
  /** After each result: this process's counters, the evolver state and the run's candidate budget. */
  readonly onProgress?: (counters: LoopCounters, state: EvolverState, maxCandidates: number) => void;
  /** Where a candidate's evaluation is (which stage, network, step), about once a second while it trains. */
  readonly onEvaluationProgress?: (candidateId: number, progress: EvaluationProgress) => void;
  /**
   * Called after each checkpoint written at a settle point (a settled batch; an applied 'async'
   * result), e.g. to refresh a report. The loop waits for it; a throw is logged, not fatal.
   */
  readonly onCheckpoint?: (info: CheckpointInfo) => void | Promise<void>;
  /**
   * 'batch' only: write a checkpoint at a settle point only when the last one is older than this
   * many ms (default 0: every batch). Safe because a resumed batch run re-asks the batches after
   * its checkpoint and finds them all in the cache; the run's end is always checkpointed.
   * ('async' checkpoints at every proposal and result, as its resume needs.)
   */
  readonly checkpointEveryMs?: number;
}

export interface SearchLoopResult {
  /** The last settled state, which the last checkpoint holds (the last settled batch; 'async': the current state). */
  readonly state: EvolverState;
  readonly reason: FinishReason;
  readonly counters: LoopCounters;
}

/** One finished evaluation: of a proposed candidate, or of a promotion (`promotion` set). */
interface Done extends CachedEvaluation {
  readonly candidate: Candidate;
  readonly promotion?: PromotionOrder;
}

/** Runs the search until a budget is spent or the signal fires; see the module comment. */
export async function runSearchLoop(options: SearchLoopOptions): Promise<SearchLoopResult> {
  const { pool, journal, cache, counters, signal, log } = options;
  const steady = isAsync(options.state);
  let state = options.state;
  /** The last state a checkpoint may hold (a settled batch; 'async': any), and the last one written. */
  let settled = state;
  let checkpointed = state;
  const started = Date.now();
  let lastCheckpointAt = started;
  let lastSettled = started;
  let lastYield = started;
  let settling = emptyTally();
  const arrivals = new Arrivals<Done>();
  const byFingerprint = new Map<string, Promise<Evaluation>>();
  // Promotion levels ('batch' only): the results of the open round, the level cache.
  const leveled = state.options.promotion !== undefined;
  const front = new FrontTracker(options.front ?? [], options.promoted ?? [], leveled);
  let promotionResults: PromotionResult[] = [];
  const levelCache = options.levelCache ?? new Map<string, Evaluation>();
  const levelInFlight = new Map<string, Promise<Evaluation>>();
  const journaledPromotions = new Set(options.journaledPromotions ?? []);
  /** 'batch': the last asked batch has been settled, so the next may be asked. */
  let settledSinceAsk = true;
  counters.front = front.size;
  if (leveled) counters.promotions ??= 0;

  const onEvaluationProgress = options.onEvaluationProgress;
  /** Progress of candidate `id`'s evaluation (a promotion's stage names its level, e.g. "proxy (level 1)"). */
  const watchOf = (id: number, level = 0) => (onEvaluationProgress
    ? { onProgress: (p: EvaluationProgress) => onEvaluationProgress(id, level > 0 ? { ...p, stage: `${p.stage} (level ${level})` } : p) }
    : undefined);
  const launch = (candidate: Candidate, hurdles: readonly Hurdle[] = []): void => {
    arrivals.add(evaluateThroughCache(candidate, pool, cache, byFingerprint, options.seed, hurdles, watchOf(candidate.id)).then((r) => ({ candidate, ...r })));
  };
  /** Journals the orders not journaled yet (`closing`: chosen in a closing round), then evaluates each at its level. */
  const launchPromotions = (orders: readonly PromotionOrder[], batch: number, closing = false): void => {
    const fresh = orders.filter((o) => !journaledPromotions.has(`${o.id}@${o.level}`));
    journal.appendAll(fresh.map((o) => ({ type: 'promoted' as const, id: o.id, level: o.level, batch, ...(closing ? { closing: true as const } : {}) })));
    for (const o of fresh) journaledPromotions.add(`${o.id}@${o.level}`);
    for (const order of orders) {
      arrivals.add(evaluateThroughCache(order.candidate, pool, levelCache, levelInFlight, options.seed, [], watchOf(order.id, order.level), order.level).then((r) => ({ candidate: order.candidate, promotion: order, ...r })));
    }
  };
  /** Syncs the journal (a checkpoint must not cover events a crash could lose), then writes the checkpoint. */
  const checkpoint = (of: EvolverState): Checkpoint => {
    journal.sync();
    const { proposed, evaluated, rejected, cacheHits } = counters;
    checkpointed = of;
    lastCheckpointAt = Date.now();
    return writeCheckpoint(options.checkpointPath, {
      batch: of.batches - 1, journalEvents: journal.count, journalDigest: journal.digest, ...(options.runId !== undefined ? { runId: options.runId } : {}),
      evolver: of, counters: { proposed, evaluated, rejected, cacheHits },
    });
  };
  /** A checkpoint of the settled state, its journal event, then onCheckpoint. */
  const checkpointSettled = async (): Promise<void> => {
    const written = checkpoint(settled);
    journal.append({ type: 'checkpoint', batch: settled.batches - 1, journalEvents: journal.count });
    if (options.onCheckpoint) {
      try {
        await options.onCheckpoint({ checkpoint: written, state: settled, counters });
      } catch (err) {
        log?.warn({ err }, 'onCheckpoint failed');
      }
    }
  };
  /** How many candidates to ask for now: the schedule's room (0: wait for results). */
  const room = (): number => {
    const left = options.maxCandidates - state.nextId;
    if (left <= 0) return 0;
    if (steady) return arrivals.size < pool.size ? 1 : 0;
    // (Without promotions, settledSinceAsk && isSettled(state) holds exactly when no evaluation is in flight.)
    return settledSinceAsk && isSettled(state) ? Math.min(options.batchSize, left) : 0;
  };
  const propose = (): void => {
    for (let n = room(); n > 0; n = room()) {
      const hurdles = options.hurdles?.hurdlesFor(state.nextId) ?? [];
      const asked = ask(state, n);
      state = asked.state;
      if (steady) {
        settled = state;
        checkpoint(state); // before the journal sees the proposal (see the module comment)
      }
      settledSinceAsk = false;
      journal.appendAll(asked.candidates.map((c) => proposedEvent(c)));
      counters.proposed += asked.candidates.length;
      for (const candidate of asked.candidates) launch(candidate, hurdles);
    }
  };
  /** A promotion's result: journaled at once, held until the settle point applies its round. */
  const recordPromotion = ({ candidate, fingerprint, evaluation, cached, promotion }: Done & { promotion: PromotionOrder }): void => {
    journal.append({ type: 'promotion-evaluated', id: candidate.id, level: promotion.level, fingerprint, hash: candidate.hash, evaluation, cached });
    counters.promotions = (counters.promotions ?? 0) + 1;
    if (!cached) settling.busyMs += evaluation.costMs;
    promotionResults.push({ ...toResult(candidate.id, evaluation), level: promotion.level });
    const before = front.levelsOf(candidate.id) ?? leveledPoint(frontPoint(candidate.id, fingerprint, candidate.hash, promotion.candidate.objectives!));
    if (before.levels.length === promotion.level && !before.failed) {
      const ok = evaluation.status === 'ok' && evaluation.objectives.length === before.objectives.length;
      front.setPromoted(ok ? { ...before, levels: [...before.levels, evaluation.objectives] } : { ...before, failed: true });
      counters.front = front.size;
    }
    log?.child({ candidate: candidate.id }).info({ level: promotion.level, status: evaluation.status, cached }, 'promotion evaluated');
  };
  const record = (done: Done): void => {
    if (done.promotion) return recordPromotion({ ...done, promotion: done.promotion });
    const { candidate, fingerprint, evaluation, cached } = done;
    journal.append({ type: 'evaluated', id: candidate.id, fingerprint, hash: candidate.hash, evaluation, cached });
    options.hurdles?.add(candidate.id, evaluation, cached);
    settling.results++;
    if (cached) {
      counters.cacheHits++;
      settling.cacheHits++;
    } else settling.busyMs += evaluation.costMs;
    if (evaluation.status === 'ok') {
      counters.evaluated++;
      settling.evaluated++;
      front.addScored(frontPoint(candidate.id, fingerprint, candidate.hash, evaluation.objectives));
      counters.front = front.size;
    } else {
      counters.rejected++;
      settling.rejected++;
      counters.rejectedByStage[evaluation.stage] = (counters.rejectedByStage[evaluation.stage] ?? 0) + 1;
      if (evaluation.stage === 'error' || evaluation.stage === 'timeout') {
        log?.child({ candidate: candidate.id }).warn({ stage: evaluation.stage, reason: evaluation.reason }, 'evaluation failed');
      }
    }
    state = tell(state, [toResult(candidate.id, evaluation)]);
  };
  const settle = async (batch: number): Promise<void> => {
    const now = Date.now();
    const wallMs = now - lastSettled;
    lastSettled = now;
    const { results, evaluated, rejected, cacheHits, busyMs } = settling;
    settling = emptyTally();
    // Between two settle points the pool could have run wallMs × size of evaluation; the sums
    // over a run give the busy share (`evonorm status`).
    if (leveled) {
      state = applyPromotions(state, promotionResults);
      promotionResults = [];
    }
    const population = state.population.map((m) => m.id);
    journal.append({ type: 'generation', batch, proposed: results, evaluated, rejected, cacheHits, wallMs, busyMs, capacityMs: wallMs * pool.size, population });
    log?.info({ batch, evaluated, rejected, cacheHits, proposed: counters.proposed }, 'generation settled');
    let orders: PromotionOrder[] = [];
    if (leveled) ({ state, orders } = choosePromotions(state));
    settled = state;
    settledSinceAsk = true;
    if (steady || now - lastCheckpointAt >= (options.checkpointEveryMs ?? 0)) await checkpointSettled();
    launchPromotions(orders, batch);
  };
  /** The candidate budget is spent, the last batch settled, and every result of the open round in (see the module comment). */
  const closingDue = (): boolean => leveled && settledSinceAsk && isSettled(state) && state.nextId >= options.maxCandidates
    && (state.promoting?.length ?? 0) > 0 && promotionResults.length === state.promoting!.length;
  /** A closing round: the open round applied, the next one chosen, checkpointed and launched. */
  const closeRound = async (): Promise<void> => {
    state = applyPromotions(state, promotionResults);
    promotionResults = [];
    let orders: PromotionOrder[];
    ({ state, orders } = choosePromotions(state));
    settled = state;
    log?.info({ promotions: orders.length }, 'closing round of promotions');
    if (Date.now() - lastCheckpointAt >= (options.checkpointEveryMs ?? 0)) await checkpointSettled();
    launchPromotions(orders, state.batches - 1, true);
  };
  /** Ends the run: the settled state checkpointed if it is not yet, then run-finished. */
  const finish = async (reason: FinishReason): Promise<SearchLoopResult> => {
    if (checkpointed !== settled) await checkpointSettled();
    journal.append({ type: 'run-finished', reason });
    journal.sync();
    return { state: settled, reason, counters };
  };

  // A resumed 'async' run: the checkpoint's outstanding candidates go first (a 'batch' checkpoint is settled).
  const lost = state.pending.filter((c) => !(options.journaledIds?.has(c.id) ?? false));
  journal.appendAll(lost.map((c) => proposedEvent(c)));
  for (const candidate of state.pending) launch(candidate);
  // A resumed run with promotions open at its checkpoint: evaluate them again (journaled ones are cache hits).
  launchPromotions(state.promoting ?? [], state.batches - 1);

  let stop: FinishReason | null = null;
  while (true) {
    if (signal.aborted) return finish('interrupted');
    const timeUp = options.maxMs !== null && Date.now() - started >= options.maxMs;
    if (stop === null && state.nextId >= options.maxCandidates) stop = 'budget';
    if (stop === null && timeUp) stop = 'time';
    if (stop === null) propose();
    // A closing round (a resumed run's open round may be in already: its results were cache hits).
    if (stop === 'budget' && !timeUp && closingDue()) await closeRound();
    // Budget spent but a round still open (the time limit stopped the closing rounds): 'time'.
    if (arrivals.size === 0) return finish(stop === 'budget' && (state.promoting?.length ?? 0) > 0 ? 'time' : stop ?? 'budget');

    const done = await arrivals.next(signal);
    if (done === null) return finish('interrupted'); // in-flight work is abandoned; resume redoes it
    record(done);
    if (steady) await settle(done.candidate.batch);
    else if (!settledSinceAsk && isSettled(state) && promotionResults.length === (state.promoting?.length ?? 0)) await settle(state.batches - 1);
    options.onProgress?.(counters, state, options.maxCandidates);
    if (Date.now() - lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
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
