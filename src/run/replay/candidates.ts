/**
 * The run's candidates as the journal's replay (src/run/replay/replay.ts) joins them: each `proposed`
 * event with its first `evaluated` event (and, with promotion levels, its first
 * `promotion-evaluated` event per level), then Pareto-ranked (src/search/pareto.ts) over the scored ones. The front is the run's: with
 * promotions, the leveled front of src/search/levels.ts (leveledRunFront), whose pairs are
 * compared at the highest level both were measured at.
 */
import type { Evaluation } from '../../evaluate/types.js';
import { canonicalHash } from '../../graph/canonical.js';
import { graphFromJson } from '../../graph/json.js';
import { parseExpression } from '../../graph/parse.js';
import type { LayerGraph } from '../../graph/types.js';
import { leveledRunFront, type RunFrontMember } from '../../search/levels.js';
import { nonDominatedSort, type ObjectivePoint } from '../../search/pareto.js';
import { paretoArchive } from '../../search/pareto-archive.js';
import { EvonormError } from '../../util/errors.js';
import type { EvaluatedEvent, PromotionEvaluatedEvent, ProposedEvent } from '../journal/events.js';

/** One candidate: its proposal, and its evaluation once there is one. */
export interface CandidateRecord {
  readonly proposed: ProposedEvent;
  /** The first `evaluated` event of this id; undefined while pending. */
  readonly evaluated?: EvaluatedEvent;
  /** Its promotions' evaluations, the first per level, by level; absent when never promoted. */
  readonly promotions?: readonly PromotionEvaluatedEvent[];
}

/** A scored candidate's place in the non-dominated sort. */
export interface RankedCandidate {
  readonly record: CandidateRecord;
  readonly objectives: readonly number[];
  /** 0 for the Pareto front, 1 for the next layer, and so on (of the level-0 objectives). */
  readonly rank: number;
  /** With promotions only: its objectives per level passed (`[0]` = objectives) and the level that rejected it, if one did. */
  readonly levels?: CandidateLevels;
}

/** A promoted candidate's scores per level. */
export interface CandidateLevels {
  /** `[0]` its objectives, `[ℓ]` its objectives at level ℓ: every level it passed, in order. */
  readonly scores: readonly ObjectivePoint[];
  /** The promotion evaluations behind `scores[1..]` (then the rejecting one, if any), by level. */
  readonly evaluations: readonly PromotionEvaluatedEvent[];
  /** The level whose evaluation rejected it; null when none did. */
  readonly failedAt: number | null;
}

export interface Ranking {
  /** Every scored candidate with its rank, by id. */
  readonly ranked: RankedCandidate[];
  /**
   * The Pareto front, one candidate per fingerprint (the earliest id; the hash stands in for a
   * missing fingerprint), ordered by the first objective (best first), then id. With promotions,
   * the leveled front (src/search/levels.ts leveledRunFront).
   */
  readonly front: RankedCandidate[];
  /** The Pareto front of the level-0 objectives alone (the cheap score's front), ordered as `front`; `front` itself without promotions. */
  readonly baseFront: RankedCandidate[];
  /** With promotions only (null otherwise): what they did. */
  readonly promotion: PromotionCounts | null;
}

/** What the promotions of a run did, for status, export and the report. */
export interface PromotionCounts {
  /** Candidates evaluated at each level above 0 (`[ℓ − 1]` for level ℓ), rejected ones included. */
  readonly evaluated: readonly number[];
  /** Of those, rejected at that level. */
  readonly rejected: readonly number[];
  /**
   * Ids of the cheap score's front winners (baseFront) that are not on the front: the ones that
   * did not survive their promotion (or a rival's), by id.
   */
  readonly dropped: readonly number[];
}

/** The graph a proposal recorded (its JSON graph, else its parsed expression); EvonormError('BAD_RUN') when it does not match its hash. */
export function proposedGraph(p: ProposedEvent): LayerGraph {
  const graph = p.graph !== undefined ? graphFromJson(p.graph, { maxNodes: Number.MAX_SAFE_INTEGER }) : parseExpression(p.expression);
  if (canonicalHash(graph) !== p.hash) {
    throw new EvonormError('BAD_RUN', `journal: the graph of candidate ${p.id} does not match its hash ${p.hash.slice(0, 12)}`);
  }
  return graph;
}

/** Adds a promotion's evaluation to a record being joined: the first per level, kept in level order. */
export function addPromotion(record: { promotions?: readonly PromotionEvaluatedEvent[] }, event: PromotionEvaluatedEvent): void {
  const known = record.promotions ?? [];
  if (known.some((p) => p.level === event.level)) return;
  record.promotions = [...known, event].sort((a, b) => a.level - b.level);
}

/**
 * A scored candidate's scores per level: its objectives, then each promotion level's in order
 * while they were scored with K objectives; the first rejected one (or a gap) ends the climb.
 */
export function levelsOf(objectives: readonly number[], promotions: readonly PromotionEvaluatedEvent[]): CandidateLevels {
  const scores: ObjectivePoint[] = [objectives];
  const evaluations: PromotionEvaluatedEvent[] = [];
  for (const p of promotions) {
    if (p.level !== scores.length) break;
    evaluations.push(p);
    if (p.evaluation.status !== 'ok' || p.evaluation.objectives.length !== objectives.length) return { scores, evaluations, failedAt: p.level };
    scores.push(p.evaluation.objectives);
  }
  return { scores, evaluations, failedAt: null };
}

/** The evaluation of a record, if it has one. */
export function evaluationOf(record: CandidateRecord): Evaluation | undefined {
  return record.evaluated?.evaluation;
}

