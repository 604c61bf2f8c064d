/** `evonorm search --config <file>` (new run) or `evonorm search --resume runs/<name>`. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import type { LoopCounters } from '../run/loop/search-loop.js';
import type { EvolverState } from '../search/evolver.js';
import { ETA_AFTER_RESULTS, type SearchProgress } from './search-progress.js';
import { integerIn, MAX_CANDIDATES, parseRunName, parseWorkers } from './options.js';
import { MAX_WORKERS } from '../config/limits.js';

export interface SearchOptions {
  config?: string;
  resume?: string;
  name?: string;
  runsDir: string;
  workers?: number | 'inline';
  maxCandidates?: number;
  json?: boolean;
}

export function registerSearch(program: Command, ctx: CommandContext): void {
  program
    .command('search')
    .description('evolve layers: tournament selection over the Pareto front, rejection protocols, proxy trainings; resumable')
    .option('-c, --config <file>', 'run config (JSON with comments), e.g. configs/quick.json')
    .option('-r, --resume <run>', 'continue the run in this folder (after a crash, Ctrl-C or a finished budget)')
    .option('-n, --name <name>', 'run folder name under --runs-dir (default: <config>-<date>-<time>)', parseRunName)
    .option('--runs-dir <dir>', 'where run folders go', 'runs')
    .option('-w, --workers <n>', `worker threads (1 to ${MAX_WORKERS}), or "inline" (overrides the config)`, parseWorkers)
    .option('--max-candidates <n>', 'candidate budget (overrides the config; raise it to extend a run)', integerIn(1, MAX_CANDIDATES))
    .option('--json', 'print the final summary as JSON')
    .action(async (opts: SearchOptions) => {
      const { runSearchCommand } = await import('./search-action.js'); // loaded when the command runs, not at start-up
      await runSearchCommand(opts, ctx);
    });
}

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
