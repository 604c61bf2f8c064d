/**
 * Everything a resume needs from a run folder, read in one place: the journal (an incomplete
 * last line repaired), the checkpoint if it is usable, the events after it, and the evaluation
 * cache. The journal is the source of truth: a checkpoint that is corrupt or covers more events
 * than the journal holds is set aside (with the reason) and the caller replays the journal.
 */
import { existsSync } from 'node:fs';
import type { Evaluation } from '../evaluate/types.js';
import { isEvonormError } from '../util/errors.js';
import { rebuildCache } from './cache.js';
import { readCheckpoint, type Checkpoint } from './checkpoint.js';
import type { JournalEvent } from './events.js';
import { readJournal, repairJournal } from './journal.js';
import { openRunDir, readConfig, readManifest, type RunDir } from './run-dir.js';
import type { Manifest } from './manifest.js';

export interface ResumeData {
  readonly run: RunDir;
  /** The resolved config as saved (validate it with the config schema). */
  readonly config: unknown;
  readonly manifest: Manifest;
  /** Every committed journal event. */
  readonly events: JournalEvent[];
  /** 1-based number of the incomplete last line that was dropped (and repaired away), if any. */
  readonly droppedLine?: number;
  /** The checkpoint, when present and consistent with the journal; else null. */
  readonly checkpoint: Checkpoint | null;
  /** Why an existing checkpoint was set aside (corrupt, or ahead of the journal). */
  readonly checkpointProblem?: string;
  /** Events after those the checkpoint covers (all events when there is no checkpoint). */
  readonly eventsSinceCheckpoint: JournalEvent[];
  /** fingerprint → evaluation, from every evaluated event (see rebuildCache). */
  readonly cache: Map<string, Evaluation>;
}

export interface LoadResumeOptions {
  /** Rewrite the journal without an incomplete last line (default true; false only reads). */
  readonly repair?: boolean;
}

/** Reads the run folder at `runPath` for resuming. Throws EvonormError for a broken folder or journal. */
export function loadResumeData(runPath: string, options: LoadResumeOptions = {}): ResumeData {
  const run = openRunDir(runPath);
  const config = readConfig(run);
  const manifest = readManifest(run);
  const read = options.repair === false ? readJournal(run.journalPath) : repairJournal(run.journalPath);
  const events = read.events;

  let checkpoint: Checkpoint | null = null;
  let checkpointProblem: string | undefined;
  if (existsSync(run.checkpointPath)) {
    try {
      checkpoint = readCheckpoint(run.checkpointPath);
    } catch (err) {
      if (!isEvonormError(err)) throw err;
      checkpointProblem = err.message;
    }
    if (checkpoint !== null && checkpoint.journalEvents > events.length) {
      checkpointProblem = `checkpoint.json covers ${checkpoint.journalEvents} journal events but journal.jsonl holds ${events.length}`;
      checkpoint = null;
    }
  }
  return {
    run,
    config,
    manifest,
    events,
    ...(read.truncated ? { droppedLine: read.corruptLine } : {}),
    checkpoint,
    ...(checkpointProblem !== undefined ? { checkpointProblem } : {}),
    eventsSinceCheckpoint: events.slice(checkpoint?.journalEvents ?? 0),
    cache: rebuildCache(events),
  };
}

