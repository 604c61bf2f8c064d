/** `evonorm search --config <file>` (new run) or `evonorm search --resume runs/<name>`. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
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
