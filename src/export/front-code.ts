/**
 * Code files for every layer of a JSON export folder (what src/run/export/export-run.ts writes):
 *   <out>/<format>/<position>-<id>.<ext>   one self-contained file per front layer, in front order
 * Earlier files of that folder are removed first, so it matches the current front. Each file is
 * written aside and renamed (write-file-atomic).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { graphFromJson } from '../graph/json.js';
import { EvonormError, isEvonormError } from '../util/errors.js';
import { CODE_EXTENSION, generateCode, type CodeFormat } from './index.js';
import { layerClassName, type ExportLayerOptions } from './meta.js';
import { layerOptionsOfJson, provenanceOfJson } from './layer-source.js';

export interface FrontCodeOptions {
  /** Layer options of the run (its config), used where a layer file carries none. */
  readonly layerOptions?: Partial<ExportLayerOptions>;
  readonly version?: string;
}

/** Writes the code of every front layer listed in `<outDir>/front.json`; returns the files written. */
export function writeFrontCode(outDir: string, format: CodeFormat, options: FrontCodeOptions = {}): string[] {
  const summary = readJson(join(outDir, 'front.json')) as Array<{ file?: unknown; id?: unknown; knownLayer?: unknown }>;
  if (!Array.isArray(summary)) throw new EvonormError('BAD_RUN', `${join(outDir, 'front.json')} is not a list of front layers`);
  const dir = join(outDir, format);
  mkdirSync(dir, { recursive: true });
  const ext = CODE_EXTENSION[format];
  for (const file of readdirSync(dir)) if (/^\d+-\d+\.(py|mjs)$/.test(file)) rmSync(join(dir, file));
  const files: string[] = [];
  for (const entry of summary) {
    if (typeof entry.file !== 'string') continue;
    const path = join(outDir, entry.file);
    const doc = readJson(path) as { name?: unknown };
    let graph;
    try {
      graph = graphFromJson(doc, { maxNodes: Number.MAX_SAFE_INTEGER });
    } catch (err) {
      if (isEvonormError(err)) throw new EvonormError(err.code, `${path}: ${err.message}`, err.details);
      throw err;
    }
    const name = typeof doc.name === 'string' ? doc.name : basename(entry.file, '.json');
    const code = generateCode(graph, format, {
      name,
      // Named after the layer (EvoNormB0, Candidate17), not after the run its file name carries.
      className: layerClassName({
        name,
        ...(typeof entry.id === 'number' ? { candidateId: entry.id } : {}),
        knownLayer: typeof entry.knownLayer === 'string' ? entry.knownLayer : null,
      }),
      source: provenanceOfJson(doc),
      options: { ...options.layerOptions, ...layerOptionsOfJson(doc) },
      version: options.version,
    });
    const target = join(dir, `${basename(entry.file, '.json')}${ext}`);
    writeFileAtomic.sync(target, code.source);
    files.push(target);
  }
  return files;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EvonormError('BAD_RUN', `cannot read ${path}: ${(err as Error).message}`);
  }
}
