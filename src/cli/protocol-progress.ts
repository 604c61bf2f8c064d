/** One progress line of compare/rerank: trainings done, elapsed, ETA, the last result. */
import type { JobProgress } from '../protocol/run-jobs.js';

const minutes = (ms: number): string => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

export function protocolProgressText(kind: string, p: JobProgress): string {
  const last = p.last
    ? `; last: ${p.last.layer} ${p.last.archName} batch ${p.last.batchSize} seed ${p.last.seed} → ${p.last.status === 'ok' ? p.last.accuracy!.toFixed(4) : `${p.last.stage}`}`
    : '';
  const earlier = p.earlier ? ` (${p.earlier} from earlier)` : '';
  return `${kind}: ${p.done}/${p.total} trainings${earlier}, ${minutes(p.elapsedMs)} elapsed, ETA ${p.etaMs === null ? '?' : minutes(p.etaMs)}${last}`;
}
