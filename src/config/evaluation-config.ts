/** Finding and loading the evaluation part of a config file. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyConfigSchema, type ProxyConfig } from '../evaluate/config.js';
import { EvonormError } from '../util/errors.js';
import { parseJsoncText, readConfigText, validateWith } from './load.js';

/** The packaged configs/quick.json (works from src/ under tsx and from dist/src/). */
export function defaultConfigPath(): string {
  for (const rel of ['../../configs/quick.json', '../../../configs/quick.json']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new EvonormError('MISSING_FILE', 'the default config configs/quick.json is missing from the installation');
}

/**
 * Reads a config file and returns its evaluation settings: the `evaluation` section of a run
 * config, or the whole file when it is an evaluation config of its own. `backend` overrides.
 */
export function loadEvaluationConfig(path: string, backend?: string): ProxyConfig {
  const raw = parseJsoncText(readConfigText(path), path) as Record<string, unknown>;
  if (raw && typeof raw === 'object' && !('evaluation' in raw) && raw.objective === 'fast') {
    throw new EvonormError('BAD_CONFIG', `config ${path} is a run config with objective "fast": it has no "evaluation" section to evaluate a layer with (try configs/quick.json)`);
  }
  const section = raw && typeof raw === 'object' && 'evaluation' in raw ? raw.evaluation : raw;
  const withBackend = backend ? { ...(section as object), backend } : section;
  return validateWith(ProxyConfigSchema, withBackend, `${path} (evaluation)`);
}
