/**
 * The run's candidates for the report: each `proposed` event joined with its first `evaluated`
 * event (and its first `promotion-evaluated` event per level). Unlike src/run/candidates.ts this never throws: an evaluation of an id the journal never
 * proposed (a corrupt or lost line) is counted and left out.
 */
import { addPromotion, type CandidateRecord } from '../run/candidates.js';
import type { JournalEvent, ProposedEvent, EvaluatedEvent, PromotionEvaluatedEvent } from '../run/events.js';

export interface JoinedCandidates {
  /** By id, in id order. */
  readonly records: CandidateRecord[];
  /** The same records by id. */
  readonly byId: ReadonlyMap<number, CandidateRecord>;
  /** Evaluations whose proposal is not in the journal. */
  readonly orphans: number;
}

/** Joins proposals and evaluations by id (see the module comment). */
export function joinForReport(events: readonly JournalEvent[]): JoinedCandidates {
  const byId = new Map<number, { proposed: ProposedEvent; evaluated?: EvaluatedEvent; promotions?: readonly PromotionEvaluatedEvent[] }>();
  let orphans = 0;
  for (const event of events) {
    if (event.type === 'proposed') {
      if (!byId.has(event.id)) byId.set(event.id, { proposed: event });
    } else if (event.type === 'evaluated') {
      const record = byId.get(event.id);
      if (record === undefined) orphans++;
      else record.evaluated ??= event;
    } else if (event.type === 'promotion-evaluated') {
      const record = byId.get(event.id);
      if (record === undefined) orphans++;
      else addPromotion(record, event);
    }
  }
  const records = [...byId.values()].sort((a, b) => a.proposed.id - b.proposed.id);
  return { records, byId, orphans };
}

/** The key under which equal functions are one: the fingerprint, else the structural hash. */
export function functionKey(record: CandidateRecord): string {
  return record.evaluated?.fingerprint ?? `hash:${record.proposed.hash}`;
}
