/**
 * The run's memory for hurdles (src/evaluate/hurdles.ts): every evaluation's looks part-way
 * through its proxy trainings, by candidate id, from which the loop computes the hurdles of the
 * next proposals. A resumed run rebuilds it from the journal, so it computes the same hurdles.
 * Cached results are left out: the first evaluation of a function already counted.
 */
import { hurdlesFor, type Hurdle, type HurdleRecord, type HurdlesConfig } from '../../evaluate/hurdles.js';
import type { Evaluation } from '../../evaluate/types.js';
import type { EvaluatedEvent } from '../journal/events.js';

export class HurdleBook {
  private readonly records: HurdleRecord[] = [];

  /** `trainingSteps`: the proxy trainings' length (the hurdles' fractions are of it). */
  constructor(private readonly config: HurdlesConfig, private readonly trainingSteps: number) {}

  /** Rebuilt from a journal's `evaluated` events, in file order (src/run/replay/replay.ts `evaluations`). */
  static fromEvaluations(evaluations: readonly EvaluatedEvent[], config: HurdlesConfig, trainingSteps: number): HurdleBook {
    const book = new HurdleBook(config, trainingSteps);
    for (const event of evaluations) book.add(event.id, event.evaluation, event.cached ?? false);
    return book;
  }

  /** Notes one evaluation's looks (none for a cached result or one that never reached a hurdle). */
  add(id: number, evaluation: Evaluation, cached: boolean): void {
    if (cached || !evaluation.checkpoints || evaluation.checkpoints.length === 0) return;
    this.records.push({ id, checkpoints: evaluation.checkpoints });
  }

  /** The hurdles for proposals whose first id is `beforeId`: from candidates with smaller ids only. */
  hurdlesFor(beforeId: number): Hurdle[] {
    return hurdlesFor(this.records, beforeId, this.config, this.trainingSteps);
  }
}
