/**
 * What each promotion level cost a run, from its journal (issue 17: the price of the funnel):
 * per level, the evaluations made (cache hits apart) and the CPU time of their networks'
 * trainings, as each training journaled it (`archs[].cpuMs`, the training thread's CPU clock).
 * Level 0 is each candidate's evaluation, level ℓ ≥ 1 its promotion's evaluation at ℓ, as the
 * replay keeps them (the first per candidate and level: a resumed run may repeat one). The probes that
 * reject a candidate before it trains journal no CPU time and are not in it, so level 0's figure
 * is its trainings', not its whole cost.
 */
import type { EvaluatedEvent, JournalEvent, PromotionEvaluatedEvent } from '../journal/events.js';
import { asReplay, type RunReplay } from './replay.js';

/** One level's cost. */
export interface LevelCost {
  readonly level: number;
  /** Evaluations run at this level (not cache hits). */
  readonly evaluated: number;
  /** Evaluations at this level taken from the cache. */
  readonly cached: number;
  /** Σ training CPU time of the evaluations run, in ms (a timing). */
  readonly trainingCpuMs: number;
  /** Trainings with no CPU time journaled (journals from before it was recorded): their time is missing from trainingCpuMs. */
  readonly trainingsWithoutCpu: number;
}

/** The cost of each level 0..L (L = the highest level seen, at least `levels`), in level order. */
export function levelCosts(source: readonly JournalEvent[] | RunReplay, levels = 0): LevelCost[] {
  const evaluations: (EvaluatedEvent | PromotionEvaluatedEvent)[] = asReplay(source).records.flatMap((r) => [...(r.evaluated ? [r.evaluated] : []), ...(r.promotions ?? [])]);
  const levelOf = (e: EvaluatedEvent | PromotionEvaluatedEvent) => (e.type === 'promotion-evaluated' ? e.level : 0);
  const top = Math.max(levels, ...evaluations.map(levelOf));
  const costs = Array.from({ length: top + 1 }, (_, level) => ({ level, evaluated: 0, cached: 0, trainingCpuMs: 0, trainingsWithoutCpu: 0 }));
  for (const e of evaluations) {
    const cost = costs[levelOf(e)];
    if (e.cached) {
      cost.cached++;
      continue;
    }
    cost.evaluated++;
    for (const arch of e.evaluation.archs ?? []) {
      if (arch.cpuMs === undefined) cost.trainingsWithoutCpu++;
      else cost.trainingCpuMs += arch.cpuMs;
    }
  }
  return costs;
}

/** One line for people, e.g. "training CPU by level: 0: 1.2 h (122 evaluated, 27 cached), 1: 0.3 h (17), 2: 1.0 h (14); 53% above level 0". */
export function describeLevelCosts(costs: readonly LevelCost[]): string {
  const total = costs.reduce((sum, c) => sum + c.trainingCpuMs, 0);
  const hours = (ms: number) => `${(ms / 3_600_000).toFixed(ms < 360_000 ? 2 : 1)} h`;
  const parts = costs.map((c) => `${c.level}: ${hours(c.trainingCpuMs)} (${c.evaluated} evaluated${c.cached > 0 ? `, ${c.cached} cached` : ''})`);
  const above = total > 0 ? `; ${Math.round((100 * (total - (costs[0]?.trainingCpuMs ?? 0))) / total)}% above level 0` : '';
  const missing = costs.reduce((sum, c) => sum + c.trainingsWithoutCpu, 0);
  return `training CPU by level: ${parts.join(', ')}${above}${missing > 0 ? ` (${missing} training${missing === 1 ? '' : 's'} journaled no CPU time, not counted)` : ''}`;
}
