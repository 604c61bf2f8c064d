/**
 * Resolution of a layer given on the command line or in a config: a zoo name, a path to a
 * layer JSON file, or an expression.
 */
import { existsSync } from 'node:fs';
import { EvonormError, isEvonormError } from '../util/errors.js';
import { readTextFile } from '../util/read-text.js';
import { readLayerJson, type LayerJsonOptions } from './json.js';
import { closest } from './names.js';
import { parseExpression } from './parse.js';
import type { LayerGraph } from './types.js';
import { assertValidGraph, type ValidateOptions } from './validate.js';
import { ZOO_NAMES, isZooName, zooLayer } from './zoo.js';

export interface ResolvedLayer {
  readonly graph: LayerGraph;
  /** The zoo name or the file's "name" field, when there is one. */
  readonly name?: string;
  readonly source: 'zoo' | 'expression' | 'file';
  /** A file's layer options (its own, or the defaults for a version-1 file); absent otherwise. */
  readonly options?: LayerJsonOptions;
}

/**
 * Resolves `spec` to a valid graph: a zoo name (e.g. `evonorm-s0`); else a path when it ends in
 * `.json` or names an existing file (missing file → EvonormError('MISSING_FILE')); else an
 * expression (BAD_EXPRESSION, with a zoo hint when `spec` looks like a misspelt layer name).
 * The graph is validated (BAD_GRAPH), with `options.maxNodes` (default 10).
 */
export function resolveLayer(spec: string, options: ValidateOptions = {}): ResolvedLayer {
  const trimmed = spec.trim();
  if (isZooName(trimmed)) return { graph: zooLayer(trimmed), name: trimmed, source: 'zoo' };

  if (trimmed.endsWith('.json') || (/[/\\]/.test(trimmed) && existsSync(trimmed))) {
    if (!existsSync(trimmed)) throw new EvonormError('MISSING_FILE', `layer file not found: ${trimmed}`, { path: trimmed });
    const text = readTextFile(trimmed, 'layer file');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new EvonormError('BAD_GRAPH', `layer file ${trimmed} is not valid JSON: ${(err as Error).message}`, { path: trimmed });
    }
    const file = withPath(trimmed, () => readLayerJson(value, options));
    const { graph, name } = file;
    return name === undefined ? { graph, source: 'file', options: file.options } : { graph, name, source: 'file', options: file.options };
  }

  let graph: LayerGraph;
  try {
    graph = parseExpression(spec);
  } catch (err) {
    const hint = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/i.test(trimmed) ? closest(trimmed, ZOO_NAMES) : undefined;
    if (isEvonormError(err) && hint) {
      throw new EvonormError('BAD_EXPRESSION', `unknown layer "${trimmed}" (did you mean zoo layer ${hint}?)`, err.details);
    }
    throw err;
  }
  assertValidGraph(graph, options);
  return { graph, source: 'expression' };
}

/** Runs `read`, prefixing the file path to a BAD_GRAPH message. */
function withPath<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (isEvonormError(err)) throw new EvonormError(err.code, `${path}: ${err.message}`, err.details);
    throw err;
  }
}
