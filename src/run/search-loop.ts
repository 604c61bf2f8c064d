/**
 * The loop that drives a search run (PAPER.md §3), batch-synchronous so the seed fixes the run
 * whatever the number of workers and their finishing order:
 *
 *   until a budget is spent or Ctrl-C:
 *     candidates ← ask(state, batchSize)                 journal: proposed (one write)
 *     for each candidate, in parallel on the pool:
 *       fingerprint ← functional fingerprint (float64 probes)
 *       cache hit? reuse the result : evaluate on the pool   journal: evaluated, as they arrive
 *     state ← tell(state, results)
 *     journal: generation; checkpoint (atomic); journal: checkpoint
 *
 * Crash safety: the checkpoint holds the evolver state after the last settled batch; every
 * result is in the journal the moment it arrives. A resumed run reloads the checkpoint, rebuilds
 * the cache from the journal and asks the same batch again: its finished candidates are cache
 * hits (never trained twice), so it ends exactly as an uninterrupted run would.
 */
import type { Logger } from 'pino';
import type { Evaluation } from '../evaluate/types.js';
import type { EvaluationPool } from '../dispatch/types.js';
import { ask, isAsync, tell, type EvolverState } from '../search/evolver.js';
import type { Candidate, EvaluationResult } from '../search/candidate.js';
import type { FinishReason } from './events.js';
import { proposedEvent } from './event-builders.js';
import type { Journal } from './journal.js';
import { writeCheckpoint } from './checkpoint.js';
import { runAsyncSearchLoop } from './async-loop.js';
import { evaluateThroughCache } from './evaluate-candidate.js';

export interface LoopCounters {
  proposed: number;
  evaluated: number;
  rejected: number;
  cacheHits: number;
  /** Rejections by stage (static, stability, quality, …) in this process. */
  rejectedByStage: Record<string, number>;
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
  readonly batchSize: number;
  readonly maxCandidates: number;
  /** Wall-clock budget of this process in ms (null: none). */
  readonly maxMs: number | null;
  readonly signal: AbortSignal;
  readonly log?: Logger;
  /** Ids the journal already has a `proposed` event for (resume of an 'async' run). */
  readonly journaledIds?: ReadonlySet<number>;
  /** Called after every result and every batch, for progress displays. */
  readonly onProgress?: (counters: LoopCounters, state: EvolverState) => void;
}

export interface SearchLoopResult {
  readonly state: EvolverState;
  readonly reason: FinishReason;
  readonly counters: LoopCounters;
}

/**
 * Runs batches until a budget is spent or the signal fires; returns the last settled state.
 * An evolver with the 'async' schedule runs src/run/async-loop.ts instead.
 */
export async function runSearchLoop(options: SearchLoopOptions): Promise<SearchLoopResult> {
  if (isAsync(options.state)) return runAsyncSearchLoop(options);
  const { pool, journal, cache, counters, signal, log } = options;
  let state = options.state;
  const started = Date.now();
  while (true) {
    const proposedSoFar = state.nextId;
    if (proposedSoFar >= options.maxCandidates) return finish(state, 'budget');
    if (options.maxMs !== null && Date.now() - started >= options.maxMs) return finish(state, 'time');
    if (signal.aborted) return finish(state, 'interrupted');

    const batchStarted = Date.now();
    const asked = ask(state, Math.min(options.batchSize, options.maxCandidates - proposedSoFar));
    journal.appendAll(asked.candidates.map((c) => proposedEvent(c)));
    counters.proposed += asked.candidates.length;
    const batchCounts = { evaluated: 0, rejected: 0, cacheHits: 0 };
    let busyMs = 0;

    const results = await evaluateBatch(asked.candidates, options, (candidate, fingerprint, evaluation, cached) => {
      journal.append({ type: 'evaluated', id: candidate.id, fingerprint, hash: candidate.hash, evaluation, cached });
      if (cached) { counters.cacheHits++; batchCounts.cacheHits++; } else busyMs += evaluation.costMs;
      if (evaluation.status === 'ok') { counters.evaluated++; batchCounts.evaluated++; } else {
        counters.rejected++;
        batchCounts.rejected++;
        counters.rejectedByStage[evaluation.stage] = (counters.rejectedByStage[evaluation.stage] ?? 0) + 1;
      }
      options.onProgress?.(counters, state);
    });
    if (results === null) return finish(state, 'interrupted'); // abandoned mid-batch: resume re-asks it

    state = tell(asked.state, results);
    const wallMs = Date.now() - batchStarted;
    journal.append({ type: 'generation', batch: state.batches - 1, proposed: asked.candidates.length, ...batchCounts, wallMs, busyMs, capacityMs: wallMs * pool.size });
    const { proposed, evaluated, rejected, cacheHits } = counters;
    writeCheckpoint(options.checkpointPath, { batch: state.batches - 1, journalEvents: journal.count, evolver: state, counters: { proposed, evaluated, rejected, cacheHits } });
    journal.append({ type: 'checkpoint', batch: state.batches - 1, journalEvents: journal.count });
    log?.info({ batch: state.batches - 1, ...batchCounts, proposed: counters.proposed }, 'generation settled');
    options.onProgress?.(counters, state);
  }

  function finish(final: EvolverState, reason: FinishReason): SearchLoopResult {
    journal.append({ type: 'run-finished', reason });
    return { state: final, reason, counters };
  }
}

type OnResult = (candidate: Candidate, fingerprint: string | null, evaluation: Evaluation, cached: boolean) => void;

/**
 * Evaluates one batch: cache hits and duplicates within the batch are evaluated once. Returns the
 * results in id order, or null when the signal fired before the batch finished.
 */
async function evaluateBatch(candidates: readonly Candidate[], options: SearchLoopOptions, onResult: OnResult): Promise<EvaluationResult[] | null> {
  const { pool, cache, signal } = options;
  const inFlight = new Map<string, Promise<Evaluation>>();
  let abandoned = false;
  const one = async (candidate: Candidate): Promise<EvaluationResult> => {
    const { fingerprint, evaluation, cached } = await evaluateThroughCache(candidate, pool, cache, inFlight, options.seed);
    // A result that arrives after Ctrl-C is not journaled: the resumed run asks this batch again.
    if (abandoned || signal.aborted) throw new Abandoned();
    onResult(candidate, fingerprint, evaluation, cached);
    return toResult(candidate.id, evaluation);
  };
  let onAbort = (): void => undefined;
  const aborted = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const all = Promise.all(candidates.map(one)).catch((err) => {
    if (err instanceof Abandoned) return null;
    throw err;
  });
  const outcome = await Promise.race([all, aborted]);
  signal.removeEventListener('abort', onAbort);
  if (outcome === null) {
    abandoned = true;
    return null;
  }
  return outcome.sort((a, b) => a.id - b.id);
}

class Abandoned extends Error {}

/** The evolver's view of an evaluation. */
export function toResult(id: number, evaluation: Evaluation): EvaluationResult {
  return evaluation.status === 'ok'
    ? { id, objectives: evaluation.objectives }
    : { id, rejection: { reason: evaluation.reason, stage: evaluation.stage } };
}
