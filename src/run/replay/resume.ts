/**
 * Everything a resume (and `status`, `export`) needs from a run folder, read in one place: the
 * journal (an incomplete last line repaired) and its replay (src/run/replay/replay.ts), the checkpoint
 * if it is usable, the events after it, and the evaluation cache. The parts are checked to belong together first (src/run/replay/consistency.ts: journal and
 * checkpoint of this run, the checkpoint's events unchanged, a sound evolver state); a mismatch
 * is BAD_RUN and nothing is written. Only a checkpoint that is not JSON at all is set aside
 * (with the reason) for the caller to replay the journal.
 */
import { existsSync } from 'node:fs';
import type { Evaluation } from '../../evaluate/types.js';
import { isEvonormError } from '../../util/errors.js';
import { readCheckpoint, type Checkpoint } from '../folder/checkpoint.js';
import type { JournalEvent } from '../journal/events.js';
import { readJournalLines, repairJournal } from '../journal/journal.js';
import { openRunDir, readConfig, readManifest, runIdOf, type RunDir } from '../folder/run-dir.js';
import { checkRunConsistency } from './consistency.js';
import type { EvolverState } from '../../search/evolver.js';
import type { Manifest } from '../folder/manifest.js';
import { replayJournal, type RunReplay } from './replay.js';

export interface ResumeData {
  readonly run: RunDir;
  /** The resolved config as saved (validate it with the config schema). */
  readonly config: unknown;
  readonly manifest: Manifest;
  /** Every committed journal event. */
  readonly events: JournalEvent[];
  /** 1-based number of the incomplete last line that was dropped (and repaired away), if any. */
  readonly droppedLine?: number;
  /** The run's id (runIdOf). */
  readonly runId: string;
  /** The checkpoint, when present and consistent with the journal; else null. */
  readonly checkpoint: Checkpoint | null;
  /** The checkpoint's evolver state, checked (null without a checkpoint). */
  readonly evolver: EvolverState | null;
  /** Why an existing checkpoint was set aside (corrupt, or ahead of the journal). */
  readonly checkpointProblem?: string;
  /** Events after those the checkpoint covers (all events when there is no checkpoint). */
  readonly eventsSinceCheckpoint: JournalEvent[];
  /** fingerprint → evaluation, from the evaluated events the live loop would have cached (src/run/replay/cache.ts fingerprintCache: no stage 'error'). */
  readonly cache: Map<string, Evaluation>;
  /** The journal's replay (src/run/replay/replay.ts), checked: every result has its proposal. */
  readonly replay: RunReplay;
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
  const runId = runIdOf(run);
  // The checkpoint before the journal: a live search writes a checkpoint only over events already
  // in its journal, so read in this order the two agree even while it runs (`evonorm status`).
  let checkpoint: Checkpoint | null = null;
  let checkpointProblem: string | undefined;
  if (existsSync(run.checkpointPath)) {
    try {
      checkpoint = readCheckpoint(run.checkpointPath);
    } catch (err) {
      if (!isEvonormError(err) || !(err.details as { notJson?: boolean } | undefined)?.notJson) throw err;
      checkpointProblem = err.message;
    }
  }
  const read = readJournalLines(run.journalPath);
  const events = read.events;
  const replay = replayJournal(events, 'tolerant');
  const evolver = checkRunConsistency({ runId, seed: manifest.seed, replay, lines: read.lines, checkpoint });
  // Only now, with every part checked, may the file change.
  if (read.truncated && options.repair !== false) repairJournal(run.journalPath);
  return {
    run,
    config,
    manifest,
    events,
    ...(read.truncated ? { droppedLine: read.corruptLine } : {}),
    runId,
    checkpoint,
    evolver,
    ...(checkpointProblem !== undefined ? { checkpointProblem } : {}),
    eventsSinceCheckpoint: events.slice(checkpoint?.journalEvents ?? 0),
    cache: replay.cache(),
    replay,
  };
}

