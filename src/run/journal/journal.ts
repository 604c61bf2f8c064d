/**
 * The journal: an append-only file of JSON lines, one event each, the run's source of truth.
 *
 * An event is committed when its whole line, newline included, is in the file: append writes
 * the line with one write(2) before returning, so what append acknowledges survives kill -9 of
 * the process (the kernel has it). Reaching the disk (surviving a power loss) is fsync's job:
 * with `groupCommitMs` 0 every append is fsynced; with group commit an append fsyncs only when
 * the last fsync is older than `groupCommitMs`, and sync() (the search loop calls it before
 * every checkpoint) and close() fsync whatever is outstanding — one fsync per batch instead of
 * one per event. A crash mid-write can only leave the LAST line incomplete; readJournal reports
 * and drops it (repairJournal removes it from the file). Any other damage is an error, never
 * silently skipped or misread.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { EvonormError } from '../../util/errors.js';
import type { JournalEvent, JournalEventInput } from './events.js';
import { parseJournalLine, parseJournalText } from './journal-lines.js';

export interface JournalOptions {
  /** fsync at all (default true: durability over speed; tests may switch it off). */
  readonly fsync?: boolean;
  /**
   * Group commit: an append fsyncs only when the last fsync is older than this many ms; sync()
   * and close() fsync the rest (default 0: fsync every append).
   */
  readonly groupCommitMs?: number;
  /** Remove an incomplete last line before opening (default false: such a journal is refused). */
  readonly repair?: boolean;
  /** Clock for the `t` of events given without one (default: the system clock). */
  readonly now?: () => Date;
}

export interface JournalReadResult {
  /** The committed events, in file order. */
  readonly events: JournalEvent[];
  /** True when an incomplete or unreadable last line was dropped. */
  readonly truncated: boolean;
  /** 1-based line number of the dropped line. */
  readonly corruptLine?: number;
}

/** An open journal file that events are appended to. */
export class Journal {
  private fd: number | null;
  /** Appends written but not yet fsynced. */
  private unsynced = 0;
  /** Running digest of every event line (see journalDigest). */
  private readonly hash: Hash = createHash('sha256');
  private lastSync = Date.now();

  private constructor(
    readonly path: string,
    fd: number,
    /** Number of events in the file (those present at open plus those appended). */
    private events: number,
    private readonly fsync: boolean,
    private readonly groupCommitMs: number,
    private readonly now: () => Date,
    existingLines: readonly string[],
  ) {
    this.fd = fd;
    for (const line of existingLines) this.hash.update(`${line}\n`);
  }

  /**
   * Opens (creating it if missing) the journal at `path` for appending. Throws
   * EvonormError('BAD_RUN') when the file is corrupt, or when its last line is incomplete and
   * `options.repair` is not set (appending after it would corrupt a middle line).
   */
  static open(path: string, options: JournalOptions = {}): Journal {
    let existing = 0;
    let lines: readonly string[] = [];
    if (existsSync(path)) {
      const { result: read, lines: committed } = scanJournal(path);
      lines = committed;
      if (read.truncated) {
        if (!options.repair) {
          throw new EvonormError(
            'BAD_RUN',
            `${basename(path)} line ${read.corruptLine} is incomplete (a crash mid-write?); repair the journal before appending`,
            { path, line: read.corruptLine },
          );
        }
        repairJournal(path);
      }
      existing = read.events.length;
    }
    const fd = openSync(path, 'a');
    return new Journal(path, fd, existing, options.fsync ?? true, options.groupCommitMs ?? 0, options.now ?? (() => new Date()), lines);
  }

  /** Number of events in the journal, including those present when it was opened. */
  get count(): number {
    return this.events;
  }

  /** journalDigest of every event in the file (a checkpoint records it to be tied to its journal). */
  get digest(): string {
    return this.hash.copy().digest('hex');
  }

  /** Number of events written since the last fsync (0 when everything is on disk, or fsync is off). */
  get pendingSync(): number {
    return this.fsync ? this.unsynced : 0;
  }

