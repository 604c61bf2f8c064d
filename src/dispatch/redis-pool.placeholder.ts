/**
 * PLACEHOLDER — NOT IMPLEMENTED. The Redis/BullMQ pool for evaluating on many machines
 * (ARCHITECTURE.md "Many machines") does not exist yet; this file only records the intended
 * design so nobody mistakes its absence for an oversight. `createRedisPool` always throws.
 *
 * Intended design (to be built; bullmq is not a dependency yet):
 * - an EvaluationPool whose evaluate() adds a BullMQ job { spec, request } with
 *   job id = request.fingerprint, so a redelivered job never trains twice and equal functions
 *   share one evaluation; the promise resolves from the queue's completed/failed events;
 * - `evonorm worker` processes on any machine run a BullMQ Worker that builds its evaluator from
 *   the job's spec (cached per spec) exactly as src/dispatch/worker.ts does, and returns the
 *   Evaluation as the job's result; a failed or stalled job becomes stage 'error' / 'timeout'.
 */
import type { EvaluatorSpec } from '../evaluate/registry.js';
import { EvonormError } from '../util/errors.js';
import type { EvaluationPool } from './types.js';

/** Not implemented: always throws EvonormError('BAD_CONFIG'). See the module comment. */
export function createRedisPool(_spec: EvaluatorSpec, _connection: { url: string }): Promise<EvaluationPool> {
  return Promise.reject(new EvonormError('BAD_CONFIG', 'the Redis (BullMQ) pool is not implemented yet; use mode "inline" or "threads"'));
}
