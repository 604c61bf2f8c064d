/**
 * Starts or resumes a search run: run folder, journal, evolver, evaluation pool, then the loop.
 * The CLI's `search` command is a thin layer over this; tests call it directly.
 */
import { availableParallelism } from 'node:os';
import writeFileAtomic from 'write-file-atomic';
import { createRequire } from 'node:module';
import { RunConfigSchema, type RunConfig } from '../../config/run-config.js';
import { architectureNames } from '../../evaluate/config.js';
import { fastProbeSets } from '../../evaluate/fast-objective.js';
import type { EvaluatorSpec } from '../../evaluate/registry.js';
import type { Evaluation } from '../../evaluate/types.js';
import { createPool } from '../../dispatch/create-pool.js';
import type { EvaluationPool } from '../../dispatch/types.js';
import { resolveLayer } from '../../graph/resolve.js';
import { createEvolver, type EvolverState } from '../../search/evolver.js';
import { Rng } from '../../util/rng.js';
import { EvonormError, isEvonormError } from '../../util/errors.js';
import { validateWith } from '../../config/load.js';
import { levelEvaluations } from '../../config/promotion-levels.js';
import { createRunDir, openRunDir, runIdOf, type RunDir } from '../folder/run-dir.js';
import { acquireRunLock, type RunLock } from '../folder/lock.js';
import { frontPoint, leveledPoint, type FrontPoint, type LeveledPoint, type RankedCandidate } from '../replay/candidates.js';
import { buildManifest, recordBackend } from '../folder/manifest.js';
import { describeHeldOut } from '../../data/load.js';
import { descriptorOf } from '../../data/config.js';
import { Journal } from '../journal/journal.js';
import { loadResumeData } from '../replay/resume.js';
import { HurdleBook } from './hurdle-book.js';
import type { EvaluatedEvent } from '../journal/events.js';
import { runSearchLoop, type LoopCounters, type SearchLoopOptions, type SearchLoopResult } from './search-loop.js';
import { createRunLogger } from '../folder/logger.js';
import { exportRun } from '../export/export-run.js';
import { removeStaleTemporaries } from '../../util/stale-temporaries.js';

export interface StartSearchOptions {
  /** A validated run config (new runs). */
  readonly config?: RunConfig;
  /** Folder of runs and the new run's name (new runs). */
  readonly runsDir?: string;
  readonly name?: string;
  /** Path of an existing run to continue. */
  readonly resume?: string;
  /** Override dispatch: 'inline' or a worker count. */
  readonly workers?: number | 'inline';
  /** Override the candidate budget (e.g. to extend a finished run). */
  readonly maxCandidates?: number;
  readonly signal?: AbortSignal;
  readonly argv?: readonly string[];
  readonly evonormVersion?: string;
  /** Readable log lines go here (stderr in the CLI); none when absent. */
  readonly stderr?: (text: string) => void;
  /** After each result: this process's counters, the evolver state and the run's candidate budget. */
  readonly onProgress?: (counters: LoopCounters, state: EvolverState, maxCandidates: number) => void;
  readonly onEvaluationProgress?: SearchLoopOptions['onEvaluationProgress'];
  /** Called after each checkpoint (see SearchLoopOptions.onCheckpoint), e.g. to refresh a report. */
  readonly onCheckpoint?: SearchLoopOptions['onCheckpoint'];
  /** Fsync the journal on every write (default true; tests may turn it off). */
  readonly fsync?: boolean;
  /** Write the export folder when the run ends (default true). */
  readonly exportAtEnd?: boolean;
}

export interface StartSearchResult extends SearchLoopResult {
  readonly run: RunDir;
  readonly objectiveNames: readonly string[];
  readonly exported: readonly string[];
}

/** Longest time, in ms, a journal event waits for its fsync (the search loop also syncs before every checkpoint). */
export const JOURNAL_GROUP_MS = 200;
/** A 'batch' run writes its checkpoint at most this often, in ms (a fast search settles hundreds of batches a second). */
export const CHECKPOINT_EVERY_MS = 1000;

/** The evaluator a run config asks for, as a spec a worker thread can rebuild. */
export function evaluatorSpec(config: RunConfig): { spec: EvaluatorSpec; names: string[] } {
  if (config.objective === 'fast') {
    const k = config.fast.objectives;
    return {
      spec: { kind: 'fast', target: config.fast.target, objectives: k, maxNodes: config.search.space.maxNodes },
      names: fastProbeSets(k).map((set) => set.name), // e.g. standardized, small
    };
  }
  const evaluation = config.evaluation!;
  const levels = levelEvaluations(evaluation, config.search.levels);
  return { spec: { kind: 'proxy', config: evaluation, backend: evaluation.backend, ...(levels.length > 0 ? { levels } : {}) }, names: architectureNames(evaluation) };
}

