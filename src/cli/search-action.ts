/** What `evonorm search` does, loaded only when it runs (src/cli/search.ts registers the command; issue 18, item 4). */
import { basename, join } from 'node:path';
import type { CommandContext } from './context.js';
import { loadConfigFile } from '../config/load.js';
import { RunConfigSchema } from '../config/run-config.js';
import { startSearch } from '../run/loop/start-search.js';
import { runNameFromConfig } from '../run/folder/run-name.js';
import { readJournal } from '../run/journal/journal.js';
import { summarizeRun } from '../run/status/summary.js';
import { replayJournal } from '../run/replay/replay.js';
import { formatStatus } from '../run/status/format-status.js';
import { runState } from '../run/status/run-state.js';
import { EvonormError, EXIT } from '../util/errors.js';
import { version } from './version.js';
import { progressPrinter } from './progress.js';
import { createSearchProgress } from './search-progress.js';
import { assertFolderOrAbsent } from './paths.js';
import { createReportRefresher } from '../report/refresher.js';
import { progressLine } from './progress-line.js';
import type { SearchOptions } from './search.js';

/** Starts or resumes a search as `opts` say, with live progress on stderr and the summary on stdout. */
export async function runSearchCommand(opts: SearchOptions, ctx: CommandContext): Promise<void> {
  if (!opts.config === !opts.resume) throw new EvonormError('USAGE', 'give either --config <file> (a new run) or --resume <run folder>');
  if (opts.resume && opts.name !== undefined) {
    throw new EvonormError('USAGE', `--name cannot be used with --resume: a resumed run keeps its folder (${opts.resume}); to start a new run named ${opts.name}, use --config <file> --name ${opts.name}`);
  }
  if (opts.config) assertFolderOrAbsent(opts.runsDir, '--runs-dir');
  const config = opts.config ? loadConfigFile(opts.config, RunConfigSchema) : undefined;
  const name = opts.name ?? config?.name ?? (opts.config ? runNameFromConfig(basename(opts.config).replace(/\.jsonc?$/, '')) : undefined);
  const workers = opts.workers;
  const progress = progressPrinter(ctx.io, 10_000);
  const started = Date.now();
  const live = createSearchProgress();
  let lastLine = '';
  let stepShown = false;
  const show = (urgent = false): void => progress.update([lastLine, live.nowText()].filter((t) => t !== '').join(' · '), urgent);
  progress.update(`search ${opts.resume ?? name ?? ''}: starting the workers (progress from the first training step on)`);
  // The report: refreshed at checkpoints (within 2% of the search's time), written at its end.
  const report = createReportRefresher({ runPath: opts.resume ?? join(opts.runsDir, name ?? ''), onError: onceWarning(ctx) });
  await report.ready();
  const result = await startSearch({
    config, name, runsDir: opts.runsDir, resume: opts.resume, workers, maxCandidates: opts.maxCandidates,
    signal: ctx.signal, argv: process.argv.slice(2), evonormVersion: version(),
    // On a terminal a warning first clears the progress line (the next update redraws it).
    stderr: ctx.io.stderrIsTTY ? (t) => ctx.io.stderr(`\r\x1b[2K${t}`) : (t) => ctx.io.stderr(t),
    // The budget comes from the loop: on --resume there is no --config to read it from.
    onProgress: (c, state, budget) => {
      live.noteResults(c.evaluated + c.rejected);
      lastLine = progressLine(c, state, started, budget, live);
      show();
    },
    onEvaluationProgress: (id, p) => {
      live.noteEvaluation(id, p);
      // The first training step is shown at once, also in a log: proof the search is working.
      const firstStep = !stepShown && p.step !== undefined;
      if (firstStep) stepShown = true;
      show(firstStep);
    },
    onCheckpoint: () => report.poke(),
  });
  progress.done();
  const written = await report.final();
  const replay = replayJournal(readJournal(result.run.journalPath).events);
  const summary = summarizeRun(replay);
  if (opts.json) ctx.io.stdout(`${JSON.stringify({ run: result.run.path, reason: result.reason, summary, exported: result.exported, report: written?.path ?? null }, null, 2)}\n`);
  else {
    // The state in the words of `status` and `runs` (src/run/status/run-state.ts); the lock is released by now.
    const state = runState(result.run.path, replay);
    ctx.io.stdout(`run ${result.run.path} stopped: ${result.reason}\n${formatStatus(summary, result.objectiveNames, state)}\n`);
    if (result.exported.length) ctx.io.stdout(`exported ${result.exported.length} files to ${result.run.exportPath}\n`);
    if (written) ctx.io.stdout(`report ${written.path}\n`);
  }
  if (result.reason === 'interrupted') ctx.exit(EXIT.interrupted);
}

/** A report error handler that warns once on stderr (the search goes on without refreshes failing loudly). */
function onceWarning(ctx: CommandContext): (err: unknown) => void {
  let warned = false;
  return (err) => {
    if (warned) return;
    warned = true;
    ctx.io.stderr(`evonorm: could not write the report (${(err as Error)?.message ?? String(err)}); the search goes on\n`);
  };
}
