/**
 * Everything the report shows, computed from a run snapshot: the run's state, counts, the
 * scatter points, the progress series, the population's diversity, the funnel, the front layers with their lineage and
 * repeats, the rerank results and the run's facts. Pure: no files, no rendering.
 */
import type { RunConfig } from '../config/run-config.js';
import type { CandidateRecord, Ranking } from '../run/replay/candidates.js';
import { levelCosts, type LevelCost } from '../run/replay/level-cost.js';
import { levelOf, levelScores, promotionSummary, type LevelScore, type PromotionSummary } from '../run/replay/level-scores.js';
import { replayJournal, type RunReplay } from '../run/replay/replay.js';
import type { Manifest } from '../run/folder/manifest.js';
import { diversitySeries, type DiversitySummary } from '../run/replay/diversity.js';
import { runVerdicts, type LevelVerdict } from '../run/status/level-verdict.js';
import { topLevelTable, type LevelTable } from '../run/status/level-table.js';
import type { Verdict } from '../run/status/verdict.js';
import { describeRunState, runState as lockedRunState, type RunStateInfo } from '../run/status/run-state.js';
import { functionKey } from './candidates.js';
import { rejectionFunnel, type FunnelStep } from './funnel.js';
import { zooNameOfHash } from './layer-names.js';
import { lineageOf, type Lineage } from './lineage.js';
import { progressSeries, type ProgressSeries } from './progress-series.js';
import { rateSeries, type RatePoint } from './rate-series.js';
import type { RerankResults } from './rerank-results.js';
import type { RunSnapshot } from './run-snapshot.js';
import { scatterData, type ScatterData } from './scatter-data.js';

/** Where the run is. */
export interface RunState {
  /**
   * running: a live search holds the run (the one writing this report, or another process, by
   * its lock: src/run/status/run-state.ts); finished: its last session spent a budget; interrupted:
   * stopped cleanly (Ctrl-C); crashed: its last session ended without a clean stop; empty:
   * nothing proposed yet.
   */
  readonly kind: 'running' | 'finished' | 'interrupted' | 'crashed' | 'empty';
  /** The process holding the run, when another one is running it ("pid 12 on box …"). */
  readonly holder?: string;
  readonly finishReason?: string;
  readonly sessions: number;
  /** ISO time of the journal's last event. */
  readonly lastEventAt?: string;
  /** Wall time worked, ms, summed over sessions. */
  readonly elapsedMs: number;
}

/** One layer of the Pareto front, for its card. */
export interface FrontLayer {
  readonly position: number;
  readonly record: CandidateRecord;
  readonly objectives: readonly number[];
  readonly zoo?: string;
  /** Candidates with the same function (fingerprint), this one included. */
  readonly sameFunction: number;
  /** Candidates with the same structure (canonical hash), this one included. */
  readonly sameStructure: number;
  readonly lineage: Lineage;
  /** With promotion levels only: the highest level it was measured at, and its objectives at every level it passed. */
  readonly level?: number;
  readonly levels?: readonly LevelScore[];
}

export interface ReportModel {
  readonly runName: string;
  readonly runPath: string;
  readonly state: RunState;
  readonly objectiveNames: string[];
  /** What each objective measures, for people. */
  readonly objectiveMeanings: string[];
  readonly counts: { proposed: number; evaluated: number; scored: number; rejected: number; cacheHits: number; pending: number };
  readonly scatter: ScatterData;
  readonly progress: ProgressSeries;
  readonly rate: RatePoint[];
  /** The population's largest-family share and distinct functions per settled batch (src/run/replay/diversity.ts). */
  readonly diversity: DiversitySummary;
  readonly funnel: FunnelStep[];
  readonly front: FrontLayer[];
  /** Front members beyond those given a card. */
  readonly frontOmitted: number;
  /** Size of the front (with promotion levels the leveled front, src/search/levels.ts). */
  readonly frontSize: number;
  /** With promotion levels only: evaluations per level and the cheap front's winners that did not survive promotion. */
  readonly promotion: PromotionSummary | null;
  /** With promotion levels only: each level's evaluations and training CPU time (status's `cost` row). */
  readonly levelCosts: readonly LevelCost[] | null;
  readonly rerank: RerankResults;
  readonly config?: RunConfig;
  readonly rawConfig?: unknown;
  readonly manifest?: Manifest;
  /** Sum of the evaluation costs (cache hits excluded), ms. */
  readonly computeMs: number;
  /** Distinct worker ids seen in the journal. */
  readonly workerIds: string[];
  readonly problems: string[];
  /** Did a new layer beat BN-ReLU and the seeds, beyond the noise (src/run/status/verdict.ts); null for a training-free (fast) run. */
  readonly verdict: Verdict | null;
  /** The same question at the highest promotion level with a new layer and a reference (src/run/status/level-verdict.ts); null without one. */
  readonly levelVerdict: LevelVerdict | null;
  /** Every layer measured at the highest promotion level, best mean first (status prints the same); null without promotions. */
  readonly topLevel: LevelTable | null;
}

