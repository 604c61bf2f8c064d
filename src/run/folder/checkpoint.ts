/**
 * The checkpoint: an atomic snapshot (write to a temporary file, fsync, rename) of the evolver
 * state and counters, so a resume need not replay the whole journal. It covers the first
 * `journalEvents` events of the journal; the journal stays the source of truth, so a corrupt
 * checkpoint is reported (BAD_RUN) and the caller may rebuild from the journal instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { EvonormError } from '../../util/errors.js';

export const CHECKPOINT_FORMAT = 'evonorm.checkpoint';
export const CHECKPOINT_VERSION = 1;

const count = z.number().int().nonnegative();

/** zod schema of the checkpoint file. */
export const CheckpointSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  /** Number of batches settled when it was saved. */
  batch: count,
  /** Number of journal events it covers (events after these are replayed on resume). */
  journalEvents: count,
  /** journalDigest of those events (src/run/journal/journal.ts); absent in checkpoints of older versions. */
  journalDigest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** The run it belongs to (runIdOf, src/run/folder/run-dir.ts); absent in checkpoints of older versions. */
  runId: z.string().min(1).optional(),
  /** The evolver state (src/search/evolver.ts), plain JSON, validated by its owner. */
  evolver: z.unknown(),
  /** Running totals; more may be added. */
  counters: z.looseObject({ proposed: count, evaluated: count, rejected: count, cacheHits: count }),
  /** ISO time of saving (a timing). */
  savedAt: z.iso.datetime({ offset: true }),
});

export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** What the caller provides: the envelope fields are filled in by writeCheckpoint. */
export interface CheckpointInput {
  readonly batch: number;
  readonly journalEvents: number;
  readonly journalDigest?: string;
  readonly runId?: string;
  readonly evolver: unknown;
  readonly counters: Checkpoint['counters'];
  /** Default: now. */
  readonly savedAt?: string;
}

/**
 * Writes the checkpoint at `path` atomically and durably (a reader sees the old file or the
 * new one, never a mix). Throws EvonormError('INTERNAL') if the value does not survive JSON
 * (e.g. a NaN counter), so an unreadable checkpoint is never written. Returns what was written.
 */
export function writeCheckpoint(path: string, value: CheckpointInput): Checkpoint {
  const doc = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    batch: value.batch,
    journalEvents: value.journalEvents,
    ...(value.journalDigest !== undefined ? { journalDigest: value.journalDigest } : {}),
    ...(value.runId !== undefined ? { runId: value.runId } : {}),
    evolver: value.evolver,
    counters: value.counters,
    savedAt: value.savedAt ?? new Date().toISOString(),
  };
  const text = `${JSON.stringify(doc)}\n`;
  const check = CheckpointSchema.safeParse(JSON.parse(text));
  if (!check.success) {
    throw new EvonormError('INTERNAL', `refusing to write a malformed checkpoint:\n${z.prettifyError(check.error)}`);
  }
  writeFileAtomic.sync(path, text, { fsync: true });
  return check.data;
}

/**
 * Reads and validates the checkpoint at `path` (the envelope; the evolver state is checked by
 * src/run/replay/evolver-check.ts). Throws EvonormError('MISSING_FILE') when it does not exist and
 * EvonormError('BAD_RUN') when it is not JSON or not a checkpoint (`details.notJson` tells the two
 * apart: an unreadable file may be set aside, a wrong one may not).
 */
export function readCheckpoint(path: string): Checkpoint {
  if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `checkpoint ${path} not found`);
  const name = basename(path);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EvonormError('BAD_RUN', `${name} is corrupt (not JSON: ${(err as Error).message}); the run can be rebuilt from journal.jsonl`, {
      path,
      notJson: true,
    });
  }
  const parsed = CheckpointSchema.safeParse(value);
  if (!parsed.success) {
    throw new EvonormError(
      'BAD_RUN',
      `${name} is not a valid checkpoint:\n${z.prettifyError(parsed.error)}`,
      { path, issues: parsed.error.issues },
    );
  }
  return parsed.data;
}
