/**
 * `evonorm show <layer>`: the formula, node table, canonical hash and functional fingerprint;
 * or the layer as Graphviz (--dot), JSON (--json) or code (--format pytorch|keras|tfjs).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import type { LayerGraph } from '../graph/index.js';
import { printExpression } from '../graph/print.js';
import { maxNodesOption } from './options.js';
import { CODE_FORMATS, generateCode, layerClassName, parseFormat } from '../export/index.js';
import { candidateIdOfJson, provenanceOfJson } from '../export/layer-source.js';
import { version } from './version.js';
import { EvonormError } from '../util/errors.js';

export function registerShow(program: Command, ctx: CommandContext): void {
  program
    .command('show')
    .description('print a layer: formula, node table, canonical hash, functional fingerprint')
    .argument('<layer>', 'a zoo name (e.g. evonorm-s0), an expression in quotes, or a .json graph file')
    .option('--dot', 'print the graph in Graphviz dot format instead')
    .option('--json', 'print the JSON graph (the export format) instead')
    .addOption(maxNodesOption())
    .option('-f, --format <format>', `print the layer as code instead: ${CODE_FORMATS.join(', ')} (or json, as --json)`)
    .action(async (spec: string, opts: { dot?: boolean; json?: boolean; format?: string; maxNodes: number }) => {
      assertOneOutput(opts);
      // Loaded when the command runs, not at start-up (src/cli/main.ts): zod, the interpreter.
      const [{ canonicalHash, formatNodeTable, graphToJson, resolveLayer, toDot }, { probeGraph }] = await Promise.all([
        import('../graph/index.js'), import('../tensor/fingerprint.js'),
      ]);
      const format = opts.format === undefined ? undefined : parseFormat(opts.format, ['json', ...CODE_FORMATS] as const);
      const { graph, name, source, options } = resolveLayer(spec, { maxNodes: opts.maxNodes });
      if (opts.dot) return ctx.io.stdout(`${toDot(graph, name)}\n`);
      if (format !== undefined && format !== 'json') {
        const doc = source === 'file' ? readJson(spec.trim()) : undefined;
        const origin = source === 'zoo' ? `zoo layer ${name}` : source === 'file' ? (provenanceOfJson(doc) ?? `file ${spec.trim()}`) : 'expression given to evonorm show';
        const candidateId = candidateIdOfJson(doc);
        // A layer file from a run's export is named after its candidate, not after the run.
        const className = layerClassName({ name, ...(candidateId !== undefined ? { candidateId } : {}) });
        const code = generateCode(graph, format, { name, source: origin, options: options ?? {}, version: version(), className });
        return ctx.io.stdout(code.source);
      }
      const probe = probeGraph(graph);
      if (opts.json || format === 'json') {
        const json = graphToJson(graph, { name, options: options ?? {}, metadata: { canonicalHash: canonicalHash(graph), fingerprint: probe.fingerprint } });
        return ctx.io.stdout(`${JSON.stringify(json, null, 2)}\n`);
      }
      const lines = [
        `layer:       ${name ?? '(expression)'} [${source}]`,
        `formula:     ${describeFormula(graph)}`,
        `hash:        ${canonicalHash(graph)}`,
        `fingerprint: ${probe.fingerprint}${probe.finite ? '' : '  (non-finite on probes)'}${probe.constant ? '  (constant output)' : ''}`,
        '',
        formatNodeTable(graph),
      ];
      ctx.io.stdout(`${lines.join('\n')}\n`);
    });
}

/** The formula with the always-present affine (and activation) around the graph's output. */
export function describeFormula(graph: LayerGraph): string {
  const body = printExpression({ ...graph, activation: undefined });
  const affine = `(${body}) · γ + β`;
  return graph.activation ? `${graph.activation}(${affine})` : affine;
}

/** Refuses two output formats at once (--dot, --json, --format X): show prints one document. */
function assertOneOutput(opts: { dot?: boolean; json?: boolean; format?: string }): void {
  const given = [opts.dot && '--dot', opts.json && '--json', opts.format !== undefined && !(opts.json && opts.format === 'json') && `--format ${opts.format}`]
    .filter((flag): flag is string => typeof flag === 'string');
  if (given.length > 1) throw new EvonormError('USAGE', `${given.join(' and ')} cannot be used together: show prints one format at a time; keep one of them`);
}

/** A layer file resolveLayer has already read and checked. */
function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
