/**
 * A run's state for people and scripts: running (a live process holds its lock), finished (its
 * last session spent a budget), interrupted (Ctrl-C / SIGTERM, stopped cleanly) or crashed (its
 * last session ended without a clean stop: kill -9, a power loss, a crash — resumable).
 */
import type { FinishReason, JournalEvent } from '../journal/events.js';
import { describeHolder, readRunLock, type LockHolder } from '../folder/lock.js';
import { asReplay, type RunReplay } from '../replay/replay.js';

export const RUN_STATES = ['running', 'finished', 'interrupted', 'crashed'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunStateInfo {
  readonly state: RunState;
  /** Why the last session stopped (finished, interrupted). */
  readonly reason?: FinishReason;
  /** The process working on it (running). */
  readonly holder?: LockHolder;
  /** False when the holder is on another host, so whether it still runs cannot be checked. */
  readonly verified?: boolean;
}

/** The state of the run folder at `runPath` from its lock and its journal (its events, or their replay: src/run/replay/replay.ts). */
export function runState(runPath: string, journal: readonly JournalEvent[] | RunReplay): RunStateInfo {
  const lock = readRunLock(runPath);
  if (lock.state === 'held') return { state: 'running', holder: lock.holder, verified: lock.verified };
  const reason = asReplay(journal).finished;
  if (reason === undefined) return { state: 'crashed' };
  return { state: reason === 'interrupted' ? 'interrupted' : 'finished', reason };
}

/** One line for `evonorm status`, e.g. "running (pid 12 on box, since …)". */
export function describeRunState(info: RunStateInfo): string {
  switch (info.state) {
    case 'running':
      return `running (${describeHolder(info.holder!)}${info.verified === false ? '; on another host, not checked' : ''})`;
    case 'finished':
      return `finished (${info.reason})`;
    case 'interrupted':
      return 'interrupted (stopped cleanly; continue with --resume)';
    case 'crashed':
      return 'crashed (its last session stopped without a clean exit; continue with --resume)';
  }
}