export interface ModelOptions {
  /** True when the live search builds the report (its last session has not ended yet). */
  readonly live?: boolean;
  /** Scatter points per plot at most (default 2500). */
  readonly maxScatterPoints?: number;
  /** Front layers given a card at most (default 60). */
  readonly maxFrontCards?: number;
}

/** Builds the report model of a snapshot (see the module comment). */
export function buildReportModel(snapshot: RunSnapshot, rerank: RerankResults, options: ModelOptions = {}): ReportModel {
  const { events } = snapshot;
  const problems = [...snapshot.problems];
  // The one replay every reader uses (src/run/replay/replay.ts), tolerant: the report draws damaged runs too.
  const replay = replayJournal(events, 'tolerant');
  const { records, byId, orphans, outcomes } = replay;
  if (orphans > 0) problems.push(`${orphans} evaluation${orphans === 1 ? '' : 's'} in the journal belong to candidates whose proposal is missing; left out`);
  const progress = progressSeries(replay, (id, fingerprint, hash) => {
    const r = byId.get(id);
    return r ? functionKey(r) : fingerprint ?? `hash:${hash}`;
  });
  const k = progress.k;
  const mixed = records.filter((r) => r.evaluated?.evaluation.status === 'ok' && r.evaluated.evaluation.objectives.length !== k).length;
  if (mixed > 0) problems.push(`${mixed} scored candidates have a number of objectives other than ${k}; left out of the plots`);

  const names = objectiveNames(replay, snapshot.config, k);
  // The front is the replay's (status's); only a journal it cannot rank (mixed numbers of objectives) falls back on the progress series' own.
  const ranking = rankingOf(replay);
  const promotion = ranking ? promotionSummary(ranking, replay.levels, replay.closingPromotions) : null;
  // The run's answer in words (status has the same two sentences); a training-free (fast) run has none.
  const verdicts = snapshot.config?.objective === 'fast' || k === 0 ? null : runVerdicts(records, names);
  const rankedById = new Map((ranking?.ranked ?? []).map((c) => [c.record.proposed.id, c]));
  const frontMembers = ranking ? ranking.front.map((c) => ({ id: c.record.proposed.id, objectives: c.objectives })) : progress.front;
  const frontIds = new Set(frontMembers.map((f) => f.id));
  const scatter = scatterData(records, frontIds, k, options.maxScatterPoints ?? 2500);

  // Repeats of a function and of a structure, for the front cards.
  const byFunction = new Map<string, number>();
  const byStructure = new Map<string, number>();
  for (const r of records) {
    byStructure.set(r.proposed.hash, (byStructure.get(r.proposed.hash) ?? 0) + 1);
    const fingerprint = r.evaluated?.fingerprint;
    if (fingerprint) byFunction.set(fingerprint, (byFunction.get(fingerprint) ?? 0) + 1);
  }
  const maxCards = options.maxFrontCards ?? 60;
  const front: FrontLayer[] = frontMembers.slice(0, maxCards).flatMap((member, i) => {
    const record = byId.get(member.id);
    if (record === undefined) return [];
    const fingerprint = record.evaluated?.fingerprint;
    const zoo = zooNameOfHash(record.proposed.hash);
    return [{
      position: i + 1,
      record,
      objectives: member.objectives,
      ...(zoo ? { zoo } : {}),
      sameFunction: fingerprint ? byFunction.get(fingerprint) ?? 1 : 1,
      sameStructure: byStructure.get(record.proposed.hash) ?? 1,
      lineage: lineageOf(member.id, byId),
      ...(promotion !== null && rankedById.has(member.id) ? { level: levelOf(rankedById.get(member.id)!), levels: levelScores(rankedById.get(member.id)!) } : {}),
    }];
  });
  const { proposed, scored, rejected, cacheHits, pending } = outcomes;
  return {
    runName: snapshot.run.name,
    runPath: snapshot.run.path,
    state: runState(snapshot, replay, options.live ?? false),
    objectiveNames: names,
    objectiveMeanings: names.map((name) => objectiveMeaning(snapshot.config, name)),
    counts: { proposed, evaluated: scored + rejected, scored, rejected, cacheHits, pending },
    scatter,
    progress,
    rate: rateSeries(replay),
    diversity: diversitySeries(replay),
    funnel: rejectionFunnel(outcomes),
    front,
    frontOmitted: Math.max(0, frontMembers.length - front.length),
    frontSize: frontMembers.length,
    promotion,
    levelCosts: promotion !== null ? levelCosts(replay, promotion.levels) : null,
    rerank,
    ...(snapshot.config ? { config: snapshot.config } : {}),
    ...(snapshot.rawConfig !== undefined ? { rawConfig: snapshot.rawConfig } : {}),
    ...(snapshot.manifest ? { manifest: snapshot.manifest } : {}),
    computeMs: replay.computeMs,
    workerIds: [...replay.workerIds],
    problems,
    verdict: verdicts?.verdict ?? null,
    levelVerdict: verdicts?.atLevel ?? null,
    topLevel: topLevelTable(records),
  };
}

