/**
 * One evaluator for every promotion level of a run (search.levels, issue 17): a request's `level`
 * (0 when absent) picks the evaluator of that level's evaluation config. Level 0 is built at once;
 * a level above it on its first request (a worker that is never sent a promotion never builds it).
 * The levels' evaluators share loaded data sets (ProxyEvaluatorOptions.datasets).
 *
 *   evaluate(request): level ← request.level ?? 0
 *     level outside 0..L → throw (the pools turn it into a stage 'error' rejection)
 *     evaluator[level] ← evaluator[level] ?? build(configs[level])
 *     return evaluator[level].evaluate(request)
 */
import type { ImageDataset } from '../data/types.js';
import { EvonormError } from '../util/errors.js';
import type { Evaluator } from './types.js';

/** Builds one level's evaluator from its config; `datasets` is shared by the levels. */
export type LevelEvaluatorFactory = (config: unknown, datasets: Map<string, ImageDataset>) => Evaluator | Promise<Evaluator>;

/**
 * An evaluator over `configs` (`[0]` the base protocol, `[ℓ]` level ℓ), each built with `build`.
 * Its objective count and names are level 0's (every level scores the same K objectives).
 */
export async function createLeveledEvaluator(configs: readonly unknown[], build: LevelEvaluatorFactory): Promise<Evaluator> {
  if (configs.length === 0) throw new EvonormError('INTERNAL', 'a leveled evaluator needs the base config');
  const datasets = new Map<string, ImageDataset>();
  const base = await build(configs[0], datasets);
  const built: Array<Promise<Evaluator> | undefined> = [Promise.resolve(base)];
  const evaluatorAt = (level: number): Promise<Evaluator> => {
    if (!Number.isInteger(level) || level < 0 || level >= configs.length) {
      throw new EvonormError('INTERNAL', `no promotion level ${level}: this evaluator has levels 0..${configs.length - 1}`);
    }
    built[level] ??= Promise.resolve(build(configs[level], datasets));
    return built[level];
  };
  return {
    objectiveCount: base.objectiveCount,
    objectiveNames: base.objectiveNames,
    evaluate: async (request, signal) => (await evaluatorAt(request.level ?? 0)).evaluate(request, signal),
    dispose: () => {
      for (const evaluator of built) void evaluator?.then((e) => e.dispose(), () => undefined);
    },
  };
}
