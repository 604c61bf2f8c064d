/**
 * What each promotion level cost a run, from its journal (issue 17: the price of the funnel):
 * per level, the evaluations made (cache hits apart) and the CPU time of their networks'
 * trainings, as each training journaled it (`archs[].cpuMs`, the training thread's CPU clock).
 * Level 0 is every `evaluated` event, level ℓ ≥ 1 every `promotion-evaluated` event at ℓ; the
 * first event per candidate and level counts (a resumed run may repeat one). The probes that
 * reject a candidate before it trains journal no CPU time and are not in it, so level 0's figure
 * is its trainings', not its whole cost.
 */
import type { JournalEvent } from '../journal/events.js';

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
export function levelCosts(events: readonly JournalEvent[], levels = 0): LevelCost[] {
  const seen = new Set<string>();
  const top = Math.max(levels, ...events.map((e) => (e.type === 'promotion-evaluated' ? e.level : 0)));
  const costs = Array.from({ length: top + 1 }, (_, level) => ({ level, evaluated: 0, cached: 0, trainingCpuMs: 0, trainingsWithoutCpu: 0 }));
  for (const e of events) {
    if (e.type !== 'evaluated' && e.type !== 'promotion-evaluated') continue;
    const level = e.type === 'evaluated' ? 0 : e.level;
    const key = `${e.id}@${level}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cost = costs[level];
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
