/**
 * The run folder `runs/<name>/`: config and manifest, the append-only journal (source of truth),
 * the atomic checkpoint, the evaluation cache rebuilt for resuming, status, export and the
 * run's logger. (src/run/search-loop.ts, the loop that drives a run, is the integrator's.)
 */
export { RUN_FILES } from './files.js';
export { createRunDir, openRunDir, readConfig, readManifest, runDirAt } from './run-dir.js';
export type { RunDir, CreateRunDirInput } from './run-dir.js';
export { runNameFromConfig } from './run-name.js';
export { buildManifest, ManifestSchema } from './manifest.js';
export type { Manifest, ManifestInput } from './manifest.js';
export { JournalEventSchema, EvaluationSchema, FINISH_REASONS, PromotedEventSchema, PromotionEvaluatedEventSchema } from './events.js';
export type {
  JournalEvent,
  JournalEventInput,
  JournalEventType,
  RunStartedEvent,
  ProposedEvent,
  EvaluatedEvent,
  GenerationEvent,
  CheckpointEvent,
  RunFinishedEvent,
  PromotedEvent,
  PromotionEvaluatedEvent,
  FinishReason,
} from './events.js';
export { proposedEvent } from './event-builders.js';
export { Journal, readJournal, repairJournal } from './journal.js';
export type { JournalOptions, JournalReadResult } from './journal.js';
export { stripTimings, isTimingKey } from './strip-timings.js';
export { writeCheckpoint, readCheckpoint, CheckpointSchema, CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpoint.js';
export type { Checkpoint, CheckpointInput } from './checkpoint.js';
export { fingerprintCache, isCacheable, levelCache, levelCacheKey } from './cache.js';
export type { RebuildCacheOptions } from './cache.js';
export { rankCandidates } from './candidates.js';
export { joinCandidates } from './replay.js';
export type { CandidateRecord, CandidateLevels, RankedCandidate, Ranking, PromotionCounts, LeveledPoint } from './candidates.js';
export { levelOf, levelScores, promotionRejection, promotionSummary, describePromotion } from './level-scores.js';
export type { LevelScore, PromotionSummary } from './level-scores.js';
export { summarizeRun } from './summary.js';
export { replayJournal } from './replay.js';
export type { RunReplay, RejectionGroup, SettlePoint, Pace, TimelineStep } from './replay.js';
export { parseJournalText } from './journal-lines.js';
export type { JournalReadMode, ParsedJournal } from './journal-lines.js';
export { objectiveErrorsOf, withError } from './objective-errors.js';
export type { RunSummary, FrontEntry } from './summary.js';
export { formatStatus, formatDuration, diversityLine } from './format-status.js';
export { diversitySeries, populationDiversity } from './diversity.js';
export type { DiversityMember, DiversityPoint, DiversitySummary, PopulationDiversity } from './diversity.js';
export { exportRun, runLayerOptions, CSV_LEADING_COLUMNS, CSV_TRAILING_COLUMNS } from './export.js';
export { readRun, readRerank, RERANK_FOLDER } from './read-run.js';
export type { RunContents, FrontLayer, RerankFiles } from './read-run.js';
export type { ExportOptions, ExportResult } from './export.js';
export { toCsv, csvField } from './csv.js';
export { createRunLogger, readableLine } from './logger.js';
export type { RunLogger, RunLoggerOptions } from './logger.js';
export { loadResumeData } from './resume.js';
export type { ResumeData, LoadResumeOptions } from './resume.js';
export { acquireRunLock, readRunLock, describeHolder, LockHolderSchema, LOCK_FILE } from './lock.js';
export type { LockHolder, LockStatus, RunLock } from './lock.js';
export { runState, describeRunState, RUN_STATES } from './run-state.js';
export type { RunState, RunStateInfo } from './run-state.js';
export { listRuns } from './list-runs.js';
export type { RunListing } from './list-runs.js';
export { checkRunConsistency } from './consistency.js';
export type { RunParts } from './consistency.js';
export { checkEvolverState, EvolverStateSchema } from './evolver-check.js';
export { distinctFront, frontPoint, runFront, leveledPoint, levelsOf } from './candidates.js';
export { FrontTracker } from './front-tracker.js';
export type { FrontPoint } from './candidates.js';
export { readJournalLines, journalDigest } from './journal.js';
export { runIdOf } from './run-dir.js';
