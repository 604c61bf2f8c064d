/** What `evonorm status` does, loaded only when it runs (src/cli/status.ts registers the command; issue 18, item 4). */
import type { CommandContext } from './context.js';
import { readConfig } from '../run/folder/run-dir.js';
import { loadResumeData } from '../run/replay/resume.js';
import { describeRunObjectives, knownLayerMark } from '../run/status/objective-info.js';
import { summarizeRun } from '../run/status/summary.js';
import { formatStatus } from '../run/status/format-status.js';
import { readRerankSummary } from '../protocol/rerank.js';
import { formatRerankStatus } from '../protocol/format-best.js';
import { runState } from '../run/status/run-state.js';
import { reportLine } from '../report/report-path.js';
import { runVerdicts } from '../run/status/level-verdict.js';
import { formatLevelTable, topLevelTable } from '../run/status/level-table.js';
import { calibrationOf, calibrationSentence } from '../protocol/calibrations.js';
import { RunConfigSchema } from '../config/run-config.js';

/** Prints the status of the run folder at `path` (JSON with `json`). */
export function printStatus(path: string, opts: { json?: boolean }, ctx: CommandContext): void {
  // Read and checked as for a resume or an export (src/run/replay/consistency.ts): a journal from
  // another run, or one with a line deleted, is refused with the reason; nothing is repaired.
  const { run, replay, droppedLine } = loadResumeData(path, { repair: false });
  const summary = summarizeRun(replay);
  const state = runState(run.path, replay);
  const rerank = readRerankSummary(run.path);
  const objectiveInfo = describeRunObjectives(readConfig(run));
  const { records } = replay;
  // The verdict speaks of accuracy on proxy networks; a training-free (fast) run has none.
  const proxyObjectives = objectiveInfo?.every((o) => o.architecture !== undefined) ? objectiveInfo.map((o) => o.name) : null;
  // With promotion levels also the same question on the longer trainings of a higher level.
  const verdicts = proxyObjectives ? runVerdicts(records, proxyObjectives) : null;
  const verdict = verdicts?.verdict ?? null;
  const atLevel = verdicts?.atLevel ?? null;
  const topLevel = topLevelTable(records);
  // What the calibration study measured for this run's protocol (proxy runs only).
  const parsedConfig = RunConfigSchema.safeParse(readConfig(run));
  const evaluation = parsedConfig.success && parsedConfig.data.objective === 'proxy' ? parsedConfig.data.evaluation : undefined;
  const calibration = evaluation ? { calibrated: calibrationOf(evaluation) ?? null, sentence: calibrationSentence(calibrationOf(evaluation), evaluation.seeds) } : null;
  if (opts.json) {
    ctx.io.stdout(`${JSON.stringify({ ...summary, state, ...(objectiveInfo ? { objectiveInfo } : {}), ...(verdict ? { verdict } : {}), ...(atLevel ? { levelVerdict: atLevel } : {}), ...(topLevel ? { topLevel } : {}), ...(calibration ? { calibration } : {}), ...(rerank ? { rerank } : {}) }, null, 2)}\n`);
    return;
  }
  if (droppedLine !== undefined) ctx.io.stderr('evonorm: the last journal line is incomplete (a crash mid-write); it is ignored and repaired on --resume\n');
  const objectives = objectiveInfo?.map((o) => o.description);
  const origins = new Map(records.map((r) => [r.proposed.id, r.proposed.origin]));
  const rowNotes = new Map(summary.front.map((f) => [f.id, knownLayerMark(origins.get(f.id) ?? '', f.fingerprint)]));
  const search = parsedConfig.success ? parsedConfig.data.search : undefined;
  const familyCap = search?.diversity.familyCap ? { cap: search.diversity.familyCap, populationSize: search.populationSize } : undefined;
  ctx.io.stdout(`${formatStatus(summary, [], state, { objectives, rowNotes, ...(familyCap ? { familyCap } : {}) }).trimEnd()}\n${verdict ? `\n${verdict.sentence}\n` : ''}${atLevel ? `${atLevel.sentence}\n` : ''}${topLevel && topLevel.rows.length > 0 ? `\n${formatLevelTable(topLevel, objectiveInfo?.map((o) => o.name) ?? topLevel.rows[0]!.objectives.map((_, m) => `objective ${m + 1}`))}\n\n` : ''}${calibration ? `${calibration.sentence}\n\n` : verdict ? '\n' : ''}${reportLine(run.path)}\n${rerank ? `\n${formatRerankStatus(rerank)}\n` : ''}`);
}
