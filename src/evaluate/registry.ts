/**
 * Evaluators by description: an EvaluatorSpec (src/evaluate/evaluator-spec.ts, its zod schema and
 * type) is plain JSON, so it can cross a thread or machine boundary (a worker parses it with
 * parseEvaluatorSpec and builds its own evaluator from it). `createEvaluator(spec)` turns one into an
 * Evaluator. tfjs is loaded only by the kinds that need it (not by 'fast').
 */
import { pathToFileURL } from 'node:url';
import type { BackendRequest } from '../tensor/backend.js';
import { EvonormError } from '../util/errors.js';
import { createFastObjective } from './fast-objective.js';
import { createLeveledEvaluator } from './leveled-evaluator.js';
import type { Evaluator, EvaluatorHooks } from './types.js';
import type { TrainingEvaluatorConfig } from './training-evaluator.js';
import type { EvaluatorSpec } from './evaluator-spec.js';

export { EvaluatorSpecSchema, parseEvaluatorSpec } from './evaluator-spec.js';
export type { EvaluatorSpec } from './evaluator-spec.js';

/** The tfjs backend a worker should activate for this spec, or null when it needs no tfjs. */
export function specBackend(spec: EvaluatorSpec): BackendRequest | null {
  if (spec.kind === 'fast') return null;
  if (spec.kind === 'proxy' || spec.kind === 'protocol') return spec.backend ?? 'auto';
  return spec.backend ?? null;
}

/**
 * Builds the evaluator a spec describes. Throws EvonormError: BAD_CONFIG for an unknown kind or
 * a module without `createEvaluator`, INTERNAL when the proxy evaluator is not available yet,
 * and the fast objective's own errors for a bad target.
 */
export async function createEvaluator(spec: EvaluatorSpec, hooks: EvaluatorHooks = {}): Promise<Evaluator> {
  switch (spec.kind) {
    case 'fast':
      return createFastObjective({ target: spec.target, objectives: spec.objectives, variants: spec.variants, maxNodes: spec.maxNodes });
    // The two training evaluators load tfjs, so they are imported only when a spec asks for them.
    case 'proxy': {
      const { createProxyEvaluator } = await import('./proxy.js');
      return createLeveledEvaluator([spec.config, ...(spec.levels ?? [])], (config, datasets) => createProxyEvaluator(config, { ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}), datasets }));
    }
    case 'protocol': {
      const { createEvaluator: createTrainingEvaluator } = await import('./training-evaluator.js');
      // Its proxy section is validated inside (validateWith), as the proxy evaluator validates its config.
      return createTrainingEvaluator(spec.config as TrainingEvaluatorConfig);
    }
    case 'module': {
      const url = /^[a-z][a-z0-9+.-]*:/i.test(spec.module) && !/^[a-z]:[\\/]/i.test(spec.module) ? spec.module : pathToFileURL(spec.module).href;
      const mod = (await import(url)) as { createEvaluator?: (config: unknown, hooks: EvaluatorHooks) => Evaluator | Promise<Evaluator> };
      if (typeof mod.createEvaluator !== 'function') {
        throw new EvonormError('BAD_CONFIG', `evaluator module ${spec.module} does not export createEvaluator(config)`);
      }
      return mod.createEvaluator(spec.config, hooks);
    }
    default:
      throw new EvonormError('BAD_CONFIG', `unknown evaluator kind "${String((spec as { kind?: unknown }).kind)}"`);
  }
}