/** What a search starts from: its run folder (locked), config, evolver state and what the journal already knows. */
interface PreparedRun {
  readonly run: RunDir;
  readonly lock: RunLock;
  readonly config: RunConfig;
  readonly state: EvolverState;
  readonly cache: Map<string, Evaluation>;
  readonly journaledIds: ReadonlySet<number>;
  /** The level-0 front so far, and (promotion levels) every promoted candidate, its levels and the promotions' cache. */
  readonly front: readonly FrontPoint[];
  readonly promoted: readonly LeveledPoint[];
  readonly levelCache: Map<string, Evaluation>;
  readonly journaledPromotions: ReadonlySet<string>;
  /** The looks part-way through earlier proxy trainings, when hurdles are on (src/run/loop/hurdle-book.ts). */
  readonly hurdles: HurdleBook | undefined;
  /** Resume: the fingerprint of every candidate evaluated so far, by id (search.diversity.uniqueFunctions). */
  readonly fingerprints?: ReadonlyArray<readonly [number, string]>;
  /** Found before the logger exists; logged (log.jsonl and stderr) once it does. */
  readonly warnings: ReadonlyArray<[Record<string, unknown>, string]>;
}

/** Runs (or resumes) a search to its budget or until the signal fires. */
export async function startSearch(options: StartSearchOptions): Promise<StartSearchResult> {
  const signal = options.signal ?? new AbortController().signal;
  const prepared = options.resume !== undefined ? prepareResume(options.resume, options.maxCandidates) : prepareNew(options);
  const { run, lock, config } = prepared;
  const counters: LoopCounters = { proposed: 0, evaluated: 0, rejected: 0, cacheHits: 0, rejectedByStage: {}, front: 0 };
  try {
    const { spec, names } = evaluatorSpec(config);
    // Per-batch info lines stay in the log file; stderr gets warnings, and the CLI's throttled
    // progress lines stand in for the rest (a fast search settles hundreds of batches a second).
    const logger = createRunLogger(run.path, { level: 'info', toStderr: Boolean(options.stderr), stderr: options.stderr, stderrLevel: 'warn' });
    for (const [fields, message] of prepared.warnings) logger.log.warn(fields, message);
    // Group commit: one fsync per settled batch (before its checkpoint) or per JOURNAL_GROUP_MS.
    const journal = Journal.open(run.journalPath, { fsync: options.fsync ?? true, groupCommitMs: JOURNAL_GROUP_MS, repair: true });
    let pool: EvaluationPool | undefined;
    try {
      const workers = options.workers ?? (config.dispatch.mode === 'inline' ? 'inline' : config.dispatch.workers === 'auto' ? availableParallelism() : config.dispatch.workers);
      pool = await createPool({
        mode: workers === 'inline' ? 'inline' : config.dispatch.mode === 'redis' ? 'redis' : 'threads',
        workers: workers === 'inline' ? 1 : workers,
        redis: config.dispatch.redis,
        spec,
        timeoutMs: config.dispatch.timeoutMinutes ? config.dispatch.timeoutMinutes * 60_000 : undefined,
        onRequeue: (jobIds) => logger.log.warn({ jobs: jobIds.length, jobIds }, `${jobIds.length} evaluation job(s) lost on Redis (a worker died or Redis restarted); enqueued again`),
        onWarning: (message) => logger.log.warn({ requested: workers }, message),
      });
      // The manifest was written before the pool existed: record what "auto" became.
      if (options.resume === undefined && config.objective === 'proxy') {
        recordBackend(run.manifestPath, pool.backend ?? `${config.evaluation!.backend} (chosen by each Redis worker; each evaluation records its backend)`);
      }
      const runId = runIdOf(run);
      const levels = config.search.levels.length;
      journal.append({ type: 'run-started', seed: config.seed, runId, resumed: options.resume !== undefined, objectiveNames: names, ...(levels > 0 ? { levels } : {}) });
      logger.log.info({ resumed: options.resume !== undefined, workers: workers === 'inline' ? workers : pool.size, objective: config.objective }, 'search started');
      const result = await runSearchLoop({
        state: prepared.state, pool, journal, checkpointPath: run.checkpointPath, cache: prepared.cache, counters, seed: config.seed, runId,
        batchSize: config.search.batchSize, checkpointEveryMs: CHECKPOINT_EVERY_MS,
        maxCandidates: config.search.maxCandidates,
        maxMs: config.search.maxMinutes ? config.search.maxMinutes * 60_000 : null,
        signal, log: logger.log, onProgress: options.onProgress, onEvaluationProgress: options.onEvaluationProgress, onCheckpoint: options.onCheckpoint,
        journaledIds: prepared.journaledIds, front: prepared.front, hurdles: prepared.hurdles,
        promoted: prepared.promoted, levelCache: prepared.levelCache, journaledPromotions: prepared.journaledPromotions,
        ...(config.search.diversity.uniqueFunctions ? { fingerprints: new Map(prepared.fingerprints ?? []) } : {}),
      });
      logger.log.info({ reason: result.reason, ...result.counters }, 'search stopped');
      const exportNow = (options.exportAtEnd ?? true) && result.reason !== 'interrupted';
      if (exportNow) removeStaleTemporaries(run.path, 'writing'); // a killed export's staging folder
      const exported = exportNow ? exportRun(run.path, undefined, { objectiveNames: names }).files : [];
      return { ...result, run, objectiveNames: names, exported };
    } catch (err) {
      logger.fileLog.error({ err }, 'search failed'); // log.jsonl keeps the stack; the CLI tells people the message
      throw err;
    } finally {
      await pool?.close();
      journal.close();
      await logger.close();
    }
  } finally {
    lock.release();
  }
}

