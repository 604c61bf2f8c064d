/**
 * The 'async' schedule of a search run (config `search.schedule: "async"`): keep every worker
 * busy instead of waiting for a batch's slowest candidate.
 *
 *   until a budget is spent or Ctrl-C:
 *     while a worker is free: candidate ← ask(state, 1); checkpoint; journal: proposed; evaluate
 *     when any evaluation comes back: journal: evaluated; state ← tell(state, result);
 *       journal: generation (this candidate); checkpoint
 *   on a budget: propose no more, let the evaluations in flight finish
 *
 * The run depends on the order results come back in, so the same seed gives the same run only
 * with one worker; everything else holds as for the batch schedule: every result is in the
 * journal when it arrives, and a resumed run evaluates again only what was in flight.
 * Crash safety: the checkpoint is written after every ask BEFORE the proposal reaches the
 * journal, so every journaled proposal is in a checkpoint (an id is never proposed twice with
 * different graphs); a resumed run journals any proposal the crash lost and evaluates the
 * checkpoint's outstanding candidates first (the cache answers those already journaled).
 */
import type { Evaluation } from '../evaluate/types.js';
import { ask, tell } from '../search/evolver.js';
import type { Candidate } from '../search/candidate.js';
import type { FinishReason } from './events.js';
import { proposedEvent } from './event-builders.js';
import { writeCheckpoint } from './checkpoint.js';
import { evaluateThroughCache, type CachedEvaluation } from './evaluate-candidate.js';
import { toResult, type SearchLoopOptions, type SearchLoopResult } from './search-loop.js';

/** One finished evaluation. */
interface Done extends CachedEvaluation {
  readonly candidate: Candidate;
}

/** Runs the 'async' schedule until a budget is spent or the signal fires. */
export async function runAsyncSearchLoop(options: SearchLoopOptions): Promise<SearchLoopResult> {
  const { pool, journal, cache, counters, signal, log } = options;
  let state = options.state;
  const started = Date.now();
  let lastSettled = started;
  const inFlight = new Map<number, Promise<Done>>();
  const byFingerprint = new Map<string, Promise<Evaluation>>();

  const evaluate = async (candidate: Candidate): Promise<Done> => ({
    candidate,
    ...(await evaluateThroughCache(candidate, pool, cache, byFingerprint, options.seed)),
  });
  const launch = (candidate: Candidate): void => {
    inFlight.set(candidate.id, evaluate(candidate));
  };
  const checkpoint = (): void => {
    const { proposed, evaluated, rejected, cacheHits } = counters;
    writeCheckpoint(options.checkpointPath, { batch: state.batches - 1, journalEvents: journal.count, evolver: state, counters: { proposed, evaluated, rejected, cacheHits } });
  };

  // A resumed run: the checkpoint's outstanding candidates go first.
  const lost = state.pending.filter((c) => !(options.journaledIds?.has(c.id) ?? false));
  journal.appendAll(lost.map((c) => proposedEvent(c)));
  for (const candidate of state.pending) launch(candidate);

  let aborted = (): void => undefined;
  const abort = new Promise<null>((resolve) => {
    aborted = () => resolve(null);
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', aborted, { once: true });
  });
  try {
    let stop: FinishReason | null = null;
    while (true) {
      if (signal.aborted) return finish('interrupted');
      if (stop === null && state.nextId >= options.maxCandidates) stop = 'budget';
      if (stop === null && options.maxMs !== null && Date.now() - started >= options.maxMs) stop = 'time';
      while (stop === null && inFlight.size < pool.size && state.nextId < options.maxCandidates) {
        const asked = ask(state, 1);
        state = asked.state;
        checkpoint(); // before the journal sees the proposal (see the module comment)
        journal.appendAll(asked.candidates.map((c) => proposedEvent(c)));
        counters.proposed += asked.candidates.length;
        for (const candidate of asked.candidates) launch(candidate);
      }
      if (inFlight.size === 0) return finish(stop ?? 'budget');

      const done = await Promise.race([...inFlight.values(), abort]);
      if (done === null) return finish('interrupted'); // in-flight work is abandoned; resume redoes it
      const { candidate, fingerprint, evaluation, cached } = done;
      inFlight.delete(candidate.id);
      journal.append({ type: 'evaluated', id: candidate.id, fingerprint, hash: candidate.hash, evaluation, cached });
      if (cached) counters.cacheHits++;
      if (evaluation.status === 'ok') counters.evaluated++;
      else {
        counters.rejected++;
        counters.rejectedByStage[evaluation.stage] = (counters.rejectedByStage[evaluation.stage] ?? 0) + 1;
      }
      state = tell(state, [toResult(candidate.id, evaluation)]);
      const now = Date.now();
      const wallMs = now - lastSettled;
      lastSettled = now;
      journal.append({
        type: 'generation', batch: candidate.batch, proposed: 1,
        evaluated: evaluation.status === 'ok' ? 1 : 0, rejected: evaluation.status === 'ok' ? 0 : 1, cacheHits: cached ? 1 : 0,
        // Between two results the pool could have run wallMs × size of evaluation; the one that
        // finished accounts for its whole cost, so the sums over a run give the busy share.
        wallMs, busyMs: cached ? 0 : evaluation.costMs, capacityMs: wallMs * pool.size,
      });
      checkpoint();
      journal.append({ type: 'checkpoint', batch: state.batches - 1, journalEvents: journal.count });
      log?.info({ id: candidate.id, status: evaluation.status, cached, proposed: counters.proposed }, 'result applied');
      options.onProgress?.(counters, state);
    }
  } finally {
    signal.removeEventListener('abort', aborted);
  }

  function finish(reason: FinishReason): SearchLoopResult {
    journal.append({ type: 'run-finished', reason });
    return { state, reason, counters };
  }
}
