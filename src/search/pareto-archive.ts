/**
 * THE archive of a run's non-dominated members: the evolver's hall of fame, the front that
 * `status`, `export`, readRun and the report show, the search loop's live front size and the
 * report's front over time are all this one rule, differing only in what identity means (the
 * evolver: the canonical hash; readers of the journal: the fingerprint, else the hash).
 *
 *   archive(S) = the members of S no member of S dominates (maximisation, pareto.ts; a
 *                non-finite or missing score is never in it), one per identity key (the
 *                earliest id), in id order
 *
 * Since dominance is transitive, archive(archive(S) ∪ T) = archive(S ∪ T) up to the choice
 * between members of one key, so the archive can be kept up to date one result at a time.
 */
import { dominates, paretoFront, type ObjectivePoint } from './pareto.js';

/** What the archive needs of a member: its id and its scores (null when it has none). */
export interface ArchiveMember {
  readonly id: number;
  readonly objectives: ObjectivePoint | null;
}

/** The archive of `members` (see the module comment). */
export function paretoArchive<M extends ArchiveMember>(members: readonly M[], keyOf: (m: M) => string): M[] {
  const sorted = members.filter((m) => m.objectives !== null).sort((a, b) => a.id - b.id);
  const seen = new Set<string>();
  return paretoFront(sorted.map((m) => m.objectives!)).map((i) => sorted[i]).filter((m) => {
    const key = keyOf(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * paretoArchive(archive ∪ {member}) for an `archive` that is one already: unchanged, without
 * recomputing, when a member dominates the newcomer (the common case in a long search).
 */
export function addToArchive<M extends ArchiveMember>(archive: readonly M[], member: M, keyOf: (m: M) => string): M[] {
  const p = member.objectives;
  if (p === null || archive.some((a) => dominates(a.objectives!, p))) return [...archive];
  return paretoArchive([...archive, member], keyOf);
}