/** The replay's ranking, or null when the journal cannot be ranked (mixed numbers of objectives: the report says so elsewhere). */
function rankingOf(replay: RunReplay): Ranking | null {
  try {
    return replay.ranking();
  } catch {
    return null;
  }
}

function objectiveNames(replay: RunReplay, config: RunConfig | undefined, k: number): string[] {
  const names = replay.objectiveNames;
  const fromConfig = config?.objective === 'proxy' ? config.evaluation?.architectures.map((a) => a.arch) : undefined;
  return Array.from({ length: k }, (_, m) => names?.[m] ?? fromConfig?.[m] ?? `obj${m + 1}`);
}

function objectiveMeaning(config: RunConfig | undefined, name: string): string {
  if (config?.objective === 'fast') return `similarity of the candidate's function to ${config.fast.target} on the "${name}" probe inputs (1 = the same function; no training)`;
  if (config?.objective === 'proxy') return `validation accuracy of the ${name.replace(/#\d+$/, '')} proxy network trained with the candidate as its norm-activation layer`;
  return `objective "${name}" (higher is better)`;
}

function runState(snapshot: RunSnapshot, replay: RunReplay, live: boolean): RunState {
  const { sessions, elapsedMs, lastEventAt, finished } = replay;
  const base = { sessions, elapsedMs, ...(lastEventAt ? { lastEventAt } : {}) };
  if (live) return { kind: 'running', ...base };
  let info: RunStateInfo | undefined;
  try {
    info = lockedRunState(snapshot.run.path, replay);
  } catch {
    info = undefined; // an unreadable lock: fall back on the journal alone
  }
  if (info?.state === 'running') return { kind: 'running', ...(info.holder ? { holder: describeRunState(info) } : {}), ...base };
  if (replay.outcomes.proposed === 0) return { kind: 'empty', ...base };
  if (finished !== undefined) return { kind: finished === 'interrupted' ? 'interrupted' : 'finished', finishReason: finished, ...base };
  return { kind: 'crashed', ...base };
}
