/** The search's live progress line (stderr), from the loop's counters and the evolver state. */
import type { LoopCounters } from '../run/loop/search-loop.js';
import type { EvolverState } from '../search/evolver.js';
import { ETA_AFTER_RESULTS, type SearchProgress } from './search-progress.js';

/**
 * One line of live progress: counts, rejections by stage, best (level-0) objectives, front size,
 * promotions (with promotion levels), rate, ETA. With `recent`, rate and ETA come from the last
 * results (none before ETA_AFTER_RESULTS of them); without, from every proposal since `started`.
 */
export function progressLine(c: LoopCounters, state: EvolverState, started: number, budget: number | undefined, recent?: SearchProgress): string {
  const minutes = (Date.now() - started) / 60_000;
  const rate = recent ? recent.ratePerMinute() : minutes > 0 ? c.proposed / minutes : 0;
  const stages = Object.entries(c.rejectedByStage).map(([stage, n]) => `${stage} ${n}`).join(', ');
  const k = state.numObjectives ?? 0;
  // Before the first batch settles the hall of fame is empty: no best yet (not 0.000).
  const best = state.hallOfFame.length === 0 ? '' : Array.from({ length: k }, (_, m) => Math.max(...state.hallOfFame.map((h) => h.objectives?.[m] ?? 0), 0).toFixed(3)).join('/');
  // Candidates not finished yet: the budget less every result so far (earlier sessions' included).
  const remaining = budget !== undefined && rate > 0 ? Math.max(0, budget - state.nextId + (c.proposed - c.evaluated - c.rejected)) / rate : NaN;
  const eta = Number.isFinite(remaining) ? ` · ETA ${remaining < 1 ? '<1' : Math.round(remaining)} min` : recent ? ` · ETA after ${ETA_AFTER_RESULTS} results` : '';
  const rateText = Number.isFinite(rate) ? ` · ${rate.toFixed(1)} cand/min` : '';
  const promotions = c.promotions !== undefined ? ` · promotions ${c.promotions}` : '';
  return `proposed ${c.proposed} · scored ${c.evaluated} · rejected ${c.rejected}${stages ? ` (${stages})` : ''} · cache hits ${c.cacheHits} · best ${best || '-'} · front ${c.front}${promotions}${rateText}${eta}`;
}
