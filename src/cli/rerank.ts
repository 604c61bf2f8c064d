/** `evonorm rerank runs/<name>`: retrain the search's best layers and the baselines, score on held-out data. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { EXIT } from '../util/errors.js';
import { progressPrinter } from './progress.js';
import { reuseOption } from './options.js';
import { protocolDoneText, protocolProgressText } from './protocol-progress.js';

interface RerankCliOptions {
  top?: string;
  seeds?: string;
  config?: string;
  by?: string;
  baselines?: string;
  batchSizes?: string;
  lrScaling?: string;
  json?: boolean;
  workers?: string;
  reuse?: string[];
}

export function registerRerank(program: Command, ctx: CommandContext): void {
  program
    .command('rerank')
    .description('re-rank a finished search (the paper\'s step): its top layers and the baselines retrained longer at several seeds, scored on the held-out test split; results in <run>/rerank/, resumable')
    .argument('<run>', 'the run folder of a finished search')
    .option('--top <k>', 'how many of the search\'s layers (Pareto rank, then --by); default 10')
    .option('--seeds <n>', 'seeds per layer, architecture and batch size; default 5')
    .option('-c, --config <file>', 'rerank config (JSON with comments): steps, image size, architectures, transfer architectures, …')
    .option('--by <rule>', 'order within a Pareto rank: front (first objective) | mean | <objective name>; default front. With promotion levels the ranks compare two layers at the highest level both were measured at, as the search does; within a rank, layers measured at a higher level come first, then this rule on their scores at that level; a layer whose promotion was rejected comes last')
    .option('--baselines <list>', 'comma-separated known layers; the first is the baseline; default bn-relu,gn-relu,evonorm-b0,evonorm-s0')
    .option('--batch-sizes <list>', 'comma-separated batch sizes (same images each: steps and lr scaled)')
    .option('--lr-scaling <rule>', 'learning rate vs batch size: linear | sqrt | none')
    .option('--json', 'print the summary as one JSON document')
    .addOption(reuseOption())
    .option('--workers <n>', 'worker threads, or "inline" (overrides the run\'s dispatch)')
    .action(async (run: string, opts: RerankCliOptions) => {
      // Loaded when the command runs, not at start-up (src/cli/main.ts).
      const [{ runRerank }, { batchSizeList, lrScaling, positiveInt }, { formatProtocolTable }, { formatBestThree }] = await Promise.all([
        import('../protocol/rerank.js'), import('../protocol/inputs.js'), import('../protocol/format-table.js'), import('../protocol/format-best.js'),
      ]);
      const overrides = {
        top: opts.top !== undefined ? positiveInt(opts.top, '--top') : undefined,
        seeds: opts.seeds !== undefined ? positiveInt(opts.seeds, '--seeds') : undefined,
        by: opts.by,
        baselines: opts.baselines !== undefined ? opts.baselines.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
        batchSizes: opts.batchSizes !== undefined ? batchSizeList(opts.batchSizes) : undefined,
        lrScaling: opts.lrScaling !== undefined ? lrScaling(opts.lrScaling) : undefined,
      };
      const progress = progressPrinter(ctx.io, 10_000);
      const result = await runRerank({
        run, configPath: opts.config, overrides, workers: opts.workers, signal: ctx.signal, reuse: opts.reuse,
        onStart: ({ outDir, trainings, layers }) => ctx.io.stderr(`evonorm: rerank: ${layers.length} layers, ${trainings} trainings, results in ${outDir} (run the same command again to resume)\n`),
        onProgress: (p) => progress.update(protocolProgressText('rerank', p)),
      });
      progress.done();
      ctx.io.stderr(protocolDoneText('rerank', result));
      ctx.io.stdout(opts.json ? `${JSON.stringify(result.summary, null, 2)}\n` : `${formatProtocolTable(result.summary)}\n\n${formatBestThree(result.summary)}\n`);
      if (result.interrupted) ctx.exit(EXIT.interrupted);
    });
}
