/**
 * A candidate's lineage: the chain of parents back to where it began, a seed layer or a random
 * graph (or a mutation that fell back to a fresh random graph), with the mutation at each step.
 * The journal's `proposed` events record parentId, origin and mutation (kind, node, attempts,
 * fallback): that is all this reads. The evolver mutates one parent; there is no crossover.
 */
import { nodeName } from '../graph/names.js';
import { INPUT_COUNT } from '../graph/ops.js';
import type { CandidateRecord } from '../run/replay/candidates.js';

/** One generation of a lineage, oldest first. */
export interface LineageStep {
  readonly id: number;
  /** How this candidate arose: "seed layer", "random graph", or the mutation, e.g. "op mutation at v7". */
  readonly how: string;
  readonly expression: string;
  /** Objectives when it was scored; the rejection stage when it was rejected. */
  readonly objectives?: readonly number[];
  readonly rejected?: string;
}

export interface Lineage {
  /** Oldest first, ending with the candidate itself. */
  readonly steps: LineageStep[];
  /** Where the chain begins: "seed", "random", "fallback" (a failed mutation replaced by a random graph) or "unknown" (a parent missing from the journal). */
  readonly root: 'seed' | 'random' | 'fallback' | 'unknown';
  /** Number of mutations of each kind along the chain. */
  readonly mutations: Readonly<Record<string, number>>;
}

/** The lineage of candidate `id` (see the module comment); at most `maxDepth` steps are followed. */
export function lineageOf(id: number, byId: ReadonlyMap<number, CandidateRecord>, maxDepth = 100_000): Lineage {
  const steps: LineageStep[] = [];
  const mutations: Record<string, number> = {};
  const visited = new Set<number>();
  let root: Lineage['root'] = 'unknown';
  let current: number | null = id;
  while (current !== null && !visited.has(current) && steps.length < maxDepth) {
    visited.add(current);
    const record = byId.get(current);
    if (record === undefined) break;
    const p = record.proposed;
    steps.push({ id: p.id, how: describe(record), expression: p.expression, ...outcome(record) });
    if (p.origin !== 'mutation') {
      root = p.origin;
      break;
    }
    if (p.mutation?.fallback) {
      root = 'fallback';
      break;
    }
    if (p.mutation) mutations[p.mutation.kind] = (mutations[p.mutation.kind] ?? 0) + 1;
    current = p.parentId;
  }
  return { steps: steps.reverse(), root, mutations };
}

function describe(record: CandidateRecord): string {
  const p = record.proposed;
  if (p.origin === 'seed') return 'seed layer';
  if (p.origin === 'random') return 'random graph';
  const m = p.mutation;
  if (m === null) return `child of #${p.parentId}`;
  if (m.fallback) return `random graph (mutating #${p.parentId} failed ${m.attempts} times)`;
  return `${m.kind} mutation at ${nodeName(INPUT_COUNT + m.node)} of #${p.parentId}`;
}

function outcome(record: CandidateRecord): Pick<LineageStep, 'objectives' | 'rejected'> {
  const e = record.evaluated?.evaluation;
  if (e === undefined) return {};
  return e.status === 'ok' ? { objectives: e.objectives } : { rejected: e.stage };
}
