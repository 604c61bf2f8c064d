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
import { isAsync, isSettled, type EvolverState } from '../../search/evolver.js';
import { applyPromotions, choosePromotions, type PromotionOrder } from '../../search/promotion.js';
import type { FinishReason } from '../journal/events.js';
import type { Journal } from '../journal/journal.js';
import type { HurdleBook } from './hurdle-book.js';
import type { FrontPoint, LeveledPoint } from '../replay/candidates.js';
import { Recorder, type CheckpointInfo, type LoopCounters } from './recorder.js';
import { Scheduler } from './scheduler.js';
import { Termination } from './termination.js';

export { toResult, type CheckpointInfo, type LoopCounters } from './recorder.js';

/** Longest stretch, in ms, the loop runs without letting the event loop (signals, log writes) in. */
export const YIELD_MS = 20;

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
  /** With search.diversity.uniqueFunctions: the fingerprints of the candidates evaluated so far, by id (resume: from the journal; src/run/loop/recorder.ts). */
  readonly fingerprints?: Map<number, string>;
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

/**
 * Runs the search until a budget is spent or the signal fires; see the module comment. The
 * scheduler (scheduler.ts) asks and keeps evaluations in flight, the recorder (recorder.ts)
 * journals results and settle points and writes checkpoints, termination (termination.ts) says
 * when to stop; this loop holds the evolver state and composes them.
 */
export async function runSearchLoop(options: SearchLoopOptions): Promise<SearchLoopResult> {
  const { pool, journal, counters, signal } = options;
  const steady = isAsync(options.state);
  const leveled = options.state.options.promotion !== undefined;
  const checkpointEveryMs = options.checkpointEveryMs ?? 0;
  let state = options.state;
  /** The last state a checkpoint may hold (a settled batch; 'async': any). */
  let settled = state;
  const started = Date.now();
  let lastYield = started;
  const recorder = new Recorder({
    journal, counters, checkpointPath: options.checkpointPath, leveled, initial: state, started,
    ...(options.runId !== undefined ? { runId: options.runId } : {}),
    ...(options.front ? { front: options.front } : {}),
    ...(options.promoted ? { promoted: options.promoted } : {}),
    ...(options.hurdles ? { hurdles: options.hurdles } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
    ...(options.fingerprints ? { fingerprints: options.fingerprints } : {}),
  });
  const scheduler = new Scheduler({
    pool, journal, cache: options.cache, levelCache: options.levelCache ?? new Map<string, Evaluation>(), counters, seed: options.seed,
    batchSize: options.batchSize, maxCandidates: options.maxCandidates, steady,
    ...(options.hurdles ? { hurdles: options.hurdles } : {}),
    ...(options.journaledPromotions ? { journaledPromotions: options.journaledPromotions } : {}),
    ...(options.onEvaluationProgress ? { onEvaluationProgress: options.onEvaluationProgress } : {}),
  });
  const termination = new Termination({ maxCandidates: options.maxCandidates, maxMs: options.maxMs, started });

  /** A settle point: the open round applied, journal: generation, the next round chosen, checkpoint, promotions launched. */
  const settle = async (batch: number): Promise<void> => {
    const now = Date.now();
    if (leveled) state = applyPromotions(state, recorder.takePromotionResults());
    recorder.generation(batch, state, pool.size, now);
    let orders: PromotionOrder[] = [];
    if (leveled) ({ state, orders } = choosePromotions(state));
    settled = state;
    scheduler.settledSinceAsk = true;
    if (steady || recorder.checkpointDue(now, checkpointEveryMs)) await recorder.checkpointSettled(settled);
    scheduler.launchPromotions(orders, batch);
  };
  /** A closing round: the open round applied, the next one chosen, checkpointed and launched. */
  const closeRound = async (): Promise<void> => {
    state = applyPromotions(state, recorder.takePromotionResults());
    let orders: PromotionOrder[];
    ({ state, orders } = choosePromotions(state));
    settled = state;
    options.log?.info({ promotions: orders.length }, 'closing round of promotions');
    if (recorder.checkpointDue(Date.now(), checkpointEveryMs)) await recorder.checkpointSettled(settled);
    scheduler.launchPromotions(orders, state.batches - 1, true);
  };
  /** Ends the run: the settled state checkpointed if it is not yet, then run-finished. */
  const finish = async (reason: FinishReason): Promise<SearchLoopResult> => {
    if (!recorder.holds(settled)) await recorder.checkpointSettled(settled);
    recorder.finished(reason);
    return { state: settled, reason, counters };
  };
  /** 'async': each asked state is settled and checkpointed before the journal sees its proposal (see the module comment). */
  const beforeJournal = (asked: EvolverState): void => {
    if (!steady) return;
    settled = asked;
    recorder.checkpoint(asked);
  };

  // A resumed 'async' run: the checkpoint's outstanding candidates go first (a 'batch' checkpoint is settled).
  scheduler.resumePending(state.pending, options.journaledIds);
  // A resumed run with promotions open at its checkpoint: evaluate them again (journaled ones are cache hits).
  scheduler.launchPromotions(state.promoting ?? [], state.batches - 1);

  while (true) {
    if (signal.aborted) return finish('interrupted');
    const turn = termination.turn(state);
    if (turn.propose) state = scheduler.propose(state, beforeJournal);
    // A closing round (a resumed run's open round may be in already: its results were cache hits).
    if (turn.mayClose && termination.closingDue(state, scheduler.settledSinceAsk, recorder.promotionsIn)) await closeRound();
    if (scheduler.inFlight === 0) return finish(termination.finishReason(state));

    const done = await scheduler.next(signal);
    if (done === null) return finish('interrupted'); // in-flight work is abandoned; resume redoes it
    state = recorder.result(done, state);
    if (steady) await settle(done.candidate.batch);
    else if (!scheduler.settledSinceAsk && isSettled(state) && recorder.promotionsIn === (state.promoting?.length ?? 0)) await settle(state.batches - 1);
    options.onProgress?.(counters, state, options.maxCandidates);
    if (Date.now() - lastYield >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
  }
}
