/** The progress lines of compare/rerank/fidelity: trainings done, elapsed, ETA, the last result; and what a finished command ran. */
import type { JobProgress } from '../protocol/run-jobs.js';

const minutes = (ms: number): string => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

export function protocolProgressText(kind: string, p: JobProgress): string {
  const last = p.last
    ? `; last: ${p.last.layer} ${p.last.archName} batch ${p.last.batchSize} seed ${p.last.seed} → ${p.last.status === 'ok' ? p.last.accuracy!.toFixed(4) : `${p.last.stage}`}`
    : '';
  const earlier = p.earlier ? ` (${p.earlier} from earlier)` : '';
  return `${kind}: ${p.done}/${p.total} trainings${earlier}, ${minutes(p.elapsedMs)} elapsed, ETA ${p.etaMs === null ? '?' : minutes(p.etaMs)}${last}`;
}

/** The closing line: trainings run now, found in the results folder, copied in by --reuse. */
export function protocolDoneText(kind: string, result: { readonly ran: number; readonly earlier: number; readonly reused?: number; readonly outDir: string }): string {
  const reused = result.reused ? `, ${result.reused} reused from --reuse` : '';
  return `evonorm: ${kind}: ${result.ran} trainings run now, ${result.earlier} from earlier sessions${reused}; results in ${result.outDir}\n`;
}
