/**
 * evonorm's public API: layer graphs (parse, print, validate, canonicalize, zoo), applying them to
 * tfjs tensors, and functional fingerprints. Later modules (search, evaluation, runs) add theirs.
 */
export * from './graph/index.js';
export * from './tensor/index.js';
export { Rng, type RngState } from './util/rng.js';
export { EvonormError, EXIT, isEvonormError, type ErrorCode, type ExitCode } from './util/errors.js';
