/**
 * `evonorm export <run> [--out DIR] [--format json|pytorch|keras|tfjs]`: the Pareto-front layers
 * as JSON graphs and a CSV of all candidates (always), plus, for a code format, one source file
 * per front layer in `<out>/<format>/`.
 */
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import type { CommandContext } from './context.js';
import { assertFolderOrAbsent } from './paths.js';
import { removeStaleTemporaries } from '../util/stale-temporaries.js';
import { EXPORT_FORMATS, parseFormat } from '../export/index.js';
import { version } from './version.js';

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description('write the Pareto-front layers (JSON graphs with objectives and provenance) and candidates.csv; with --format, also their code')
    .argument('<run>', 'the run folder')
    .option('-o, --out <dir>', 'output folder (default: <run>/export)')
    .option('-f, --format <format>', `json, or code of every front layer in <out>/<format>/: ${EXPORT_FORMATS.slice(1).join(', ')}`, 'json')
    .action(async (path: string, opts: { out?: string; format: string }) => {
      // Loaded when the command runs, not at start-up (src/cli/main.ts).
      const [{ exportRun }, { openRunDir, readConfig, runDirAt }, { writeFrontCode }, { layerOptionsOfConfig }] = await Promise.all([
        import('../run/export/export-run.js'), import('../run/folder/run-dir.js'), import('../export/front-code.js'), import('../export/layer-source.js'),
      ]);
      const format = parseFormat(opts.format, EXPORT_FORMATS);
      if (opts.out !== undefined) assertFolderOrAbsent(opts.out, '--out');
      // Exports killed midway left their staging folder beside the output: remove those.
      removeStaleTemporaries(dirname(resolve(opts.out ?? runDirAt(path).exportPath)), 'writing');
      const { files } = exportRun(path, opts.out);
      if (format !== 'json') {
        const run = openRunDir(path);
        const out = resolve(opts.out ?? run.exportPath);
        files.push(...writeFrontCode(out, format, { layerOptions: layerOptionsOfConfig(readConfig(run)), version: version() }));
      }
      ctx.io.stdout(`${files.join('\n')}\n`);
    });
}
