/**
 * evonorm's public API (`import … from 'evonorm'`): whatever the CLI does, a script can do
 * through these (README "Library API").
 *
 * - Layer graphs: parse/print, validate, canonical hash, the zoo, the JSON file format
 *   (readLayerJson, graphToJson; version 2 with layer options), resolveLayer.
 * - On tensors: GraphLayer, the tfjs layer class EvoNormLayer (registered with
 *   tf.serialization when this package is imported), folderIO to save/load models in a folder,
 *   the float64 interpreter, functional fingerprints, backend selection.
 * - Search: the pure ask/tell evolver (createEvolver, ask, tell, front; EvolverState is plain
 *   JSON), non-dominated sorting and crowding distance, random graphs and mutation.
 * - Evaluation: createEvaluator (fast objective or proxy trainings), evaluateGraph.
 * - Runs: startSearch (what `evonorm search` runs), readRun (candidates, front, rerank files),
 *   exportRun, summarizeRun and formatStatus (`evonorm status`); loadEvaluationConfig (what
 *   `evonorm evaluate --config` reads); createPool and startEvaluationWorker (`evonorm worker`).
 */
export * from './graph/index.js';
export * from './tensor/index.js';
export * from './search/index.js';
export * from './evaluate/index.js';
export {
  readRun, readRerank, RERANK_FOLDER, exportRun, runLayerOptions, summarizeRun, formatStatus, openRunDir, readConfig,
  readManifest, readJournal, joinCandidates, rankCandidates, RUN_FILES,
} from './run/index.js';
export type {
  RunContents, FrontLayer, RerankFiles, ExportOptions, ExportResult, RunSummary, FrontEntry, RunDir, Manifest,
  JournalEvent, CandidateRecord, RankedCandidate, Ranking,
} from './run/index.js';
export { startSearch, evaluatorSpec, type StartSearchOptions, type StartSearchResult } from './run/loop/start-search.js';
export { toResult as toEvaluationResult, type LoopCounters } from './run/loop/search-loop.js';
export { RunConfigSchema, type RunConfig, type RunConfigInput } from './config/run-config.js';
export { loadConfigFile } from './config/load.js';
export { loadEvaluationConfig, defaultConfigPath } from './config/evaluation-config.js';
export { createPool, type PoolSettings, type EvaluationPool } from './dispatch/index.js';
export { startEvaluationWorker, type RedisWorkerHandle, type RedisWorkerOptions } from './dispatch/start-redis-worker.js';
export { makeSynthetic, loadDataset, loadIdxDataset, type ImageDataset, type ImageSplit, type SyntheticOptions } from './data/index.js';
export { Rng, type RngState } from './util/rng.js';
export { EvonormError, EXIT, isEvonormError, type ErrorCode, type ExitCode } from './util/errors.js';
