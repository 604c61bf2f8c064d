/**
 * Promotion levels as a config states them (`search.levels`, issue 17): each level is a partial
 * evaluation config merged over the run's `evaluation` section (the base protocol, level 0) —
 * objects key by key, arrays and values replaced — and the result must be a complete, valid
 * evaluation config. Every level is merged over the base, not over the level below it, so
 * `[{"seeds": 3}, {"seeds": 3, "training": {"steps": 900}}]` is "3 seeds, then 3 seeds of a 3×
 * longer training". A level may not change the backend (it runs on the same pool) nor the number
 * of architectures (K objectives at every level), and must differ from the base and the levels
 * below it (an identical level would only repeat a measurement).
 */
import { z } from 'zod';
import { ProxyConfigSchema, type ProxyConfig } from '../evaluate/config.js';
import { EvonormError } from '../util/errors.js';

/** One level as written: a partial evaluation config. */
export type LevelOverride = Readonly<Record<string, unknown>>;

/** One problem of a level, with its path below `search.levels[i]`. */
export interface LevelProblem {
  readonly level: number;
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `override` merged over `base`: plain objects key by key (recursively), anything else replaced. */
export function mergeLevel(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = key in base ? mergeLevel(base[key], value) : value;
  return merged;
}

/**
 * What is wrong with the levels over `base` (an empty list when nothing): a merged config the
 * evaluation schema refuses (its own messages, at their path inside the level), a backend, a
 * number of architectures other than the base's, a level equal to the base or to a level below.
 * `levels[i]` is level i + 1.
 */
export function levelProblems(base: ProxyConfig, levels: readonly LevelOverride[]): LevelProblem[] {
  const problems: LevelProblem[] = [];
  const seen = [JSON.stringify(base)];
  levels.forEach((override, i) => {
    const level = i + 1;
    if ('backend' in override) {
      problems.push({ level, path: ['backend'], message: 'a level runs on the run\'s pool: it cannot change the backend (set it in evaluation.backend)' });
      return;
    }
    const parsed = ProxyConfigSchema.safeParse(mergeLevel(base, override));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ level, path: issue.path, message: issue.message });
      return;
    }
    if (parsed.data.architectures.length !== base.architectures.length) {
      problems.push({ level, path: ['architectures'], message: `level ${level} has ${parsed.data.architectures.length} architectures, the base ${base.architectures.length}: every level scores the same K objectives` });
      return;
    }
    const text = JSON.stringify(parsed.data);
    const same = seen.indexOf(text);
    if (same >= 0) problems.push({ level, path: [], message: `level ${level} is the same evaluation as ${same === 0 ? 'the base (level 0)' : `level ${same}`}: it would only repeat a measurement` });
    seen.push(text);
  });
  return problems;
}

/**
 * The complete evaluation config of each level above the base, in order (`[i]` is level i + 1).
 * Throws EvonormError('BAD_CONFIG') naming the first problem (a validated run config has none).
 */
export function levelEvaluations(base: ProxyConfig, levels: readonly LevelOverride[]): ProxyConfig[] {
  const [problem] = levelProblems(base, levels);
  if (problem) throw new EvonormError('BAD_CONFIG', `search.levels[${problem.level - 1}]${problem.path.map((p) => `.${String(p)}`).join('')}: ${problem.message}`);
  return levels.map((override) => ProxyConfigSchema.parse(mergeLevel(base, override)));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** zod schema of one level as written (the merged result is checked by levelProblems). */
export const LevelOverrideSchema = z.record(z.string(), z.unknown());
