/**
 * Reads a run folder for the report, tolerating what a report must survive: a folder whose
 * search is still writing it (an incomplete last journal line, no checkpoint yet), missing files
 * and corrupt lines (the one line parser's tolerant mode, src/run/journal/journal-lines.ts), and files
 * that do not belong together (run-belonging.ts: what status refuses). Nothing here throws for a
 * damaged run: every problem becomes a sentence in `problems`, and the report shows what could be
 * read. Only a path that is not a folder, or a
 * folder with none of the run's files, is refused (EvonormError 'BAD_RUN').
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { RunConfigSchema, type RunConfig } from '../config/run-config.js';
import type { JournalEvent } from '../run/journal/events.js';
import { parseJournalText } from '../run/journal/journal-lines.js';
import { ManifestSchema, type Manifest } from '../run/folder/manifest.js';
import { runDirAt, type RunDir } from '../run/folder/run-dir.js';
import { belongingProblem, checkpointIfReadable } from './run-belonging.js';
import { EvonormError } from '../util/errors.js';

/** What could be read of a run folder. */
export interface RunSnapshot {
  readonly run: RunDir;
  /** The validated config; undefined when missing or invalid (see problems). */
  readonly config?: RunConfig;
  /** The config as JSON when it could be parsed but not validated. */
  readonly rawConfig?: unknown;
  readonly manifest?: Manifest;
  /** The journal's valid events, in file order (lines that failed are skipped). */
  readonly events: JournalEvent[];
  /** True when the journal's last line is incomplete (a search is writing it, or crashed mid-line). */
  readonly journalTail: boolean;
  /** Sentences for people: what is missing or damaged and what the report does about it. */
  readonly problems: string[];
}

/** How many corrupt journal lines are named one by one before the rest are only counted. */
const NAMED_LINES = 5;

/** Reads the run folder at `path` for a report (see the module comment). */
export function readRunSnapshot(path: string): RunSnapshot {
  const run = runDirAt(path);
  if (!existsSync(run.path)) throw new EvonormError('BAD_RUN', `run folder ${run.path} not found`, { path: run.path });
  if (!statSync(run.path).isDirectory()) throw new EvonormError('BAD_RUN', `${run.path} is not a run folder (it is a file)`, { path: run.path });
  const present = [run.configPath, run.manifestPath, run.journalPath].filter((p) => existsSync(p));
  if (present.length === 0) {
    const what = readdirSync(run.path).length === 0 ? 'it is empty' : 'it has no config.json, manifest.json or journal.jsonl';
    throw new EvonormError('BAD_RUN', `${run.path} is not a run folder (${what}); nothing to report`, { path: run.path });
  }
  const problems: string[] = [];

  const rawConfig = readJson(run.configPath, problems);
  let config: RunConfig | undefined;
  if (rawConfig !== undefined) {
    const parsed = RunConfigSchema.safeParse(rawConfig);
    if (parsed.success) config = parsed.data;
    else problems.push(`config.json is not a valid run config (${firstIssue(parsed.error)}); the report shows it as written`);
  }
  const rawManifest = readJson(run.manifestPath, problems);
  let manifest: Manifest | undefined;
  if (rawManifest !== undefined) {
    const parsed = ManifestSchema.safeParse(rawManifest);
    if (parsed.success) manifest = parsed.data;
    else problems.push(`manifest.json is not a valid manifest (${firstIssue(parsed.error)}); machine and versions are not shown`);
  }

  const checkpoint = checkpointIfReadable(run);
  const { events, lines, tail } = readEvents(run.journalPath, problems);
  const belonging = manifest !== undefined && events.length > 0 ? belongingProblem(run, manifest, events, lines, checkpoint) : null;
  if (belonging !== null) problems.push(belonging);
  return { run, config, ...(config === undefined && rawConfig !== undefined ? { rawConfig } : {}), manifest, events, journalTail: tail, problems };
}

function readJson(path: string, problems: string[]): unknown {
  if (!existsSync(path)) {
    problems.push(`${basename(path)} is missing`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${basename(path)} is corrupt (not JSON: ${(err as Error).message})`);
    return undefined;
  }
}

/** The journal's valid events; bad lines are skipped and reported, an incomplete last line noted. */
function readEvents(path: string, problems: string[]): { events: JournalEvent[]; lines: string[]; tail: boolean } {
  if (!existsSync(path)) {
    problems.push('journal.jsonl is missing: no candidates to show');
    return { events: [], lines: [], tail: false };
  }
  const { events, lines, truncated: tail, corruptLine, badLines: bad } = parseJournalText(readFileSync(path, 'utf8'), 'tolerant', 'journal.jsonl', path);
  if (tail) problems.push(`journal.jsonl line ${corruptLine} is incomplete (being written, or cut by a crash); it is left out`);
  if (bad.length > 0) {
    const named = bad.slice(0, NAMED_LINES).join(', ');
    const more = bad.length > NAMED_LINES ? ` and ${bad.length - NAMED_LINES} more` : '';
    problems.push(`journal.jsonl has ${bad.length} corrupt line${bad.length === 1 ? '' : 's'} (${named}${more}); ${bad.length === 1 ? 'it is' : 'they are'} left out, so counts may be short`);
  }
  if (events.length === 0 && bad.length === 0 && !tail) problems.push('journal.jsonl is empty: the search has not proposed a candidate yet');
  return { events, lines, tail };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'invalid';
}
