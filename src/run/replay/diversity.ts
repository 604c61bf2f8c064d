/**
 * How diverse the population is over time, read from the journal (issue 17): at each settle
 * point, the share of the population held by its largest structural family (src/graph/family.ts,
 * e.g. `tanh∘div`) and the number of distinct functions in it (fingerprints; a member rejected
 * before it had one counts by its canonical hash, as the front does).
 *
 *   for each `generation` event that records the population (ids, oldest first), in file order:
 *     x ← distinct candidates evaluated so far
 *     skip it when x is not above the last point's (a resumed batch run settles again the
 *       batches after its checkpoint, with the same population)
 *     point ← (batch, x, size, largest family and its share, families, distinct functions)
 *
 * The population is recorded by the search loop rather than replayed here: who ages out depends
 * on the evolver's settings (a family cap, rejected members joining or not), which the evolver
 * alone applies; a replay would be a second copy of that rule that could drift from it.
 * Journals written before the field existed have no points.
 */
import { structuralFamily } from '../../graph/family.js';
import { graphFromJson } from '../../graph/json.js';
import { parseExpression } from '../../graph/parse.js';
import type { JournalEvent, ProposedEvent } from '../journal/events.js';
import { asReplay, type RunReplay } from './replay.js';

/** The diversity of one population. */
export interface PopulationDiversity {
  /** Members. */
  readonly size: number;
  /** The family with the most members (ties: the first by name); null for an empty population. */
  readonly largestFamily: string | null;
  /** Its members. */
  readonly largestCount: number;
  /** largestCount / size, in [0, 1]; 0 for an empty population. */
  readonly largestShare: number;
  /** Distinct families. */
  readonly families: number;
  /** Distinct functions (fingerprint, else `hash:<canonical hash>`). */
  readonly distinctFunctions: number;
  /** Members with a score (rejected ones join too unless search.rejectedJoinPopulation is false). */
  readonly scored: number;
}

/** One settle point of the series. */
export interface DiversityPoint extends PopulationDiversity {
  /** The settled batch. */
  readonly batch: number;
  /** Distinct candidates evaluated when it settled (the x axis). */
  readonly evaluated: number;
}

export interface DiversitySummary {
  /** One point per settle point that recorded the population, in journal order. */
  readonly series: DiversityPoint[];
  /** The population now (the last point); null when no settle point recorded one. */
  readonly latest: DiversityPoint | null;
  /** The latest population's families, largest first (ties by name), at most 5. */
  readonly topFamilies: { readonly family: string; readonly count: number }[];
  /** Settle points whose generation event did not record the population (journals older than the measure). */
  readonly unrecorded: number;
}

/** One member as the measure sees it: its family and its function. */
export interface DiversityMember {
  readonly family: string;
  readonly fn: string;
  readonly scored: boolean;
}

/** The diversity of `members` (see PopulationDiversity). */
export function populationDiversity(members: readonly DiversityMember[]): PopulationDiversity {
  const [largest] = rankFamilies(members);
  return {
    size: members.length,
    largestFamily: largest?.family ?? null,
    largestCount: largest?.count ?? 0,
    largestShare: members.length > 0 ? (largest?.count ?? 0) / members.length : 0,
    families: new Set(members.map((m) => m.family)).size,
    distinctFunctions: new Set(members.map((m) => m.fn)).size,
    scored: members.filter((m) => m.scored).length,
  };
}

/** The diversity series of a run's settle points (see the module comment), from its replay (src/run/replay/replay.ts) or its events. */
export function diversitySeries(source: readonly JournalEvent[] | RunReplay): DiversitySummary {
  const { byId, settlePoints, unrecordedSettles } = asReplay(source);
  const families = new Map<number, string>();
  const memberOf = (id: number): DiversityMember | null => {
    const record = byId.get(id);
    if (record === undefined) return null;
    let family = families.get(id);
    if (family === undefined) {
      family = familyOfProposal(record.proposed);
      families.set(id, family);
    }
    return { family, fn: record.evaluated?.fingerprint ?? `hash:${record.proposed.hash}`, scored: record.evaluated?.evaluation.status === 'ok' };
  };
  const series: DiversityPoint[] = [];
  let lastMembers: DiversityMember[] = [];
  for (const point of settlePoints) {
    if (series.length > 0 && point.evaluated <= series[series.length - 1].evaluated) continue;
    lastMembers = point.population.flatMap((id) => memberOf(id) ?? []);
    series.push({ batch: point.batch, evaluated: point.evaluated, ...populationDiversity(lastMembers) });
  }
  return { series, latest: series.at(-1) ?? null, topFamilies: series.length > 0 ? rankFamilies(lastMembers).slice(0, 5) : [], unrecorded: unrecordedSettles };
}

/** Families by member count, largest first, ties by name (code-unit order). */
function rankFamilies(members: readonly DiversityMember[]): { family: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.family, (counts.get(m.family) ?? 0) + 1);
  return [...counts].map(([family, count]) => ({ family, count })).sort((a, b) => b.count - a.count || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
}

/** The family of a proposal's graph (its JSON graph, else its expression); '?' if it cannot be read. */
function familyOfProposal(p: ProposedEvent): string {
  try {
    return structuralFamily(p.graph !== undefined ? graphFromJson(p.graph, { maxNodes: Number.MAX_SAFE_INTEGER }) : parseExpression(p.expression));
  } catch {
    return '?';
  }
}
