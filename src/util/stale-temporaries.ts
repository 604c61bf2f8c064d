/**
 * Removes the hidden temporaries a killed process leaves beside what it was writing: a run folder
 * being created (`.<name>.creating-<pid>`, src/run/folder/run-dir.ts) or an export being written
 * (`.<out>.writing-<pid>`, src/run/export/export-run.ts). They are swapped into place when complete, so one
 * whose process is gone is garbage; one whose process lives is another writer's work in progress.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Which temporaries: `creating` (run folders) or `writing` (exports). */
export type TemporaryKind = 'creating' | 'writing';

/**
 * Removes every `.<anything>.<kind>-<pid>` entry directly in `folder` whose process `pid` is not
 * alive on this machine (`isAlive`, default: process.kill(pid, 0) does not throw ESRCH); never
 * this process's own. Returns the paths removed; a missing folder or an entry that cannot be
 * removed is skipped (the temporary is harmless, the caller's work goes on).
 */
export function removeStaleTemporaries(folder: string, kind: TemporaryKind, isAlive: (pid: number) => boolean = processAlive): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const pattern = new RegExp(`^\\..+\\.${kind}-(\\d+)$`);
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(folder, name), { recursive: true, force: true });
      removed.push(join(folder, name));
    } catch {
      // left for next time
    }
  }
  return removed;
}

/** True unless signalling `pid` fails with ESRCH (no such process); EPERM means it lives under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
