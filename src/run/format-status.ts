/** Renders a RunSummary for people: a block of counts, then the Pareto front as a table. */
import type { RunSummary } from './summary.js';

/**
 * A readable status text: counts, rejections by stage and top reasons, best value per
 * objective, whether the run finished, time worked, then the front table (id, one column per
 * objective, fingerprint, expression). `objectiveNames` label the objectives (missing names
 * fall back to the run's own, then to obj1, obj2, …). Ends with a newline.
 */
export function formatStatus(summary: RunSummary, objectiveNames: readonly string[] = [], extras: StatusExtras = {}): string {
  const k = summary.front[0]?.objectives.length ?? summary.bestPerObjective.length;
  const names = Array.from({ length: k }, (_, m) => objectiveNames[m] ?? summary.objectiveNames?.[m] ?? `obj${m + 1}`);
  const lines: string[] = [];
  const row = (label: string, text: string): void => void lines.push(`  ${label.padEnd(13)}${text}`);

  lines.push('run');
  row('state', summary.finished !== undefined ? `finished (${summary.finished})` : 'not finished (running, or stopped without a clean exit)');
  row('proposed', `${summary.proposed} in ${summary.batches} batch(es), ${summary.sessions} session(s)`);
  row('evaluated', `${summary.evaluated} (${summary.cacheHits} from cache), ${summary.pending} pending`);
  row('scored', String(summary.scored));
  const stages = Object.entries(summary.rejectedByStage)
    .sort((a, b) => b[1] - a[1])
    .map(([stage, n]) => `${stage} ${n}`)
    .join(', ');
  row('rejected', summary.rejected > 0 ? `${summary.rejected}: ${stages}` : '0');
  for (const { reason, count } of summary.rejectedByReason.slice(0, 5)) row('', `${String(count).padStart(5)} × ${reason}`);
  if (summary.bestPerObjective.length > 0) {
    row('best', summary.bestPerObjective.map((v, m) => `${names[m]} ${formatNumber(v)}`).join(', '));
  }
  row('time worked', formatDuration(summary.elapsedMs));
  if (summary.workerBusyShare !== null) {
    row('workers busy', `${(100 * summary.workerBusyShare).toFixed(0)}% of the time`);
  }
  if (summary.checkpoint) row('checkpoint', `batch ${summary.checkpoint.batch}, saved ${summary.checkpoint.savedAt}`);

  lines.push('');
  lines.push(`Pareto front (${summary.front.length})`);
  if (extras.objectives?.length) lines.push(...extras.objectives.map((d) => `  objective ${d}`));
  if (summary.front.length === 0) {
    lines.push('  (no scored candidate yet)');
  } else {
    const header = ['id', ...names, 'fingerprint', 'expression'];
    const body = summary.front.map((f) => [
      String(f.id),
      ...f.objectives.map(formatNumber),
      (f.fingerprint ?? '-').slice(0, 12),
      extras.rowNotes?.get(f.id) ? `${f.expression}   [${extras.rowNotes.get(f.id)}]` : f.expression,
    ]);
    lines.push(...table(header, body, k));
  }
  return `${lines.join('\n')}\n`;
}

/** Optional additions of `evonorm status`: what each objective is, and notes on front rows (seed/zoo layers). */
export interface StatusExtras {
  /** One sentence per objective (src/run/objective-info.ts). */
  readonly objectives?: readonly string[];
  /** By candidate id, e.g. "seed = bn-relu". */
  readonly rowNotes?: ReadonlyMap<number, string>;
}

/** Rows of aligned columns, two-space indent; columns 1..numeric are right-aligned, the last is not padded. */
function table(header: string[], body: string[][], numeric: number): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const render = (cells: string[]): string =>
    `  ${cells
      .map((cell, c) => {
        if (c === cells.length - 1) return cell;
        return c >= 1 && c <= numeric ? cell.padStart(widths[c]) : cell.padEnd(widths[c]);
      })
      .join('  ')}`.trimEnd();
  return [render(header), ...body.map(render)];
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** e.g. 3723000 → "1h 02m 03s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${two(m)}m ${two(sec)}s`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}
