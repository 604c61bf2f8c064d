/** The compare/rerank table as text: what the objective is, then one row per cell. */
import { formatTable } from '../util/table.js';
import type { ProtocolSummary } from './run-protocol.js';
import type { Cell } from './summarize.js';

const f4 = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : '-');
const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(4)}` : '-');

/** "3/3", or "2/3, 1 diverged", or "1/3, 2 missing". */
function seedsText(c: Cell): string {
  const parts = [`${c.values.length}/${c.seeds}`];
  const diverged = c.failures.filter((f) => f.stage === 'training').length;
  const rejected = c.failures.length - diverged;
  if (diverged) parts.push(`${diverged} diverged`);
  if (rejected) parts.push(`${rejected} rejected`);
  if (c.missing) parts.push(`${c.missing} missing`);
  return parts.join(', ');
}

/** The table printed by `evonorm compare` and `evonorm rerank` (without --json). */
export function formatProtocolTable(summary: ProtocolSummary): string {
  const rows = summary.cells.map((c) => {
    const d = c.vsBaseline;
    return [
      c.archName, String(c.batchSize), String(c.steps), c.layer, seedsText(c),
      c.values.length ? `${f4(c.mean)} ± ${Number.isFinite(c.sd) ? c.sd.toFixed(4) : '-'}` : '-',
      d === null ? '(baseline)' : d.n ? `${signed(d.mean)}${d.excludesZero ? ' *' : ''}` : '-',
      d && Number.isFinite(d.halfWidth) ? `[${signed(d.low)}, ${signed(d.high)}]` : '',
    ];
  });
  const header = ['architecture', 'batch', 'steps', 'layer', 'seeds ok', 'accuracy mean ± sd', `Δ vs ${summary.baseline}`, '95% CI (paired, t)'];
  const failures = summary.cells.flatMap((c) => c.failures.map((f) => `  ${c.archName} batch ${c.batchSize} ${c.layer} seed ${f.seed}: ${f.stage === 'training' ? 'diverged' : `rejected (${f.stage})`}: ${f.reason}`));
  const p = summary.protocol;
  return [
    `objective: ${summary.objective.description}`,
    `protocol:  ${p.dataset}; architectures ${p.architectures.join(', ')}; seeds ${p.seeds.length}; ${p.trainings} trainings`,
    p.schedule,
    '',
    formatTable(header, rows),
    '',
    `* = the ${Math.round(p.confidence * 100)}% Student-t interval of the paired difference (over seeds that trained for both layers) excludes 0.`,
    ...(failures.length ? ['not averaged in (failed trainings):', ...failures] : []),
    ...(summary.complete ? [] : ['INCOMPLETE: some trainings are missing (interrupted); run the same command again to finish them.']),
  ].join('\n');
}
