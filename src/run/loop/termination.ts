/**
 * The search loop's termination: when a run stops proposing, when it closes its promotion
 * rounds, and the reason it finishes with.
 *
 *   Ctrl-C (the signal)                      → 'interrupted' at once (in-flight work is abandoned)
 *   nextId ≥ maxCandidates                   → 'budget': propose no more; close the open rounds
 *   this process has run maxMs               → 'time': propose no more, close no round
 *   nothing in flight                        → finish: the stop reason ('budget' with a round
 *                                              still open becomes 'time': the time limit cut it)
 * The first stop reason sticks: a budget spent before the time limit stays 'budget'.
 */
import { isSettled, type EvolverState } from '../../search/evolver.js';
import type { FinishReason } from '../journal/events.js';

export interface TerminationLimits {
  /** The run's candidate budget (ids 0 … maxCandidates − 1). */
  readonly maxCandidates: number;
  /** Wall-clock budget of this process in ms (null: none). */
  readonly maxMs: number | null;
  /** When this process's loop started (ms since the epoch). */
  readonly started: number;
}

/** What the loop may do at the top of one turn. */
export interface Turn {
  /** Ask for more candidates. */
  readonly propose: boolean;
  /** Open a closing round of promotions when one is due (budget spent, no time limit hit). */
  readonly mayClose: boolean;
}

/** Decides when the loop stops proposing and which reason it finishes with. */
export class Termination {
  private stop: FinishReason | null = null;

  constructor(private readonly limits: TerminationLimits) {}

  /** Looks at the budgets at the start of a turn (at time `now`, ms). */
  turn(state: EvolverState, now = Date.now()): Turn {
    const { maxCandidates, maxMs, started } = this.limits;
    const timeUp = maxMs !== null && now - started >= maxMs;
    if (this.stop === null && state.nextId >= maxCandidates) this.stop = 'budget';
    if (this.stop === null && timeUp) this.stop = 'time';
    return { propose: this.stop === null, mayClose: this.stop === 'budget' && !timeUp };
  }

  /**
   * True when a closing round is due: the candidate budget is spent, the last batch settled
   * (`settledSinceAsk`), and every result of the open round in (`promotionsIn` of them).
   */
  closingDue(state: EvolverState, settledSinceAsk: boolean, promotionsIn: number): boolean {
    return state.options.promotion !== undefined && settledSinceAsk && isSettled(state) && state.nextId >= this.limits.maxCandidates
      && (state.promoting?.length ?? 0) > 0 && promotionsIn === state.promoting!.length;
  }

  /** The reason a run finishes with once nothing is in flight. */
  finishReason(state: EvolverState): FinishReason {
    // Budget spent but a round still open (the time limit stopped the closing rounds): 'time'.
    return this.stop === 'budget' && (state.promoting?.length ?? 0) > 0 ? 'time' : this.stop ?? 'budget';
  }
}
