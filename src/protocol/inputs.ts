/** Checking and resolving the inputs of compare and rerank (bad input → EvonormError, exit 3). */
import { existsSync, readFileSync } from 'node:fs';
import { DispatchSchema } from '../config/run-config.js';
import { parseJsoncText, validateWith } from '../config/load.js';
import type { PoolSettings } from '../dispatch/create-pool.js';
import { resolveLayer } from '../graph/resolve.js';
import { EvonormError } from '../util/errors.js';
import { LR_SCALINGS, type LrScaling } from './batch-scaling.js';
import type { ProtocolLayer } from './run-protocol.js';

/** A whole number ≥ 1 from an option value; BAD_INPUT otherwise. */
export function positiveInt(text: string | number, what: string): number {
  const value = typeof text === 'number' ? text : /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1) throw new EvonormError('BAD_INPUT', `${what} must be a whole number ≥ 1, got "${text}"`);
  return value;
}

/** "64,8,2" → [64, 8, 2] (distinct, in the given order). */
export function batchSizeList(text: string): number[] {
  const sizes = text.split(',').map((s) => positiveInt(s.trim(), '--batch-sizes: each batch size'));
  return [...new Set(sizes)];
}

export function lrScaling(text: string): LrScaling {
  if (!(LR_SCALINGS as readonly string[]).includes(text)) throw new EvonormError('BAD_INPUT', `--lr-scaling must be one of ${LR_SCALINGS.join(', ')}, got "${text}"`);
  return text as LrScaling;
}

/** Zoo names, expressions or JSON graph files → layers (unknown names fail with a hint). */
export function resolveLayers(specs: readonly string[]): ProtocolLayer[] {
  const seen = new Set<string>();
  const out: ProtocolLayer[] = [];
  for (const spec of specs) {
    const { graph, name, source } = resolveLayer(spec);
    const shown = name && source === 'zoo' ? name : spec.trim();
    if (seen.has(shown)) continue;
    seen.add(shown);
    out.push({ name: shown, graph, source });
  }
  return out;
}

/** The `dispatch` section of a run config file (defaults when the file has none), as pool settings. */
export function dispatchOf(path: string, workers?: string): Omit<PoolSettings, 'spec'> {
  if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `config file ${path} not found`);
  const raw = parseJsoncText(readFileSync(path, 'utf8'), path) as { dispatch?: unknown } | null;
  const dispatch = validateWith(DispatchSchema, raw && typeof raw === 'object' && 'dispatch' in raw ? raw.dispatch : {}, `${path} (dispatch)`);
  const timeoutMs = dispatch.timeoutMinutes === null ? undefined : dispatch.timeoutMinutes * 60_000;
  if (workers === 'inline') return { mode: 'inline', ...(timeoutMs ? { timeoutMs } : {}) };
  const count = workers !== undefined ? positiveInt(workers, '--workers') : dispatch.workers === 'auto' ? undefined : dispatch.workers;
  return {
    mode: dispatch.mode,
    ...(count !== undefined ? { workers: count } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(dispatch.mode === 'redis' ? { redis: { url: dispatch.redis.url, queue: dispatch.redis.queue } } : {}),
  };
}