  /**
   * Appends one event as a JSON line (one write) and fsyncs when due (see the module comment);
   * returns the event as written.
   * The line is validated against the schema exactly as a reader will see it (after JSON), so
   * an event that would make the journal unreadable (e.g. a NaN objective) throws
   * EvonormError('INTERNAL') and nothing is written.
   */
  append(event: JournalEventInput): JournalEvent {
    return this.appendAll([event])[0];
  }

  /**
   * Appends several events with one write and at most one fsync (e.g. a batch's proposals); returns
   * them as written. All are validated first: if one is malformed, none is written.
   */
  appendAll(events: readonly JournalEventInput[]): JournalEvent[] {
    if (this.fd === null) throw new EvonormError('INTERNAL', `journal ${this.path} is closed`);
    const full = events.map((event) => ({ ...event, t: event.t ?? this.now().toISOString() }) as JournalEvent);
    const lines = full.map((event) => {
      const line = JSON.stringify(event);
      const check = parseJournalLine(line, 'strict');
      if (!('event' in check)) {
        const why = 'issues' in check ? z.prettifyError(check.issues) : 'not JSON';
        throw new EvonormError('INTERNAL', `refusing to write a malformed ${event.type} event:\n${why}`, { event });
      }
      return `${line}\n`;
    });
    if (lines.length === 0) return [];
    writeSync(this.fd, lines.join(''));
    for (const line of lines) this.hash.update(line);
    this.events += lines.length;
    this.unsynced += lines.length;
    if (this.fsync && Date.now() - this.lastSync >= this.groupCommitMs) this.sync();
    return full;
  }

  /** Fsyncs every event written so far (a no-op when nothing is outstanding or fsync is off). */
  sync(): void {
    if (this.fd === null || !this.fsync || this.unsynced === 0) return;
    fsyncSync(this.fd);
    this.unsynced = 0;
    this.lastSync = Date.now();
  }

  /** Fsyncs what is outstanding and closes the file; further appends throw. Closing twice is harmless. */
  close(): void {
    if (this.fd === null) return;
    this.sync();
    closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Reads and validates every event of the journal at `path`. An incomplete last line (no
 * newline) or an unparsable last line is dropped and reported (`truncated`, `corruptLine`).
 * Throws EvonormError('MISSING_FILE') when the file does not exist and EvonormError('BAD_RUN')
 * naming the line for an unparsable line elsewhere or for any line that breaks the schema.
 * Blank lines are ignored.
 */
export function readJournal(path: string): JournalReadResult {
  return scanJournal(path).result;
}

/** readJournal, plus the text of each committed event line (for journalDigest). */
export function readJournalLines(path: string): JournalReadResult & { readonly lines: readonly string[] } {
  const { result, lines } = scanJournal(path);
  return { ...result, lines };
}

/**
 * The digest (sha256, hex) of the first `n` event lines: what a checkpoint covering `n` events
 * records, so a journal edited, cut in the middle or swapped for another run's no longer matches.
 */
export function journalDigest(lines: readonly string[], n: number): string {
  const hash = createHash('sha256');
  for (let i = 0; i < n; i++) hash.update(`${lines[i]}\n`);
  return hash.digest('hex');
}

/**
 * Drops an incomplete or unparsable last line from the journal, rewriting the file atomically
 * (the committed lines are kept byte for byte). Returns what readJournal returned before; a
 * journal that needs nothing is left untouched.
 */
export function repairJournal(path: string): JournalReadResult {
  const { result, committedText } = scanJournal(path);
  if (result.truncated) writeFileAtomic.sync(path, committedText, { fsync: true });
  return result;
}

interface Scan {
  readonly result: JournalReadResult;
  /** The file's text up to and including the newline of the last committed line. */
  readonly committedText: string;
  /** The text of each committed event line, without its newline. */
  readonly lines: readonly string[];
}

function scanJournal(path: string): Scan {
  if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `journal ${path} not found`);
  const parsed = parseJournalText(readFileSync(path, 'utf8'), 'strict', basename(path), path);
  const { events, truncated, corruptLine, lines, committedText } = parsed;
  return { result: { events, truncated, ...(corruptLine !== undefined ? { corruptLine } : {}) }, committedText, lines };
}
