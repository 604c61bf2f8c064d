/**
 * The run lock: `<run>/lock.json` says which process works on the run (pid, host, start time),
 * so a second `search --resume` of the same run is refused instead of journaling every candidate
 * twice.
 *
 *   acquire: write the holder to a temporary file, then link(2) it to lock.json — atomic, and it
 *            fails when lock.json exists, so two processes can never both hold the lock
 *   lock.json exists: a holder on this host whose pid is gone is stale (a killed process) and is
 *            replaced; a live holder, or one on another host (its pid cannot be checked), is
 *            refused with BAD_RUN naming it
 *   release: remove lock.json if it is still ours (at the end of the search, in a finally, or at
 *            process exit); a kill -9 leaves it behind, stale
 */
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { EvonormError } from '../../util/errors.js';

export const LOCK_FILE = 'lock.json';

/** zod schema of lock.json. */
export const LockHolderSchema = z.looseObject({
  /** Process id of the holder. */
  pid: z.number().int().positive(),
  /** os.hostname() of the holder's machine. */
  host: z.string(),
  /** ISO time the lock was taken. */
  startedAt: z.iso.datetime({ offset: true }),
});

export type LockHolder = z.infer<typeof LockHolderSchema>;

/** What lock.json says about the run. */
export type LockStatus =
  | { readonly state: 'free' }
  /** Held by a process that is running (on this host), or may be (on another host). */
  | { readonly state: 'held'; readonly holder: LockHolder; readonly verified: boolean }
  /** Left behind by a process that is gone (or unreadable: a crash while writing it). */
  | { readonly state: 'stale'; readonly holder: LockHolder | null };

/** A lock this process holds. */
export interface RunLock {
  readonly holder: LockHolder;
  /** Removes lock.json if it is still this process's; harmless twice. */
  release(): void;
}

/** Reads the lock of the run folder at `runPath` and whether its holder is alive. */
export function readRunLock(runPath: string): LockStatus {
  const path = join(runPath, LOCK_FILE);
  if (!existsSync(path)) return { state: 'free' };
  let holder: LockHolder;
  try {
    holder = LockHolderSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return { state: 'stale', holder: null };
  }
  if (holder.host !== hostname()) return { state: 'held', holder, verified: false };
  return processAlive(holder.pid) ? { state: 'held', holder, verified: true } : { state: 'stale', holder };
}

/**
 * Takes the lock of the run folder at `runPath` for this process. Throws EvonormError('BAD_RUN')
 * naming the holder when another process holds it; a stale lock is replaced.
 */
export function acquireRunLock(runPath: string, now: Date = new Date()): RunLock {
  const path = join(runPath, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: now.toISOString() };
  const temporary = join(runPath, `.${LOCK_FILE}.${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(holder)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temporary, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(runPath, err);
        const status = readRunLock(runPath);
        if (status.state === 'held') throw heldError(runPath, status.holder, status.verified);
        rmSync(path, { force: true }); // stale: its process is gone
      }
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const status = readRunLock(runPath);
    if (status.state !== 'free' && status.holder?.pid === holder.pid && status.holder.host === holder.host) rmSync(path, { force: true });
  };
  // An exit that skips the caller's finally (a second Ctrl-C exits at once) still releases it.
  process.on('exit', release);
  return { holder, release };
}

/** "pid 123 on host x since 2026-…", for messages. */
export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}`;
}

function heldError(runPath: string, holder: LockHolder, verified: boolean): EvonormError {
  const hint = verified
    ? 'wait for it to finish or stop it (Ctrl-C) first'
    : `it runs on another machine; if that process is gone, remove ${join(runPath, LOCK_FILE)}`;
  return new EvonormError('BAD_RUN', `run ${runPath} is in use by another evonorm process (${describeHolder(holder)}); ${hint}`, { path: runPath, holder });
}

function lockError(runPath: string, err: unknown): EvonormError {
  if (err instanceof EvonormError) return err;
  const status = readRunLock(runPath);
  if (status.state === 'held') return heldError(runPath, status.holder, status.verified);
  return new EvonormError('BAD_RUN', `cannot lock run ${runPath}: ${(err as Error).message}`, { path: runPath });
}

/** True when a process with this pid exists on this machine (signal 0 only checks). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
