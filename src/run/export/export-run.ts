/**
 * Exports a run for people and other tools, into `<run>/export/` by default:
 *   front/<position>-<id>.json  each Pareto-front layer as a layer JSON graph (version 2;
 *                               graphFromJson reads it) with the layer options the run scored it
 *                               with (its config's evaluation.layer; the defaults when it has none,
 *                               e.g. a fast-objective run) and metadata: objectives, names, formula,
 *                               fingerprint, hash and provenance (run, candidate, parent, origin,
 *                               batch, seed)
 *   front.json                  an array summarising the front, in the same order; objectiveErrors
 *                               is each objective's standard error (evaluation.seeds > 1), else null;
 *                               with promotion levels (search.levels), `level` (the highest it was
 *                               measured at) and `levels` (its objectives at every level it passed)
 *   candidates.csv              one row per evaluated candidate; objective columns are headed by
 *                               what they are (architecture, split, steps, batch size, higher is
 *                               better) when the run's config says, followed, when the run has
 *                               them (evaluation.seeds > 1), by one "(standard error)" column per
 *                               objective; "known" marks seed/zoo rows; with promotion levels, last:
 *                               "level", "promotion rejected" (level: reason) and, per level ℓ, one
 *                               "<objective> (level ℓ)" column per objective
 *   rerank.json, rerank.csv     the run's `evonorm rerank` summary and table, when it has one
 * The front is that of every scored candidate in the journal, one per fingerprint, ordered by
 * the first objective (best first); positions are 1-based and zero-padded. With promotion levels
 * it is the leveled front (src/search/levels.ts), the same as `evonorm status` shows.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { graphToJson, LayerJsonOptionsSchema, type LayerJsonOptions } from '../../graph/json.js';
import { EvonormError } from '../../util/errors.js';
import { proposedGraph, type RankedCandidate } from '../replay/candidates.js';
import { toCsv, type CsvCell } from './csv.js';
import { readConfig, type RunDir } from '../folder/run-dir.js';
import { loadResumeData } from '../replay/resume.js';
import { describeRunObjectives, knownLayerMark } from '../status/objective-info.js';
import { objectiveErrorsOf } from '../replay/objective-errors.js';
import { levelOf, levelScores, promotionRejection, promotionSummary } from '../replay/level-scores.js';

export interface ExportOptions {
  /** Objective names; default: those of the journal's run-started events, else obj1, obj2, …. */
  readonly objectiveNames?: readonly string[];
}

export interface ExportResult {
  /** Absolute paths of the files written. */
  readonly files: string[];
}

/** The fixed columns of candidates.csv before and after the objective columns. */
export const CSV_LEADING_COLUMNS = ['id', 'batch', 'origin', 'parentId', 'fingerprint', 'hash', 'status', 'stage', 'reason'] as const;
export const CSV_TRAILING_COLUMNS = ['rank', 'front', 'cached', 'costMs', 'expression', 'known'] as const;

/**
 * Writes the export of the run at `runPath` into `outDir` (default `<run>/export`) and returns
 * the files written. The export is written aside (`.<out>.writing-<pid>`) and swapped in whole,
 * so a kill midway never leaves a folder mixing old and new files; earlier front files are gone,
 * and files someone else put there are kept. The run is checked as for a resume
 * (src/run/replay/consistency.ts): EvonormError('BAD_RUN'/'MISSING_FILE') for a broken run, nothing
 * written. An incomplete last journal line is ignored (the export only reads).
 */