/** A new run: its folder created (atomically) and locked, a fresh evolver. */
function prepareNew(options: StartSearchOptions): PreparedRun {
  if (!options.config) throw new EvonormError('USAGE', 'a new search needs a config');
  const config = options.maxCandidates === undefined ? options.config : withBudget(options.config, options.maxCandidates);
  const data = config.objective === 'proxy' ? config.evaluation!.data : null;
  const dataProblem = data ? descriptorOf(data).searchProblem?.(data) ?? null : null;
  if (dataProblem !== null) throw new EvonormError('BAD_CONFIG', dataProblem);
  const state = newEvolver(config);
  const name = options.name ?? config.name;
  if (!name) throw new EvonormError('USAGE', 'a new search needs a run name');
  const run = createRunDir(options.runsDir ?? 'runs', name, {
    config,
    manifest: buildManifest({
      seed: config.seed, evonormVersion: options.evonormVersion ?? '0.0.0', tfjsVersion: tfjsVersion(),
      backend: config.objective === 'proxy' ? config.evaluation!.backend : 'none', argv: options.argv ?? [],
      heldOut: data ? describeHeldOut(data) : null,
    }),
  });
  return {
    run, lock: acquireRunLock(run.path), config, state, cache: new Map(), journaledIds: new Set(), front: [], hurdles: hurdleBook(config, []), warnings: [],
    promoted: [], levelCache: new Map(), journaledPromotions: new Set(),
  };
}

/**
 * An existing run: locked first (loading may repair the journal, which must not happen under a
 * running search), checked (src/run/replay/consistency.ts), its budget override recorded in config.json.
 */
function prepareResume(path: string, maxCandidates: number | undefined): PreparedRun {
  const lock = acquireRunLock(openRunDir(path).path);
  try {
    const data = loadResumeData(path);
    const { run } = data;
    let config = validateWith(RunConfigSchema, data.config, `${run.configPath}`);
    // No usable checkpoint (crash before the first one): start the evolver again; the cache makes
    // every candidate already evaluated free.
    const { replay } = data;
    if (!data.checkpoint && config.search.schedule === 'async' && replay.journaledIds.size > 0) {
      // An async run's proposals depend on the order results came in: a fresh evolver would
      // propose other graphs under the journaled ids.
      throw new EvonormError('BAD_RUN', `${run.path}: an async run cannot be resumed without its checkpoint (${data.checkpointProblem ?? 'checkpoint.json is missing'})`);
    }
    if (maxCandidates !== undefined && maxCandidates !== config.search.maxCandidates) {
      // config.json is the resolved config: it records the budget the run now works towards.
      config = withBudget(config, maxCandidates);
      writeFileAtomic.sync(run.configPath, `${JSON.stringify(config, null, 2)}\n`, { fsync: true });
    }
    const warnings: Array<[Record<string, unknown>, string]> = [];
    const ranking = replay.ranking();
    if (data.checkpointProblem) warnings.push([{ problem: data.checkpointProblem }, 'checkpoint set aside; replaying from the journal']);
    if (data.droppedLine) warnings.push([{ line: data.droppedLine }, 'dropped a truncated last journal line']);
    return {
      run, lock, config, warnings,
      state: data.evolver ?? newEvolver(config),
      cache: data.cache,
      journaledIds: replay.journaledIds,
      // With promotion levels the loop keeps every scored candidate (src/run/loop/front-tracker.ts); else the level-0 front suffices.
      front: (config.search.levels.length > 0 ? ranking.ranked : ranking.baseFront).map(pointOf),
      promoted: ranking.ranked.filter((c) => c.levels !== undefined).map((c) => leveledPoint(pointOf(c), c.levels)),
      levelCache: replay.levelCache(),
      journaledPromotions: replay.journaledPromotions,
      hurdles: hurdleBook(config, replay.evaluations),
      fingerprints: replay.records.flatMap((r) => (r.evaluated?.fingerprint ? [[r.proposed.id, r.evaluated.fingerprint] as const] : [])),
    };
  } catch (err) {
    lock.release();
    throw withRestartHint(err, openRunDir(path));
  }
}

