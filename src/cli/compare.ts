/** `evonorm compare <layer>... --config X`: known and found layers under one training protocol. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { EXIT } from '../util/errors.js';
import { progressPrinter } from './progress.js';
import { protocolDoneText, protocolProgressText } from './protocol-progress.js';

interface CompareCliOptions {
  config?: string;
  seeds: string;
  batchSizes?: string;
  baseline: string;
  lrScaling: string;
  json?: boolean;
  out?: string;
  workers?: string;
  backend?: string;
}

export function registerCompare(program: Command, ctx: CommandContext): void {
  program
    .command('compare')
    .description('train layers under one protocol (layer × architecture × batch size × seed) and compare them with a baseline: mean ± sd, paired 95% t intervals; resumable')
    .argument('<layers...>', 'zoo names, expressions in quotes, or .json graph files')
    .option('-c, --config <file>', 'run or evaluation config (JSON with comments); default: configs/quick.json')
    .option('--seeds <n>', 'seeds per layer, architecture and batch size', '5')
    .option('--batch-sizes <list>', 'comma-separated batch sizes, e.g. 64,8,2 (same images each: steps and lr scaled); default: the config\'s')
    .option('--baseline <layer>', 'the layer differences are taken to', 'bn-relu')
    .option('--lr-scaling <rule>', 'learning rate vs batch size: linear | sqrt | none', 'linear')
    .option('--json', 'print the summary as one JSON document')
    .option('-o, --out <dir>', 'results folder (default runs/compare-<config>-<digest>); rerun to resume')
    .option('--workers <n>', 'worker threads, or "inline" (overrides the config\'s dispatch)')
    .option('--backend <name>', 'tfjs backend: auto | tensorflow | wasm | cpu (overrides the config)')
    .action(async (layers: string[], opts: CompareCliOptions) => {
      // Loaded when the command runs, not at start-up (src/cli/main.ts).
      const [{ runCompare }, { batchSizeList, lrScaling, positiveInt }, { formatProtocolTable }, { defaultConfigPath }] = await Promise.all([
        import('../protocol/compare.js'), import('../protocol/inputs.js'), import('../protocol/format-table.js'), import('../config/evaluation-config.js'),
      ]);
      const seeds = positiveInt(opts.seeds, '--seeds');
      const batchSizes = opts.batchSizes !== undefined ? batchSizeList(opts.batchSizes) : undefined;
      const rule = lrScaling(opts.lrScaling);
      const progress = progressPrinter(ctx.io, 10_000);
      const result = await runCompare({
        layers, configPath: opts.config ?? defaultConfigPath(), seeds, batchSizes, baseline: opts.baseline, lrScaling: rule,
        out: opts.out, workers: opts.workers, backend: opts.backend, signal: ctx.signal,
        onStart: ({ outDir, trainings }) => ctx.io.stderr(`evonorm: compare: ${trainings} trainings, results in ${outDir} (run the same command again to resume)\n`),
        onProgress: (p) => progress.update(protocolProgressText('compare', p)),
      });
      progress.done();
      ctx.io.stderr(protocolDoneText('compare', result));
      ctx.io.stdout(opts.json ? `${JSON.stringify(result.summary, null, 2)}\n` : `${formatProtocolTable(result.summary)}\n`);
      if (result.interrupted) ctx.exit(EXIT.interrupted);
    });
}
