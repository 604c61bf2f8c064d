/** Builders of journal events from the search's values, so every writer records the same fields. */
import { graphToJson } from '../../graph/json.js';
import { printExpression } from '../../graph/print.js';
import type { Candidate } from '../../search/candidate.js';
import type { JournalEventInput, ProposedEvent } from './events.js';

/** The `proposed` event of a candidate: ids, hash, printed expression and the exact JSON graph. */
export function proposedEvent(candidate: Candidate): Omit<ProposedEvent, 't'> & JournalEventInput {
  return {
    type: 'proposed',
    id: candidate.id,
    batch: candidate.batch,
    hash: candidate.hash,
    expression: printExpression(candidate.graph),
    graph: graphToJson(candidate.graph, { expression: false }),
    parentId: candidate.parentId,
    origin: candidate.origin,
    mutation: candidate.mutation,
  };
}
