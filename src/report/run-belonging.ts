/**
 * Whether a run folder's parts belong together, for the report: the check resume, export and
 * `status` refuse a folder by (src/run/replay/consistency.ts), turned into a sentence, since the report
 * still draws what it can read.
 */
import { existsSync } from 'node:fs';
import { readCheckpoint, type Checkpoint } from '../run/folder/checkpoint.js';
import { checkRunConsistency } from '../run/replay/consistency.js';
import type { JournalEvent } from '../run/journal/events.js';
import type { Manifest } from '../run/folder/manifest.js';
import { replayJournal } from '../run/replay/replay.js';
import { runIdOf, type RunDir } from '../run/folder/run-dir.js';
import { isEvonormError } from '../util/errors.js';

/** The run's checkpoint, or null when it is missing or unreadable (read it before the journal: a live search checkpoints only journaled events). */
export function checkpointIfReadable(run: RunDir): Checkpoint | null {
  if (!existsSync(run.checkpointPath)) return null;
  try {
    return readCheckpoint(run.checkpointPath);
  } catch (err) {
    if (isEvonormError(err)) return null;
    throw err;
  }
}

/** A sentence when the journal (its events and their lines) does not belong to this run or its checkpoint; null when it does. */
export function belongingProblem(run: RunDir, manifest: Manifest, events: readonly JournalEvent[], lines: readonly string[], checkpoint: Checkpoint | null): string | null {
  try {
    checkRunConsistency({ runId: runIdOf(run), seed: manifest.seed, replay: replayJournal(events, 'tolerant'), lines, checkpoint });
    return null;
  } catch (err) {
    if (!isEvonormError(err)) throw err;
    return `the run's files do not belong together (${err.message}); \`evonorm status\`, export and --resume refuse this folder`;
  }
}
