/**
 * Checks that a run folder's parts belong together before anything is resumed from or exported:
 * the journal is this run's (its run-started events carry the manifest's seed and run id), it
 * joins up (no result for an unproposed id, no id proposed with two graphs), and the checkpoint
 * is this run's, covers events the journal still holds unchanged (count and digest), and holds
 * a sound evolver state whose ids agree with the journal. Each mismatch is EvonormError('BAD_RUN')
 * with the reason; nothing is written.
 */
import { EvonormError } from '../../util/errors.js';
import type { EvolverState } from '../../search/evolver.js';
import type { Checkpoint } from '../folder/checkpoint.js';
import { checkEvolverState } from './evolver-check.js';
import { journalDigest } from '../journal/journal.js';
import type { RunReplay } from './replay.js';

export interface RunParts {
  /** The run's id (runIdOf) and seed (its manifest's). */
  readonly runId: string;
  readonly seed: number | string;
  /** The journal's events replayed tolerantly (replayJournal(events, 'tolerant')): a missing proposal is reported here, after the run's identity. */
  readonly replay: RunReplay;
  /** The text of each event line (readJournalLines), for the checkpoint's digest. */
  readonly lines: readonly string[];
  readonly checkpoint: Checkpoint | null;
}

/** Throws EvonormError('BAD_RUN') naming the first part that does not fit; returns the checked evolver state, if any. */
export function checkRunConsistency(parts: RunParts): EvolverState | null {
  const bad = (reason: string): never => {
    throw new EvonormError('BAD_RUN', reason);
  };
  const { replay } = parts;
  for (const start of replay.runStarts) {
    const i = start.index;
    if (String(start.seed) !== String(parts.seed)) {
      bad(`journal.jsonl event ${i + 1} starts a run with seed ${start.seed}, but this run's seed is ${parts.seed} (a journal from another run?)`);
    }
    if (start.runId !== undefined && start.runId !== parts.runId) {
      bad(`journal.jsonl event ${i + 1} belongs to run ${start.runId}, not to this run (${parts.runId}): a journal from another run?`);
    }
  }
  const hashes = new Map<number, string>();
  for (const p of replay.proposals) {
    const earlier = hashes.get(p.id);
    if (earlier !== undefined && earlier !== p.hash) bad(`journal.jsonl proposes candidate ${p.id} twice with different graphs`);
    hashes.set(p.id, p.hash);
  }
  if (replay.firstOrphan !== undefined) bad(replay.firstOrphan); // a result for an id never proposed (a deleted line?)

  const { checkpoint } = parts;
  if (checkpoint === null) return null;
  if (checkpoint.runId !== undefined && checkpoint.runId !== parts.runId) {
    bad(`checkpoint.json belongs to run ${checkpoint.runId}, not to this run (${parts.runId})`);
  }
  if (checkpoint.journalEvents > replay.events.length) {
    bad(`checkpoint.json covers ${checkpoint.journalEvents} journal events but journal.jsonl holds ${replay.events.length} (lines lost or deleted?)`);
  }
  if (checkpoint.journalDigest !== undefined && journalDigest(parts.lines, checkpoint.journalEvents) !== checkpoint.journalDigest) {
    bad(`journal.jsonl does not match checkpoint.json: its first ${checkpoint.journalEvents} events differ from those the checkpoint covers (a line deleted or edited?)`);
  }
  const state = checkEvolverState(checkpoint.evolver);
  // Ids the covered events proposed below nextId: all of them but the 'async' outstanding ones.
  // (A 'batch' checkpoint written at Ctrl-C may cover the open batch's proposals, ids ≥ nextId,
  // which the resumed run asks again identically; an 'async' checkpoint precedes its proposals.)
  const covered = new Set<number>();
  for (const p of replay.proposals) {
    if (p.index >= checkpoint.journalEvents) break;
    if (p.id < state.nextId) covered.add(p.id);
    else if (state.options.schedule === 'async') bad(`checkpoint.json: the journal proposed candidate ${p.id}, but the evolver's nextId is ${state.nextId}`);
  }
  if (state.nextId - covered.size > state.pending.length) {
    bad(`checkpoint.json: the evolver's nextId is ${state.nextId}, but the journal it covers proposed ${covered.size} candidates`);
  }
  return state;
}
