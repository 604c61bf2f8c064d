/**
 * One training of the compare/rerank protocol: a layer on one architecture at one batch size
 * and seed. Its identity (`key`) is a digest of everything that decides its result, so a
 * results file can be resumed and shared between command lines without retraining.
 */
import { createHash } from 'node:crypto';
import type { LayerGraph } from '../graph/types.js';
import { encodeJob, type JobSettings } from '../evaluate/training-job.js';

export { decodeJob, encodeJob, type JobSettings } from '../evaluate/training-job.js';

/** A training to run, with the names people see. */
export interface TrainingJob extends JobSettings {
  /** Identity: digest of the protocol, the layer's function and the settings. */
  readonly key: string;
  /** The layer as the user named it (zoo name, expression, file, or front id). */
  readonly layer: string;
  readonly graph: LayerGraph;
  readonly fingerprint: string;
  /** Architecture name (objective name), e.g. "resnet". */
  readonly archName: string;
}

/**
 * Digest of the protocol (the proxy config without its backend, and the scored split). The
 * search's `seeds` is left out too: one protocol job is one training whatever it says (compare
 * and rerank take their seeds from the command line), so results files written before the
 * field existed keep their keys.
 */
export function protocolDigest(proxyConfig: object, score: string): string {
  const { backend: _backend, seeds: _seeds, ...rest } = proxyConfig as { backend?: unknown; seeds?: unknown };
  return createHash('sha256').update(JSON.stringify({ rest, score })).digest('hex').slice(0, 16);
}

/** A training's identity: protocol digest, the layer's functional fingerprint and its settings. */
export function jobKey(protocol: string, fingerprint: string, settings: JobSettings, archConfig: unknown): string {
  return createHash('sha256').update(JSON.stringify({ protocol, fingerprint, settings: encodeJob(settings), archConfig })).digest('hex').slice(0, 24);
}
