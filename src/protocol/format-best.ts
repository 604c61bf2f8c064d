/** The "best 3" lines of a rerank summary (rerank output, `evonorm status`). */
import type { BestThree } from './rerank.js';
import type { ProtocolSummary } from './run-protocol.js';

/** "best 3 (batch 64, rule …): 1. #12 0.9512 (search mutation); …", one line per batch size. */
export function formatBestThree(summary: ProtocolSummary): string {
  const best = (summary.best3 as readonly BestThree[] | undefined) ?? [];
  if (best.length === 0) return '';
  return [
    `best 3 by the paper's rule: ${best[0]!.rule}`,
    ...best.map((b) => `  batch ${b.batchSize}: ${b.layers.length === 0 ? `none (no layer is at least as good as ${summary.baseline} on every architecture)` : b.layers.map((l, i) => `${i + 1}. ${l.layer} ${l.meanOverArchitectures.toFixed(4)} (${l.source})`).join('; ')}`),
  ].join('\n');
}

/** A short block for `evonorm status`: what the rerank measured and its best 3. */
export function formatRerankStatus(summary: ProtocolSummary): string {
  const p = summary.protocol;
  const state = summary.complete ? 'complete' : 'INCOMPLETE (rerun `evonorm rerank` to finish)';
  return [
    `rerank (${state}): ${summary.layers.length} layers × ${p.architectures.length} architectures × ${p.batchSizes.length} batch sizes × ${p.seeds.length} seeds; ${summary.objective.description}`,
    formatBestThree(summary),
  ].filter(Boolean).join('\n');
}
