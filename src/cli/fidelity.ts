/** `evonorm fidelity`: a proxy protocol's reliability and its rank correlation with a target protocol. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { EXIT } from '../util/errors.js';
import { progressPrinter } from './progress.js';
import { reuseOption } from './options.js';
import { protocolDoneText, protocolProgressText } from './protocol-progress.js';

interface FidelityCliOptions {
  proxy: string;
  target: string;
  panel?: string;
  sample: string;
  seeds: string;
  targetSeeds?: string;
  allowOtherData?: boolean;
  reportOnly?: boolean;
  resamples: string;
  json?: boolean;
  out?: string;
  workers?: string;
  reuse?: string[];
  backend?: string;
}

export function registerFidelity(program: Command, ctx: CommandContext): void {
  program
    .command('fidelity')
    .description('is a proxy protocol worth optimising? train a panel of layers under it and under a longer target protocol (held-out test split), at several seeds: reliability (ICC), agreement between architectures, Spearman ρ / Kendall τ-b with bootstrap intervals over the panel and its better half, CPU cost; resumable')
    .argument('[layers...]', 'more layers: zoo names, expressions in quotes, or .json graph files (bn-relu, gn-relu, evonorm-b0, evonorm-s0 are always in)')
    .requiredOption('--proxy <file>', 'the proxy protocol: a run config (its evaluation section) or an evaluation config')
    .requiredOption('--target <file>', 'the target protocol (scored on the held-out test split of the same data)')
    .option('--panel <run|file>', 'a run folder (its scored candidates, sampled over its ranking) or a panel file (one layer per line, # comments)')
    .option('--sample <n>', 'how many of a run\'s candidates to sample', '24')
    .option('--seeds <n>', 'seeds per layer and architecture under the proxy', '3')
    .option('--target-seeds <n>', 'seeds per layer and architecture under the target (default: --seeds)')
    .option('--allow-other-data', 'allow a proxy on other data than the target (a transfer study)')
    .option('--report-only', 'train nothing: the figures of what --out holds so far (e.g. while the study runs in another process)')
    .option('--resamples <n>', 'bootstrap resamples of every interval', '2000')
    .option('--json', 'print fidelity.json')
    .option('-o, --out <dir>', 'results folder (default <run>/fidelity for a run panel, else runs/fidelity-<proxy>-<digest>); rerun to resume')
    .addOption(reuseOption())
    .option('--workers <n>', 'worker threads, or "inline" (overrides the configs\' dispatch)')
    .option('--backend <name>', 'tfjs backend: auto | tensorflow | wasm | cpu (overrides the configs)')
    .action(async (layers: string[], opts: FidelityCliOptions) => {
      // Loaded when the command runs, not at start-up (src/cli/main.ts).
      const [{ runFidelity }, { formatFidelity }, { positiveInt }] = await Promise.all([
        import('../protocol/fidelity.js'), import('../protocol/format-fidelity.js'), import('../protocol/inputs.js'),
      ]);
      const seeds = positiveInt(opts.seeds, '--seeds');
      const targetSeeds = opts.targetSeeds !== undefined ? positiveInt(opts.targetSeeds, '--target-seeds') : undefined;
      const sample = positiveInt(opts.sample, '--sample');
      const resamples = positiveInt(opts.resamples, '--resamples');
      const progress = progressPrinter(ctx.io, 10_000);
      const result = await runFidelity({
        proxyPath: opts.proxy, targetPath: opts.target, panel: opts.panel, sample, layers, seeds, targetSeeds, allowOtherData: opts.allowOtherData,
        resamples, train: !opts.reportOnly, out: opts.out, workers: opts.workers, backend: opts.backend, signal: ctx.signal, reuse: opts.reuse,
        onStart: ({ outDir, layers: panel, trainings }) => ctx.io.stderr(`evonorm: fidelity: ${panel.length} layers, ${trainings.proxy} proxy + ${trainings.target} target trainings, results in ${outDir} (run the same command again to resume)\n`),
        onProgress: (side, p) => progress.update(protocolProgressText(`fidelity ${side}`, p)),
      });
      progress.done();
      ctx.io.stderr(protocolDoneText('fidelity', result));
      ctx.io.stdout(opts.json ? `${JSON.stringify(result.report, null, 2)}\n` : `${formatFidelity(result.report)}\n`);
      if (result.interrupted && !opts.reportOnly) ctx.exit(EXIT.interrupted);
    });
}