export function exportRun(runPath: string, outDir?: string, options: ExportOptions = {}): ExportResult {
  // The same checks as a resume (src/run/replay/consistency.ts), without repairing anything.
  const { run, manifest, replay } = loadResumeData(runPath, { repair: false });
  const layerOptions = runLayerOptions(run);
  const { records } = replay;
  const ranking = replay.ranking();
  const { ranked, front } = ranking;
  const promotion = promotionSummary(ranking, replay.levels, replay.closingPromotions);
  const k = ranked[0]?.objectives.length ?? 0;
  const names = Array.from({ length: k }, (_, m) => options.objectiveNames?.[m] ?? replay.objectiveNames?.[m] ?? `obj${m + 1}`);
  // What each objective is (architecture, split, steps, batch size; higher is better), when the config says.
  const info = describeRunObjectives(readConfig(run));
  const objectiveInfo = info && info.length === k ? info : null;

  const out = resolve(outDir ?? run.exportPath);
  const staging = join(dirname(out), `.${basename(out)}.writing-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'front'), { recursive: true });
  const files: string[] = [];
  /** Writes `relative` into the staging folder; its final path (under `out`) is reported. */
  const write = (relative: string, text: string): void => {
    writeFileSync(join(staging, relative), text);
    files.push(join(out, relative));
  };
  try {
    writeExport(write);
    keepForeignEntries(out, staging);
    swapInto(staging, out);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  return { files };

  /** The promotion columns of a candidate's row (none without promotion levels; blank for an unscored one). */
  function levelCells(c: RankedCandidate | undefined): CsvCell[] {
    if (promotion === null) return [];
    const scores = c ? levelScores(c) : [];
    const rejection = c ? promotionRejection(c) : null;
    return [
      c ? levelOf(c) : '',
      rejection ? `${rejection.level}: ${rejection.reason}` : '',
      ...Array.from({ length: promotion.levels }, (_, l) => {
        const score = scores.find((s) => s.level === l + 1);
        return Array.from({ length: k }, (_, m): CsvCell => score?.objectives[m] ?? '');
      }).flat(),
    ];
  }

  function writeExport(write: (relative: string, text: string) => void): void {
    const width = String(front.length).length;
    const summary = front.map((c, position) => {
      const p = c.record.proposed;
      const file = `${String(position + 1).padStart(width, '0')}-${p.id}.json`;
      const fingerprint = c.record.evaluated?.fingerprint ?? null;
      const provenance = { run: run.name, candidateId: p.id, parentId: p.parentId, origin: p.origin, batch: p.batch, seed: manifest.seed };
      const knownLayer = knownLayerMark(p.origin, fingerprint) || null;
      // The layer file's metadata stays what readRun rebuilds from the journal; what the objectives
      // are and whether the layer is a known one go into front.json and candidates.csv.
      const metadata = { objectives: c.objectives, objectiveNames: names, formula: p.expression, fingerprint, hash: p.hash, provenance };
      const doc = graphToJson(proposedGraph(p), { name: `${run.name}-${p.id}`, options: layerOptions, metadata });
      write(join('front', file), `${JSON.stringify(doc, null, 2)}\n`);
      const objectiveErrors = objectiveErrorsOf(c.record.evaluated?.evaluation) ?? null;
      const levels = promotion !== null ? { level: levelOf(c), levels: levelScores(c) } : {};
      return { position: position + 1, file: `front/${file}`, id: p.id, expression: p.expression, objectives: c.objectives, objectiveErrors, ...levels, objectiveNames: names, objectiveDescriptions: objectiveInfo?.map((o) => o.description) ?? null, higherIsBetter: true, knownLayer, fingerprint, hash: p.hash, parentId: p.parentId, origin: p.origin, batch: p.batch };
    });
    write('front.json', `${JSON.stringify(summary, null, 2)}\n`);

    // Standard-error columns after the objective columns, only when some evaluation has them (evaluation.seeds > 1).
    const withErrorColumns = records.some((r) => objectiveErrorsOf(r.evaluated?.evaluation) !== undefined);
    const rankById = new Map<number, RankedCandidate>(ranked.map((c) => [c.record.proposed.id, c]));
    const frontIds = new Set(front.map((c) => c.record.proposed.id));
    const rows: CsvCell[][] = records.flatMap((record) => {
      const e = record.evaluated;
      if (e === undefined) return [];
      const p = record.proposed;
      const evaluation = e.evaluation;
      const ok = evaluation.status === 'ok';
      const objectives: CsvCell[] = Array.from({ length: k }, (_, m) => (ok ? evaluation.objectives[m] : ''));
      const errors = objectiveErrorsOf(evaluation);
      const errorCells: CsvCell[] = withErrorColumns ? Array.from({ length: k }, (_, m) => (errors !== undefined && Number.isFinite(errors[m]) ? errors[m] : '')) : [];
      return [
        [
          p.id,
          p.batch,
          p.origin,
          p.parentId,
          e.fingerprint,
          p.hash,
          evaluation.status,
          ok ? '' : evaluation.stage,
          ok ? '' : evaluation.reason,
          ...objectives,
          ...errorCells,
          rankById.get(p.id)?.rank ?? '',
          frontIds.has(p.id),
          e.cached,
          evaluation.costMs,
          p.expression,
          knownLayerMark(p.origin, e.fingerprint),
          ...levelCells(rankById.get(p.id)),
        ],
      ];
    });
    const objectiveColumns = objectiveInfo ? objectiveInfo.map((o) => o.description) : names;
    const errorColumns = withErrorColumns ? objectiveColumns.map((c) => `${c} (standard error)`) : [];
    const levelColumns = promotion === null ? [] : ['level', 'promotion rejected', ...Array.from({ length: promotion.levels }, (_, l) => names.map((n) => `${n} (level ${l + 1})`)).flat()];
    write('candidates.csv', toCsv([...CSV_LEADING_COLUMNS, ...objectiveColumns, ...errorColumns, ...CSV_TRAILING_COLUMNS, ...levelColumns], rows));
    // The rerank results (evonorm rerank), when the run has them: summary as rerank.json, table as rerank.csv.
    for (const [from, to] of [['summary.json', 'rerank.json'], ['summary.csv', 'rerank.csv']] as const) {
      const source = join(run.path, 'rerank', from);
      if (existsSync(source)) write(to, readFileSync(source, 'utf8'));
    }
  }
}

/** True for the entries an export writes (relative to its folder): replaced by each export. */
function isExportEntry(relative: string): boolean {
  return relative === 'front' || relative === 'front.json' || relative === 'candidates.csv' || relative === 'rerank.json' || relative === 'rerank.csv' || /^front\/\d+-\d+\.json$/.test(relative);
}

/** Copies what someone else put into `out` (notes, other tools' files) into `staging`, so the swap keeps it. */
function keepForeignEntries(out: string, staging: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new EvonormError('BAD_INPUT', `export folder ${out} is a file`);
  for (const entry of readdirSync(out)) {
    if (!isExportEntry(entry)) cpSync(join(out, entry), join(staging, entry), { recursive: true });
  }
  const front = join(out, 'front');
  if (existsSync(front) && statSync(front).isDirectory()) {
    for (const entry of readdirSync(front)) {
      if (!isExportEntry(`front/${entry}`)) cpSync(join(front, entry), join(staging, 'front', entry), { recursive: true });
    }
  }
}

/**
 * Puts the finished `staging` folder in place of `out`: two renames (old aside, new in), then
 * the old one is removed. A kill at any moment leaves `out` wholly old or wholly new (between
 * the renames: absent, with both complete copies beside it under hidden names).
 */
function swapInto(staging: string, out: string): void {
  if (!existsSync(out)) {
    renameSync(staging, out);
    return;
  }
  const aside = join(dirname(out), `.${basename(out)}.old-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  renameSync(out, aside);
  renameSync(staging, out);
  rmSync(aside, { recursive: true, force: true });
}

/**
 * The layer options the run scored its candidates with: the `evaluation.layer` section of its
 * resolved config (missing fields: the defaults). EvonormError('BAD_RUN') when that section is
 * invalid.
 */
export function runLayerOptions(run: RunDir): Partial<LayerJsonOptions> {
  const config = readConfig(run) as { evaluation?: { layer?: unknown } } | null;
  const layer = config?.evaluation?.layer;
  if (layer === undefined) return {};
  // Non-strict: fields a newer config may add that the JSON format does not carry are dropped.
  const parsed = z.object(LayerJsonOptionsSchema.shape).partial().safeParse(layer);
  if (!parsed.success) {
    throw new EvonormError('BAD_RUN', `${run.configPath}: evaluation.layer is not valid layer options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
