/** How the report names a candidate's function (the replay, src/run/replay/replay.ts, joins the candidates). */
import type { CandidateRecord } from '../run/replay/candidates.js';

/** The key under which equal functions are one: the fingerprint, else the structural hash. */
export function functionKey(record: CandidateRecord): string {
  return record.evaluated?.fingerprint ?? `hash:${record.proposed.hash}`;
}
