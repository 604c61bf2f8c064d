/** `evonorm report <run> [--out report.html]`: the run's self-contained HTML report. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';

export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('write the run\'s HTML report (Pareto front, progress, rejections, front layers; one file, opens offline)')
    .argument('<run>', 'the run folder, e.g. runs/quick-20261127-101500')
    .option('-o, --out <file>', 'output file (default: <run>/report.html)')
    .option('--json', 'print where it was written, its size and what is missing, as JSON')
    .action(async (path: string, opts: { out?: string; json?: boolean }) => {
      const { writeReport } = await import('../report/write-report.js'); // Vega and Graphviz: only when a report is written
      const result = await writeReport(path, opts.out ? { out: opts.out } : {});
      if (opts.json) return ctx.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      for (const problem of result.problems) ctx.io.stderr(`evonorm: partial report: ${problem}\n`);
      ctx.io.stdout(`${result.path}\n`);
    });
}
