/**
 * The run's candidates as the journal tells them: each `proposed` event joined with its first
 * `evaluated` event, then Pareto-ranked (src/search/pareto.ts) over the scored ones.
 */
import type { Evaluation } from '../evaluate/types.js';
import { nonDominatedSort, paretoFront } from '../search/pareto.js';
import { EvonormError } from '../util/errors.js';
import type { EvaluatedEvent, JournalEvent, ProposedEvent } from './events.js';

/** One candidate: its proposal, and its evaluation once there is one. */
export interface CandidateRecord {
  readonly proposed: ProposedEvent;
  /** The first `evaluated` event of this id; undefined while pending. */
  readonly evaluated?: EvaluatedEvent;
}

/** A scored candidate's place in the non-dominated sort. */
export interface RankedCandidate {
  readonly record: CandidateRecord;
  readonly objectives: readonly number[];
  /** 0 for the Pareto front, 1 for the next layer, and so on. */
  readonly rank: number;
}

export interface Ranking {
  /** Every scored candidate with its rank, by id. */
  readonly ranked: RankedCandidate[];
  /**
   * The Pareto front, one candidate per fingerprint (the earliest id; the hash stands in for a
   * missing fingerprint), ordered by the first objective (best first), then id.
   */
  readonly front: RankedCandidate[];
}

/** Joins proposals and evaluations by id, in id order. EvonormError('BAD_RUN') for an evaluation of an unproposed id. */
export function joinCandidates(events: readonly JournalEvent[]): CandidateRecord[] {
  const byId = new Map<number, { proposed: ProposedEvent; evaluated?: EvaluatedEvent }>();
  for (const event of events) {
    if (event.type === 'proposed') {
      if (!byId.has(event.id)) byId.set(event.id, { proposed: event });
    } else if (event.type === 'evaluated') {
      const record = byId.get(event.id);
      if (record === undefined) {
        throw new EvonormError('BAD_RUN', `journal: candidate ${event.id} was evaluated but never proposed`);
      }
      record.evaluated ??= event;
    }
  }
  return [...byId.values()].sort((a, b) => a.proposed.id - b.proposed.id);
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
  const ranked = scored.flatMap((s, i) => (rankOf[i] >= 0 ? [{ ...s, rank: rankOf[i] }] : []));
  const byKey = new Map(ranked.map((c) => [c.record.proposed.id, c]));
  const front = distinctFront(ranked.filter((c) => c.rank === 0).map((c) => frontPoint(c.record.proposed.id, c.record.evaluated?.fingerprint ?? null, c.record.proposed.hash, c.objectives)))
    .map((p) => byKey.get(p.id)!)
    .sort((a, b) => b.objectives[0] - a.objectives[0] || a.record.proposed.id - b.record.proposed.id);
  return { ranked, front };
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
 * THE definition of a run's Pareto front, used by `status`, `export` and the live progress line:
 * the non-dominated points (maximisation, src/search/pareto.ts), one per functional identity
 * (the earliest id), in id order. Since dominance is transitive, the front of (old front ∪ new
 * points) is the front of everything, so it can be kept up to date one result at a time.
 */
export function distinctFront<P extends FrontPoint>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.id - b.id);
  const seen = new Set<string>();
  return paretoFront(sorted.map((p) => p.objectives)).map((i) => sorted[i]).sort((a, b) => a.id - b.id).filter((p) => {
    if (seen.has(p.key)) return false;
    seen.add(p.key);
    return true;
  });
}
