/** `evonorm evaluate --layer <layer>`: the rejection chain and proxy trainings of one layer. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import type { LayerGraph } from '../graph/index.js';
import { EXIT, isEvonormError } from '../util/errors.js';
import { formatTable } from '../util/table.js';
import { progressPrinter } from './progress.js';
import { backendOption } from './options.js';

interface EvaluateOptions {
  layer: string;
  config?: string;
  backend?: string;
  seed: string;
  json?: boolean;
  progress?: boolean;
}

export function registerEvaluate(program: Command, ctx: CommandContext): void {
  program
    .command('evaluate')
    .description('score one layer: static checks, stability and quality probes, then proxy trainings on K networks')
    .requiredOption('-l, --layer <layer>', 'a zoo name, an expression in quotes, or a .json graph file')
    .option('-c, --config <file>', 'run or evaluation config (JSON with comments); default: configs/quick.json')
    .addOption(backendOption('tfjs backend (overrides the config)'))
    .option('--seed <seed>', 'seed of initialisers and batches', '0')
    .option('--json', 'print one JSON document instead of a table')
    .option('--progress', 'show progress on stderr (default when stderr is a terminal)')
    .action(async (opts: EvaluateOptions) => {
      // Loaded when the command runs, not at start-up (src/cli/main.ts): the evaluator brings tfjs.
      const [{ createProxyEvaluator }, { loadEvaluationConfig, defaultConfigPath }, { functionalFingerprint }, { withError }, { parseExpression, resolveLayer }] = await Promise.all([
        import('../evaluate/proxy.js'), import('../config/evaluation-config.js'), import('../tensor/fingerprint.js'), import('../run/replay/objective-errors.js'), import('../graph/index.js'),
      ]);
      const config = loadEvaluationConfig(opts.config ?? defaultConfigPath(), opts.backend);
      const { graph, name } = resolveForEvaluation(opts.layer, resolveLayer, parseExpression);
      const progress = opts.progress || ctx.io.stderrIsTTY ? progressPrinter(ctx.io) : undefined;
      const evaluator = await createProxyEvaluator(config, {
        log: (m) => ctx.io.stderr(`evonorm: ${m}\n`),
        onProgress: progress ? (p) => progress.update(`${p.stage} ${p.arch}${p.step ? ` step ${p.step}/${p.of}` : ''}`) : undefined,
      });
      const fingerprint = functionalFingerprint(graph);
      const evaluation = await evaluator.evaluate({ graph, fingerprint, seed: opts.seed }, ctx.signal);
      progress?.done();
      if (ctx.signal.aborted) return ctx.exit(EXIT.interrupted);
      if (opts.json) {
        ctx.io.stdout(`${JSON.stringify({ layer: name ?? opts.layer, fingerprint, backend: evaluator.backend, objectiveNames: evaluator.objectiveNames, evaluation }, null, 2)}\n`);
        return;
      }
      const rows = evaluator.objectiveNames.map((arch, k) => {
        // With evaluation.seeds > 1 a network has one entry per training: accuracy is the objective
        // (mean ± standard error), loss the mean, time the sum.
        const all = evaluation.archs?.filter((r) => r.arch === arch) ?? [];
        const a = all[0];
        const accuracy = evaluation.status === 'ok' && all.length > 1
          ? withError(evaluation.objectives[k].toFixed(4), evaluation.objectiveErrors?.[k])
          : a?.accuracy !== undefined ? a.accuracy.toFixed(4) : '-';
        const losses = all.flatMap((r) => (r.loss !== undefined ? [r.loss] : []));
        return [
          arch, accuracy, losses.length > 0 ? (losses.reduce((x, y) => x + y, 0) / losses.length).toFixed(4) : '-',
          a?.params !== undefined ? String(a.params) : '-', a?.multiplyAdds !== undefined ? `${(a.multiplyAdds / 1e6).toFixed(2)}M` : '-',
          a ? `${(all.reduce((x, r) => x + r.ms, 0) / 1000).toFixed(1)}s` : '-',
        ];
      });
      const stages = (evaluation.stages ?? []).map((s) => `${s.stage}: ${s.passed ? 'pass' : 'REJECT'} (${(s.ms / 1000).toFixed(1)}s)`).join(', ');
      const verdict = evaluation.status === 'ok' ? 'accepted' : `rejected at ${evaluation.stage}: ${evaluation.reason}`;
      ctx.io.stdout([
        `layer:    ${name ?? opts.layer}   fingerprint ${fingerprint}   backend ${evaluator.backend}`,
        formatTable(['architecture', 'val acc', 'val loss', 'params', 'mult-adds', 'time'], rows),
        `stages:   ${stages}`,
        `verdict:  ${verdict}   (${(evaluation.costMs / 1000).toFixed(1)}s)`,
        '',
      ].join('\n'));
    });
}

/**
 * A layer to evaluate: like resolveLayer, but an expression that parses and yet is not a valid
 * layer (e.g. `zero`, which ignores x) is still returned, so the static check rejects it and says
 * why, as it would inside a search.
 */
function resolveForEvaluation(
  spec: string,
  resolveLayer: (spec: string) => { graph: LayerGraph; name?: string },
  parseExpression: (text: string) => LayerGraph,
): { graph: LayerGraph; name?: string } {
  try {
    return resolveLayer(spec);
  } catch (err) {
    if (!isEvonormError(err) || err.code !== 'BAD_GRAPH' || spec.trim().endsWith('.json')) throw err;
    return { graph: parseExpression(spec) };
  }
}