/**
 * Ranks the scored candidates by non-dominated sorting (maximisation) and picks the front.
 * EvonormError('BAD_RUN') when scored candidates have different numbers of objectives.
 */
export function rankCandidates(records: readonly CandidateRecord[]): Ranking {
  const scored = records.flatMap((record) => {
    const e = record.evaluated?.evaluation;
    return e?.status === 'ok' ? [{ record, objectives: e.objectives }] : [];
  });
  const k = scored[0]?.objectives.length;
  const odd = scored.find((s) => s.objectives.length !== k);
  if (odd) {
    throw new EvonormError(
      'BAD_RUN',
      `journal: candidate ${odd.record.proposed.id} has ${odd.objectives.length} objectives, candidate ${scored[0].record.proposed.id} has ${k}`,
    );
  }
  const rankOf = new Array<number>(scored.length).fill(-1);
  nonDominatedSort(scored.map((s) => s.objectives)).forEach((layer, rank) => {
    for (const i of layer) rankOf[i] = rank;
  });
  const ranked: RankedCandidate[] = scored.flatMap((s, i) => {
    if (rankOf[i] < 0) return [];
    const promotions = s.record.promotions ?? [];
    return [{ ...s, rank: rankOf[i], ...(promotions.length > 0 ? { levels: levelsOf(s.objectives, promotions) } : {}) }];
  });
  const byKey = new Map(ranked.map((c) => [c.record.proposed.id, c]));
  const point = (c: RankedCandidate): LeveledPoint => leveledPoint(frontPoint(c.record.proposed.id, c.record.evaluated?.fingerprint ?? null, c.record.proposed.hash, c.objectives), c.levels);
  const bestFirst = (a: RankedCandidate, b: RankedCandidate): number => b.objectives[0] - a.objectives[0] || a.record.proposed.id - b.record.proposed.id;
  const base = distinctFront(ranked.filter((c) => c.rank === 0).map(point));
  const baseFront = base.map((p) => byKey.get(p.id)!).sort(bestFirst);
  const promoted = ranked.filter((c) => c.levels !== undefined);
  if (promoted.length === 0) return { ranked, front: baseFront, baseFront, promotion: null };
  const unpromotedFront = distinctFront(ranked.filter((c) => c.levels === undefined).map(point));
  // Promoted members first, highest level first, each by its first objective at that level: the
  // most accurate measurement leads (a level-0 score would rank a cheap winner above a survivor).
  const top = (c: RankedCandidate): number => (c.levels?.scores.length ?? 1) - 1;
  const atTop = (c: RankedCandidate): number => c.levels?.scores[top(c)]?.[0] ?? c.objectives[0];
  const leveledFirst = (a: RankedCandidate, b: RankedCandidate): number => top(b) - top(a) || atTop(b) - atTop(a) || a.record.proposed.id - b.record.proposed.id;
  const front = runFront(unpromotedFront, promoted.map(point)).map((p) => byKey.get(p.id)!).sort(leveledFirst);
  const onFront = new Set(front.map((c) => c.record.proposed.id));
  const levels = Math.max(...promoted.map((c) => c.levels!.evaluations.at(-1)?.level ?? 0));
  const count = (level: number, rejected: boolean): number => promoted.filter((c) => c.levels!.evaluations.some((e) => e.level === level && (!rejected || e.evaluation.status !== 'ok'))).length;
  return {
    ranked, front, baseFront,
    promotion: {
      evaluated: Array.from({ length: levels }, (_, i) => count(i + 1, false)),
      rejected: Array.from({ length: levels }, (_, i) => count(i + 1, true)),
      dropped: baseFront.map((c) => c.record.proposed.id).filter((id) => !onFront.has(id)).sort((a, b) => a - b),
    },
  };
}

/** A front point with its scores per level (levels.ts RunFrontMember): the candidate's key, its levels, whether one rejected it. */
export interface LeveledPoint extends FrontPoint, RunFrontMember {}

/** The LeveledPoint of a front point: level 0 only, unless `levels` says more. */
export function leveledPoint(point: FrontPoint, levels?: CandidateLevels): LeveledPoint {
  return { ...point, levels: levels?.scores ?? [point.objectives], failed: (levels?.failedAt ?? null) !== null };
}

/**
 * THE definition of a run's front with promotions, used by `status`, `export`, the report and the
 * live progress line: levels.ts leveledRunFront over `base`, the level-0 front (distinctFront) of
 * the candidates never promoted, and every promoted candidate, one per functional identity; `base`
 * itself when nothing was promoted.
 */
export function runFront<P extends LeveledPoint>(base: readonly P[], promoted: readonly P[]): P[] {
  return leveledRunFront(base, promoted);
}

/** A scored candidate as the front sees it: id, identity key and objectives. */
export interface FrontPoint {
  readonly id: number;
  /** Functional identity: the fingerprint, else `hash:<canonical hash>` (see frontPoint). */
  readonly key: string;
  readonly objectives: readonly number[];
}

/** The FrontPoint of a scored candidate; a missing fingerprint falls back to the canonical hash. */
export function frontPoint(id: number, fingerprint: string | null, hash: string, objectives: readonly number[]): FrontPoint {
  return { id, key: fingerprint ?? `hash:${hash}`, objectives };
}

/**
 * A run's Pareto front as `status`, `export`, the report and the live progress line show it: the
 * archive of src/search/pareto-archive.ts (the evolver's hall of fame too), one member per
 * functional identity (the earliest id), in id order.
 */
export function distinctFront<P extends FrontPoint>(points: readonly P[]): P[] {
  return paretoArchive(points, (p) => p.key);
}
