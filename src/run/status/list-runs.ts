/**
 * The runs in a folder (`evonorm runs [DIR]`): each run folder's state, budget, progress, best
 * values and age. Hidden entries (a run folder being created is `.<name>.creating-<pid>`) and
 * files are skipped; a folder that is not a readable run is listed with the reason.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EvonormError, isEvonormError } from '../../util/errors.js';
import { loadResumeData } from '../replay/resume.js';
import { runState, type RunStateInfo } from './run-state.js';
import { summarizeRun } from './summary.js';

export interface RunListing {
  readonly name: string;
  readonly path: string;
  /** The run's state, or null when the folder could not be read (see `problem`). */
  readonly state: RunStateInfo | null;
  /** Why the folder could not be read. */
  readonly problem?: string;
  readonly proposed: number;
  /** search.maxCandidates of its config.json; null when unknown. */
  readonly budget: number | null;
  /** Best value per objective among scored candidates. */
  readonly best: readonly number[];
  readonly objectiveNames: readonly string[];
  /** ISO time the run was created (manifest), and of its last journal event. */
  readonly startedAt: string | null;
  readonly lastEventAt: string | null;
}

/** Lists the runs under `dir`, by name. EvonormError('BAD_INPUT') when `dir` is not a folder. */
export function listRuns(dir: string): RunListing[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new EvonormError('BAD_INPUT', `${root} is not a folder of runs`);
  return readdirSync(root)
    .filter((name) => !name.startsWith('.') && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => describeRun(join(root, name)));
}

function describeRun(path: string): RunListing {
  const name = path.split(/[/\\]/).pop() ?? path;
  const empty = { name, path, proposed: 0, budget: null, best: [], objectiveNames: [], startedAt: null, lastEventAt: null };
  try {
    // Read and checked as `status` reads it (src/run/replay/resume.ts): a folder status refuses is listed as unreadable, with the reason.
    const { run, manifest, config: rawConfig, replay } = loadResumeData(path, { repair: false });
    const config = rawConfig as { search?: { maxCandidates?: unknown } } | null;
    const budget = typeof config?.search?.maxCandidates === 'number' ? config.search.maxCandidates : null;
    const summary = summarizeRun(replay);
    return {
      name, path, state: runState(run.path, replay), proposed: summary.proposed, budget,
      best: summary.bestPerObjective, objectiveNames: summary.objectiveNames ?? [],
      startedAt: manifest.startedAt, lastEventAt: replay.lastEventAt ?? null,
    };
  } catch (err) {
    if (!isEvonormError(err)) throw err;
    return { ...empty, state: null, problem: err.message.split('\n')[0] };
  }
}
