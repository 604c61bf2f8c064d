/** `evonorm validate <layer>`: exit 0 when the graph is valid, exit 3 with the reasons when not. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { maxNodesOption } from './options.js';

export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('check a layer graph; exit 0 when valid, 3 with the reasons when not')
    .argument('<layer>', 'a .json graph file, an expression in quotes, or a zoo name')
    .addOption(maxNodesOption())
    .action(async (spec: string, opts: { maxNodes: number }) => {
      const { canonicalHash, resolveLayer } = await import('../graph/index.js'); // loaded when the command runs, not at start-up
      // resolveLayer validates: an invalid graph throws BAD_GRAPH (exit 3) listing every issue.
      const { graph } = resolveLayer(spec, { maxNodes: opts.maxNodes });
      ctx.io.stdout(`valid ${canonicalHash(graph)}\n`);
    });
}
