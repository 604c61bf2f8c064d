/**
 * The run folder `runs/<name>/`: config and manifest, the append-only journal (source of truth),
 * the atomic checkpoint, the evaluation cache rebuilt for resuming, status, export and the
 * run's logger. (src/run/loop/search-loop.ts, the loop that drives a run, is the integrator's.)
 */
export { RUN_FILES } from './folder/files.js';
export { createRunDir, openRunDir, readConfig, readManifest, runDirAt } from './folder/run-dir.js';
export type { RunDir, CreateRunDirInput } from './folder/run-dir.js';
export { runNameFromConfig } from './folder/run-name.js';
export { buildManifest, ManifestSchema } from './folder/manifest.js';
export type { Manifest, ManifestInput } from './folder/manifest.js';
export { JournalEventSchema, EvaluationSchema, FINISH_REASONS, PromotedEventSchema, PromotionEvaluatedEventSchema } from './journal/events.js';
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
} from './journal/events.js';
export { proposedEvent } from './journal/event-builders.js';
export { Journal, readJournal, repairJournal } from './journal/journal.js';
export type { JournalOptions, JournalReadResult } from './journal/journal.js';
export { stripTimings, isTimingKey } from './journal/strip-timings.js';
export { writeCheckpoint, readCheckpoint, CheckpointSchema, CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './folder/checkpoint.js';
export type { Checkpoint, CheckpointInput } from './folder/checkpoint.js';
export { fingerprintCache, isCacheable, levelCache, levelCacheKey } from './replay/cache.js';
export type { RebuildCacheOptions } from './replay/cache.js';
export { rankCandidates } from './replay/candidates.js';
export { joinCandidates } from './replay/replay.js';
export type { CandidateRecord, CandidateLevels, RankedCandidate, Ranking, PromotionCounts, LeveledPoint } from './replay/candidates.js';
export { levelOf, levelScores, promotionRejection, promotionSummary, describePromotion } from './replay/level-scores.js';
export type { LevelScore, PromotionSummary } from './replay/level-scores.js';
export { summarizeRun } from './status/summary.js';
export { replayJournal } from './replay/replay.js';
export type { RunReplay, RejectionGroup, SettlePoint, Pace, TimelineStep } from './replay/replay.js';
export { parseJournalText } from './journal/journal-lines.js';
export type { JournalReadMode, ParsedJournal } from './journal/journal-lines.js';
export { objectiveErrorsOf, withError } from './replay/objective-errors.js';
export type { RunSummary, FrontEntry } from './status/summary.js';
export { formatStatus, formatDuration, diversityLine } from './status/format-status.js';
export { diversitySeries, populationDiversity } from './replay/diversity.js';
export type { DiversityMember, DiversityPoint, DiversitySummary, PopulationDiversity } from './replay/diversity.js';
export { exportRun, runLayerOptions, CSV_LEADING_COLUMNS, CSV_TRAILING_COLUMNS } from './export/export-run.js';
export { readRun, readRerank, RERANK_FOLDER } from './export/read-run.js';
export type { RunContents, FrontLayer, RerankFiles } from './export/read-run.js';
export type { ExportOptions, ExportResult } from './export/export-run.js';
export { toCsv, csvField } from './export/csv.js';
export { createRunLogger, readableLine } from './folder/logger.js';
export type { RunLogger, RunLoggerOptions } from './folder/logger.js';
export { loadResumeData } from './replay/resume.js';
export type { ResumeData, LoadResumeOptions } from './replay/resume.js';
export { acquireRunLock, readRunLock, describeHolder, LockHolderSchema, LOCK_FILE } from './folder/lock.js';
export type { LockHolder, LockStatus, RunLock } from './folder/lock.js';
export { runState, describeRunState, RUN_STATES } from './status/run-state.js';
export type { RunState, RunStateInfo } from './status/run-state.js';
export { listRuns } from './status/list-runs.js';
export type { RunListing } from './status/list-runs.js';
export { checkRunConsistency } from './replay/consistency.js';
export type { RunParts } from './replay/consistency.js';
export { checkEvolverState } from './replay/evolver-check.js';
export { distinctFront, frontPoint, runFront, leveledPoint, levelsOf } from './replay/candidates.js';
export { FrontTracker } from './loop/front-tracker.js';
export type { FrontPoint } from './replay/candidates.js';
export { readJournalLines, journalDigest } from './journal/journal.js';
export { runIdOf } from './folder/run-dir.js';
