/**
 * THE journal line parser: the text of journal.jsonl → its events, in one of two modes.
 *
 *   strict   (resume, status, export, runs, readRun): a line that is not JSON or not a valid
 *            event is EvonormError('BAD_RUN') naming it; only the LAST line may be incomplete (a
 *            crash mid-write), and it is reported (`truncated`) and left out.
 *   tolerant (the report, which must draw a run that is being written or damaged): a bad line is
 *            skipped and listed (`badLines`); a last line without its newline is kept when it
 *            reads, else reported (`truncated`). A proposal's `graph` is not validated here (it
 *            would double the report's time); graphFromJson validates it when a layer is drawn.
 *
 * Blank lines are ignored in both modes.
 */
import { z } from 'zod';
import { EvonormError } from '../../util/errors.js';
import { JournalEventSchema, type JournalEvent } from './events.js';

export type JournalReadMode = 'strict' | 'tolerant';

export interface ParsedJournal {
  /** The events read, in file order. */
  readonly events: JournalEvent[];
  /** The text of each event's line, without its newline (for journalDigest). */
  readonly lines: string[];
  /** True when an incomplete or unreadable last line was left out. */
  readonly truncated: boolean;
  /** 1-based number of that line. */
  readonly corruptLine?: number;
  /** Tolerant mode: 1-based numbers of the other lines left out (not JSON, or not a valid event). */
  readonly badLines: number[];
  /** The text up to and including the newline of the last line kept (strict: what repairJournal writes back). */
  readonly committedText: string;
}

/** One line as an event, or why it is not one. */
export type LineRead = { readonly event: JournalEvent } | { readonly notJson: true } | { readonly issues: z.ZodError };

/** Parses journal text (see the module comment); `name` and `path` go into error messages and details. */
export function parseJournalText(text: string, mode: JournalReadMode, name = 'journal.jsonl', path?: string): ParsedJournal {
  const lines = text.split('\n');
  // The element after the last newline: '' for a complete file, else an incomplete line.
  const tail = lines.pop() as string;
  const events: JournalEvent[] = [];
  const eventLines: string[] = [];
  const badLines: number[] = [];
  let committedEnd = 0; // offset just past the last line kept (UTF-16 units, as slice counts)
  let offset = 0;
  let lastContent = -1; // index of the last non-blank complete line
  lines.forEach((line, i) => {
    if (line.trim() !== '') lastContent = i;
  });
  const cut = (line: number): ParsedJournal => ({ events, lines: eventLines, truncated: true, corruptLine: line, badLines, committedText: text.slice(0, committedEnd) });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    offset += line.length + 1;
    if (line.trim() === '') {
      committedEnd = offset;
      continue;
    }
    const read = parseJournalLine(line, mode);
    if ('event' in read) {
      events.push(read.event);
      eventLines.push(line);
      committedEnd = offset;
      continue;
    }
    if (mode === 'tolerant') {
      badLines.push(i + 1);
      continue;
    }
    // Strict: an unparsable last line is a write the crash cut short (its newline made it); anything else is damage.
    if ('notJson' in read && i === lastContent && tail.trim() === '') return cut(i + 1);
    if ('notJson' in read) throw new EvonormError('BAD_RUN', `${name} line ${i + 1} is corrupt (not JSON): ${preview(line)}`, { path, line: i + 1 });
    throw new EvonormError('BAD_RUN', `${name} line ${i + 1} is corrupt (not a valid event):\n${z.prettifyError(read.issues)}`, { path, line: i + 1, issues: read.issues.issues });
  }
  if (tail.trim() !== '') {
    const read = mode === 'tolerant' ? parseJournalLine(tail, mode) : undefined;
    if (read === undefined || !('event' in read)) return cut(lines.length + 1);
    events.push(read.event);
    eventLines.push(tail);
  }
  return { events, lines: eventLines, truncated: false, badLines, committedText: text };
}

/** One line as an event (see the module comment for what the tolerant mode leaves unchecked); the journal checks what it writes with it too. */
export function parseJournalLine(line: string, mode: JournalReadMode): LineRead {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { notJson: true };
  }
  let graph: unknown;
  if (mode === 'tolerant' && value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'proposed' && 'graph' in value) {
    ({ graph, ...value } = value as Record<string, unknown>);
  }
  const parsed = JournalEventSchema.safeParse(value);
  if (!parsed.success) return { issues: parsed.error };
  return { event: (graph === undefined ? parsed.data : { ...parsed.data, graph }) as JournalEvent };
}

/** The start of a line, for error messages. */
function preview(line: string): string {
  const clean = line.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
