/**
 * The settings of one protocol training (compare, rerank, fidelity) as they travel to a worker:
 * encoded into the request's seed, decoded by the training evaluator (./training-evaluator.ts).
 * The protocol's job identities and digests are in src/protocol/job.ts.
 */
import { EvonormError } from '../util/errors.js';

/** What a worker needs to run one training besides the graph (travels in request.seed). */
export interface JobSettings {
  /** The protocol seed: initial weights and batches (the same for every layer). */
  readonly seed: number;
  /** Index of the architecture in the protocol config. */
  readonly arch: number;
  readonly batchSize: number;
  readonly steps: number;
  /** Peak learning rate. */
  readonly lr: number;
  readonly warmupSteps: number;
}

const PREFIX = 'protocol-job:';

/** The request seed that carries a job's settings to a worker (unique per training). */
export function encodeJob(job: JobSettings): string {
  const { seed, arch, batchSize, steps, lr, warmupSteps } = job;
  return `${PREFIX}${JSON.stringify({ seed, arch, batchSize, steps, lr, warmupSteps })}`;
}

/** The settings encodeJob put into a request seed; throws INTERNAL for anything else. */
export function decodeJob(seed: number | string): JobSettings {
  if (typeof seed !== 'string' || !seed.startsWith(PREFIX)) throw new EvonormError('INTERNAL', `not a protocol job: ${String(seed)}`);
  return JSON.parse(seed.slice(PREFIX.length)) as JobSettings;
}

