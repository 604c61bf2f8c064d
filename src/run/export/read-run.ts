/**
 * Reading a run folder for scripts: everything `evonorm status` and `evonorm export` show, as
 * values. `readRun(path)` reads the config, manifest and journal once and returns the
 * candidates, their Pareto ranking, the front as ready-to-use layers (graph + version-2 layer
 * JSON with the run's layer options, the same document export writes) and the summary; plus
 * the files of `rerank/` when the run has been re-ranked (readRerank). Reading never writes.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { graphToJson, layerJsonOptions, type LayerJsonOptions, type LayerJsonV2 } from '../../graph/json.js';
import type { LayerGraph } from '../../graph/types.js';
import { EvonormError } from '../../util/errors.js';
import { proposedGraph, type CandidateRecord, type RankedCandidate } from '../replay/candidates.js';
import type { JournalEvent } from '../journal/events.js';
import { runLayerOptions } from './export-run.js';
import { loadResumeData } from '../replay/resume.js';
import type { Manifest } from '../folder/manifest.js';
import type { RunDir } from '../folder/run-dir.js';
import { summarizeRun, type RunSummary } from '../status/summary.js';
import { levelOf, levelScores, type LevelScore } from '../replay/level-scores.js';

/** The folder of a run's re-ranking results (written by `evonorm rerank`). */
export const RERANK_FOLDER = 'rerank';

/** One Pareto-front layer of a run, ready to use (e.g. `new EvoNormLayer({ graph: layer.json })`). */
export interface FrontLayer {
  /** 1-based place in the front's order (best first objective first), as in the export's file names. */
  readonly position: number;
  readonly id: number;
  readonly expression: string;
  readonly objectives: readonly number[];
  readonly fingerprint: string | null;
  readonly hash: string;
  readonly graph: LayerGraph;
  /** The layer JSON document (version 2, with the run's layer options and provenance metadata). */
  readonly json: LayerJsonV2;
  /** With promotion levels only: the highest level it was measured at, and its objectives at every level it passed. */
  readonly level?: number;
  readonly levels?: readonly LevelScore[];
}

/** The files of `<run>/rerank/`: parsed .json, .jsonl as arrays of parsed lines, others as text. */
export interface RerankFiles {
  readonly path: string;
  /** By file name (top level of the folder only). */
  readonly files: Readonly<Record<string, unknown>>;
}

/** Everything a run folder holds, as values. */
export interface RunContents {
  readonly run: RunDir;
  /** The resolved config as the run stored it (validate with RunConfigSchema to use it typed). */
  readonly config: unknown;
  readonly manifest: Manifest;
  /** The journal's committed events. */
  readonly events: readonly JournalEvent[];
  /** True when an incomplete last journal line was ignored (the run is being written or crashed). */
  readonly truncated: boolean;
  /** Every proposed candidate with its evaluation once there is one, in id order. */
  readonly candidates: readonly CandidateRecord[];
  /** Every scored candidate with its non-dominated rank (0 = front). */
  readonly ranked: readonly RankedCandidate[];
  /** The Pareto front, one layer per fingerprint, best first objective first. */
  readonly front: readonly FrontLayer[];
  /** One name per objective (larger is better). */
  readonly objectiveNames: readonly string[];
  /** The layer options the run scored candidates with. */
  readonly layerOptions: LayerJsonOptions;
  /** Counts, rejections, best values (what `evonorm status` prints). */
  readonly summary: RunSummary;
  /** The re-ranking results, when `<run>/rerank/` exists. */
  readonly rerank?: RerankFiles;
}

/**
 * Reads the run folder at `path`, checked as `status`, `export` and a resume check it
 * (src/run/replay/consistency.ts). Throws EvonormError: BAD_RUN (not a run folder, corrupt files, parts
 * that do not belong together, a journal graph that does not match its hash) or MISSING_FILE.
 */
export function readRun(path: string): RunContents {
  const { run, config, manifest, events, droppedLine, replay } = loadResumeData(path, { repair: false });
  const truncated = droppedLine !== undefined;
  const candidates = replay.records;
  const { ranked, front } = replay.ranking();
  const summary = summarizeRun(replay);
  const leveled = summary.promotion !== undefined;
  const k = ranked[0]?.objectives.length ?? 0;
  const objectiveNames = Array.from({ length: k }, (_, m) => summary.objectiveNames?.[m] ?? `obj${m + 1}`);
  const options = runLayerOptions(run);
  const layerOptions = layerJsonOptions(options);
  const frontLayers = front.map((c, i): FrontLayer => {
    const p = c.record.proposed;
    const graph = proposedGraph(p);
    const fingerprint = c.record.evaluated?.fingerprint ?? null;
    const provenance = { run: run.name, candidateId: p.id, parentId: p.parentId, origin: p.origin, batch: p.batch, seed: manifest.seed };
    const metadata = { objectives: c.objectives, objectiveNames, formula: p.expression, fingerprint, hash: p.hash, provenance };
    const json = graphToJson(graph, { name: `${run.name}-${p.id}`, options, metadata });
    return { position: i + 1, id: p.id, expression: p.expression, objectives: c.objectives, fingerprint, hash: p.hash, graph, json, ...(leveled ? { level: levelOf(c), levels: levelScores(c) } : {}) };
  });
  const rerank = readRerank(run);
  return {
    run, config, manifest, events, truncated, candidates, ranked, front: frontLayers, objectiveNames, layerOptions, summary,
    ...(rerank !== undefined ? { rerank } : {}),
  };
}

/**
 * The files of `<run>/rerank/` (see RerankFiles), or undefined when the run has no such folder.
 * EvonormError('BAD_RUN') for a .json file that does not parse; a .jsonl file's unparsable
 * last line (being written) is left out.
 *
 * TODO(rerank format): `evonorm rerank` (src/protocol/) decides the files; once it does, this
 * should return its typed results rather than the files as JSON values.
 */
export function readRerank(run: RunDir | string): RerankFiles | undefined {
  const dir = join(typeof run === 'string' ? run : run.path, RERANK_FOLDER);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  const files: Record<string, unknown> = {};
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const text = readFileSync(file, 'utf8');
    if (name.endsWith('.json')) files[name] = parseJson(text, file);
    else if (name.endsWith('.jsonl')) files[name] = parseJsonLines(text, file);
    else files[name] = text;
  }
  return { path: dir, files };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new EvonormError('BAD_RUN', `${file} is corrupt (not JSON: ${(err as Error).message})`, { path: file });
  }
}

function parseJsonLines(text: string, file: string): unknown[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.flatMap((line, i) => {
    try {
      return [JSON.parse(line) as unknown];
    } catch (err) {
      if (i === lines.length - 1 && !text.endsWith('\n')) return [];
      throw new EvonormError('BAD_RUN', `${file}:${i + 1} is corrupt (not JSON: ${(err as Error).message})`, { path: file });
    }
  });
}
