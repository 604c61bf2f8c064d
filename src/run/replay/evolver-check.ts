/**
 * Checks a checkpoint's evolver state before a resume trusts it: its shape (the evolver's own zod
 * schema, src/search/state-schema.ts, whose types the evolver uses), its settings
 * (the evolver's own validation), every graph (valid, within the node limit, matching its hash)
 * and its bookkeeping (ids below nextId, a population no larger than P, no family over the
 * family cap when there is one, K objectives each; promoted candidates and open promotions within
 * the promotion levels, each at the level after its highest).
 * Anything wrong is EvonormError('BAD_RUN') naming the first problem.
 */
import { canonicalHash } from '../../graph/canonical.js';
import { validateGraph } from '../../graph/validate.js';
import type { LayerGraph } from '../../graph/types.js';
import { evolverOptions, type EvolverSettings, type EvolverState } from '../../search/evolver.js';
import { EvolverStateSchema } from '../../search/state-schema.js';
import { familyCounts, familyLimit } from '../../search/family-cap.js';
import { EvonormError, isEvonormError } from '../../util/errors.js';

/** Returns `value` as an EvolverState when it is a sound one; else EvonormError('BAD_RUN') with `where` and the reason. */
export function checkEvolverState(value: unknown, where = 'checkpoint.json'): EvolverState {
  const bad = (reason: string): never => {
    throw new EvonormError('BAD_RUN', `${where}: the evolver state is not sound: ${reason}`);
  };
  const parsed = EvolverStateSchema.safeParse(value);
  if (!parsed.success) {
    // One line naming the field (a caller may keep only an error's first line).
    const issue = parsed.error.issues[0];
    bad(`${issue && issue.path.length > 0 ? issue.path.join('.') : 'the state'}: ${issue?.message ?? 'not an evolver state'}`);
  }
  // The value itself, not parsed.data: the schema has no defaults and strips nothing (its objects
  // are strict), but what a resume writes back must be what the checkpoint held, byte for byte.
  const state = value as EvolverState;
  try {
    evolverOptions(state.options as EvolverSettings);
  } catch (err) {
    if (!isEvonormError(err)) throw err;
    bad(err.message);
  }
  const { populationSize, space } = state.options;
  const checkGraph = (graph: LayerGraph, label: string, hash?: string): void => {
    const issues = validateGraph(graph, { maxNodes: space.maxNodes });
    if (issues.length > 0) bad(`${label}: ${issues[0].message}`);
    if (hash !== undefined && canonicalHash(graph) !== hash) bad(`${label}: its graph does not match its hash ${hash.slice(0, 12)}`);
  };
  state.seeds.forEach((graph, i) => checkGraph(graph, `seed ${i}`));
  const groups = [
    ['population', state.population], ['pending', state.pending], ['hall of fame', state.hallOfFame],
    ['promoted', state.leveled ?? []], ['promoting', (state.promoting ?? []).map((o) => o.candidate)], ['references', state.references ?? []],
  ] as const;
  for (const [name, members] of groups) {
    for (const member of members) {
      if (member.id >= state.nextId) bad(`${name} member ${member.id} is not below nextId ${state.nextId}`);
      checkGraph(member.graph, `${name} member ${member.id}`, member.hash);
      const objectives = 'objectives' in member ? (member.objectives as readonly number[] | null) : null;
      if (objectives !== null && state.numObjectives !== null && objectives.length !== state.numObjectives) {
        bad(`${name} member ${member.id} has ${objectives.length} objective(s), the run has ${state.numObjectives}`);
      }
    }
  }
  if (state.population.length > populationSize) bad(`the population has ${state.population.length} members, more than populationSize ${populationSize}`);
  const limit = familyLimit(state.options.familyCap, populationSize);
  const [largest] = familyCounts(state.population.map((m) => m.graph));
  if (limit !== null && largest !== undefined && largest[1] > limit) {
    bad(`family ${largest[0]} holds ${largest[1]} members of the population, more than the family cap allows (${limit})`);
  }
  checkLevels(state, bad);
  if (state.counts.proposed !== state.nextId) bad(`it counts ${state.counts.proposed} proposals but nextId is ${state.nextId}`);
  const pendingIds = new Set(state.pending.map((c) => c.id));
  const stray = state.received.find((r) => !pendingIds.has(r.id));
  if (stray) bad(`a result for candidate ${stray.id}, which is not pending`);
  return state;
}

/** Promoted candidates and open promotions: only with promotion levels, within them, K scores per level, each order one level up. */
function checkLevels(state: EvolverState, bad: (reason: string) => never): void {
  const top = state.options.promotion?.levels;
  const leveled = state.leveled ?? [];
  const promoting = state.promoting ?? [];
  if (top === undefined) {
    if (leveled.length > 0 || promoting.length > 0) bad('it has promoted candidates but no promotion levels');
    return;
  }
  for (const m of leveled) {
    if (m.levels.length - 1 > top) bad(`promoted candidate ${m.id} is at level ${m.levels.length - 1}, above the top level ${top}`);
    if (m.levels.some((p) => p.length !== m.levels[0].length)) bad(`promoted candidate ${m.id} has levels with different numbers of objectives`);
  }
  const referenceIds = state.options.promotion?.references ?? [];
  const stranger = (state.references ?? []).find((r) => !referenceIds.includes(r.id) || r.objectives === null);
  if (stranger) bad(`candidate ${stranger.id} is kept as a reference layer but is not a scored reference (references: [${referenceIds.join(', ')}])`);
  const levelOf = new Map(leveled.map((m) => [m.id, m.levels.length - 1]));
  for (const order of promoting) {
    if (order.id !== order.candidate.id) bad(`the promotion of candidate ${order.id} carries candidate ${order.candidate.id}`);
    const at = levelOf.get(order.id) ?? 0;
    if (order.level !== at + 1 || order.level > top) bad(`candidate ${order.id} at level ${at} is promoted to level ${order.level} (top ${top})`);
  }
}
