/** `evonorm status <run>`: progress, rejections by reason, the current Pareto front. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';

export function registerStatus(program: Command, ctx: CommandContext): void {
  program
    .command('status')
    .description('show a run: progress, rejection counts by reason, the current front')
    .argument('<run>', 'the run folder, e.g. runs/quick-20261127-101500')
    .option('--json', 'print the summary as JSON')
    .action(async (path: string, opts: { json?: boolean }) => {
      const { printStatus } = await import('./status-action.js'); // loaded when the command runs, not at start-up
      printStatus(path, opts, ctx);
    });
}
