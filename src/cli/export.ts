/** `evonorm export <run> [--out DIR]`: the Pareto-front layers as JSON graphs, and a CSV of all. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { exportRun } from '../run/export.js';
import { assertFolderOrAbsent } from './paths.js';

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('write the Pareto-front layers (JSON graphs with objectives and provenance) and candidates.csv')
    .argument('<run>', 'the run folder')
    .option('-o, --out <dir>', 'output folder (default: <run>/export)')
    .action((path: string, opts: { out?: string }) => {
      if (opts.out !== undefined) assertFolderOrAbsent(opts.out, '--out');
      const { files } = exportRun(path, opts.out);
      ctx.io.stdout(`${files.join('\n')}\n`);
    });
}