/** A ranked candidate as the search loop's front sees it. */
function pointOf(c: RankedCandidate): FrontPoint {
  return frontPoint(c.record.proposed.id, c.record.evaluated?.fingerprint ?? null, c.record.proposed.hash, c.objectives);
}

/**
 * A refusal to resume (the run's files do not fit together) with what to type next: a new run
 * from the same resolved config (its candidates are not carried over).
 */
function withRestartHint(err: unknown, run: RunDir): unknown {
  if (!isEvonormError(err) || (err.code !== 'BAD_RUN' && err.code !== 'MISSING_FILE')) return err;
  const hint = `this run cannot be resumed; to start it afresh with the same config, run \`evonorm search --config ${run.configPath} --name <new name>\` (or restore the run's files from a backup)`;
  return new EvonormError(err.code, `${err.message}\n${hint}`, err.details);
}

/** The config with another candidate budget (a --max-candidates override). */
function withBudget(config: RunConfig, maxCandidates: number): RunConfig {
  return { ...config, search: { ...config.search, maxCandidates } };
}

function newEvolver(config: RunConfig): EvolverState {
  const { evaluation } = config;
  const k = config.objective === 'fast' ? config.fast.objectives : evaluation!.architectures.length;
  const s = config.search;
  const seeds = s.seedLayers.map((spec) => resolveLayer(spec, { maxNodes: s.space.maxNodes }).graph);
  return createEvolver(Rng.fromSeed(config.seed).child('search'), {
    populationSize: s.populationSize,
    tournamentSize: s.tournamentSize,
    tournamentFraction: s.tournamentFraction,
    selection: s.selection,
    rejectedJoinPopulation: s.rejectedJoinPopulation,
    fillByMutation: s.fillByMutation,
    numObjectives: k,
    space: { ...(s.space.ops ? { ops: s.space.ops } : {}), maxNodes: s.space.maxNodes, minNodes: s.space.minNodes, ...(s.space.inputs ? { inputs: s.space.inputs } : {}) },
    mutation: { maxAttempts: s.mutation.maxAttempts, weights: s.mutation.weights, drift: s.mutation.drift },
    schedule: s.schedule,
    familyCap: s.diversity.familyCap,
    // A reference is named by its seed layer; the i-th seed layer is candidate i.
    promotion: s.levels.length > 0 ? { levels: s.levels.length, perBatch: s.promotionsPerBatch, references: s.referenceLayers.map((name) => s.seedLayers.indexOf(name)), ...(s.promotionPool === 'population' ? { pool: 'population' as const } : {}), ...(s.promotionReduction !== null ? { reduction: s.promotionReduction } : {}) } : null,
  }, seeds);
}

function tfjsVersion(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return (require('@tensorflow/tfjs/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

/** The run's hurdle book when its proxy evaluation has hurdles on (rebuilt from a resumed journal). */
function hurdleBook(config: RunConfig, evaluations: readonly EvaluatedEvent[]): HurdleBook | undefined {
  if (config.objective !== 'proxy') return undefined;
  const evaluation = config.evaluation!;
  if (!evaluation.rejection.hurdles.enabled) return undefined;
  return HurdleBook.fromEvaluations(evaluations, evaluation.rejection.hurdles, evaluation.training.steps);
}
