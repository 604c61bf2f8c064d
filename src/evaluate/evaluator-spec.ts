/**
 * EvaluatorSpec: a JSON-serialisable description of an evaluator, and its zod schema, the one
 * source of its type (issue 19 §2). A spec crosses thread and machine boundaries (a worker
 * thread's `workerData`, a Redis job), so a worker parses it with parseEvaluatorSpec before it
 * builds anything (src/evaluate/registry.ts createEvaluator). The objects are strict, so a
 * spec from another version of evonorm with a field this one does not know is refused by name.
 * No field has a default here: each evaluator applies its own.
 */
import { z } from 'zod';
import { BACKENDS } from '../tensor/backends.js';
import type { DeepReadonly } from '../util/deep-readonly.js';
import { EvonormError } from '../util/errors.js';

/** A tfjs backend a worker activates before building the evaluator: 'auto' or a backend name. */
const backend = z.enum(BACKENDS);

/** The training-free fast objective (src/evaluate/fast-objective.ts). */
export const FastSpecSchema = z.strictObject({
  kind: z.literal('fast'),
  /** Layer to match: zoo name, expression or layer JSON path. Default 'evonorm-s0'. */
  target: z.string().optional(),
  /** K, the number of objectives. Default 2. */
  objectives: z.number().int().positive().optional(),
  /** 'probes' (default) or 'architectures' (probe sets with trade-offs). */
  variants: z.enum(['probes', 'architectures']).optional(),
  /** Most intermediate nodes a candidate may have. Default 10. */
  maxNodes: z.number().int().positive().optional(),
  /** Unused by the fast objective (it needs no tfjs); allowed so one spec shape serves every kind. */
  backend: backend.optional(),
});

/** Proxy training on K architectures (src/evaluate/proxy.ts, `createProxyEvaluator(config)`). */
export const ProxySpecSchema = z.strictObject({
  kind: z.literal('proxy'),
  /** The evaluation config; the proxy evaluator parses it with its own schema. */
  config: z.unknown(),
  /**
   * The complete evaluation config of each promotion level above `config` (`[i]` is level
   * i + 1; src/config/promotion-levels.ts): a request's `level` picks one. Default none.
   */
  levels: z.array(z.unknown()).optional(),
  /** tfjs backend a worker activates before building the evaluator. Default 'auto'. */
  backend: backend.optional(),
});

/**
 * One training of a compare/rerank job (src/evaluate/training-evaluator.ts). Built in, so a
 * Redis worker resolves it in its own installation (a module path would have to exist at the
 * same place on every machine).
 */
export const ProtocolSpecSchema = z.strictObject({
  kind: z.literal('protocol'),
  /** The training-evaluator config; validated inside the evaluator. */
  config: z.unknown(),
  /** tfjs backend a worker activates first. Default 'auto'. */
  backend: backend.optional(),
});

/**
 * An evaluator from any module: `module` is a file path or URL whose export
 * `createEvaluator(config, hooks)` returns an Evaluator (or a promise of one; hooks.onProgress
 * reports where an evaluation is). For plug-ins and for tests that need an evaluator that
 * misbehaves.
 */
export const ModuleSpecSchema = z.strictObject({
  kind: z.literal('module'),
  module: z.string().min(1),
  /** Handed to the module's createEvaluator as is. */
  config: z.unknown().optional(),
  /** When set, a worker activates this tfjs backend first. Default none. */
  backend: backend.optional(),
});

/** A JSON-serialisable description of an evaluator, by `kind`. */
export const EvaluatorSpecSchema = z.discriminatedUnion('kind', [FastSpecSchema, ProxySpecSchema, ProtocolSpecSchema, ModuleSpecSchema]);
export type EvaluatorSpec = DeepReadonly<z.output<typeof EvaluatorSpecSchema>>;

/**
 * `value` as an EvaluatorSpec when it is one; else EvonormError('BAD_CONFIG') saying, on one
 * line, which field is wrong and where the spec came from (`from`, e.g. "workerData").
 * Returns the value itself, not a copy: the schema has no defaults and strips nothing.
 */
export function parseEvaluatorSpec(value: unknown, from: string): EvaluatorSpec {
  const parsed = EvaluatorSpecSchema.safeParse(value);
  if (parsed.success) return value as EvaluatorSpec;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `spec.${issue.path.join('.')}` : 'the spec';
  throw new EvonormError('BAD_CONFIG', `malformed evaluator spec from ${from}: ${where}: ${issue?.message ?? 'not an evaluator spec'}`);
}
