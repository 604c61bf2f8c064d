/**
 * CPU time of the calling thread, in milliseconds: utime + stime of /proc/thread-self/stat
 * (Linux; clock ticks of 1/100 s, so a reading moves in steps of 10 ms). Worker threads share a
 * process, so process.cpuUsage() would mix the CPU of every worker; where /proc/thread-self
 * does not exist (macOS, Windows) it is the fallback, and `source` says so.
 *
 *   const clock = threadCpuClock();  const t0 = clock.now();  …work…  clock.now() − t0
 *
 * Reads are synchronous file reads, which run on the calling thread itself (not libuv's pool).
 */
import { readFileSync } from 'node:fs';

/** Milliseconds per clock tick of /proc/<pid>/stat (USER_HZ is 100 on every Linux kernel ABI). */
export const CLOCK_TICK_MS = 10;

const STAT_PATH = '/proc/thread-self/stat';

/** A clock of CPU time, in ms, for the thread that reads it. */
export interface CpuClock {
  /** 'thread': this thread's own CPU time; 'process': the whole process's (the fallback). */
  readonly source: 'thread' | 'process';
  /** CPU time so far, in ms (only differences of two readings on the same thread mean anything). */
  now(): number;
}

/**
 * utime + stime, in clock ticks, from the text of a /proc/…/stat file. The command name (field
 * 2, in parentheses) may itself hold spaces and ')', so fields are counted after its last ')'.
 * Returns NaN when the text is not such a line.
 */
export function parseStatTicks(text: string): number {
  const close = text.lastIndexOf(')');
  if (close < 0) return Number.NaN;
  // After "pid (comm)": field 3 (state) is rest[0], so utime (14) is rest[11] and stime (15) rest[12].
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : Number.NaN;
}

function readThreadMs(): number {
  return parseStatTicks(readFileSync(STAT_PATH, 'utf8')) * CLOCK_TICK_MS;
}

function processMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

let chosen: CpuClock | undefined;

/** The thread CPU clock where /proc/thread-self/stat can be read and parsed, else the process clock. */
export function threadCpuClock(): CpuClock {
  if (chosen) return chosen;
  let works = false;
  try {
    works = Number.isFinite(readThreadMs());
  } catch {
    works = false;
  }
  chosen = works ? { source: 'thread', now: readThreadMs } : { source: 'process', now: processMs };
  return chosen;
}

/** CPU time of the calling thread so far, in ms (see threadCpuClock). */
export function threadCpuMs(): number {
  return threadCpuClock().now();
}
