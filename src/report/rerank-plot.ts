/**
 * The Vega-Lite spec of the rerank: per layer and architecture, the held-out paired difference to
 * the baseline with its confidence interval (a rule from low to high, a point at the mean) and a
 * line at 0; intervals that exclude 0 are drawn dark.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RerankRow } from './rerank-results.js';

/** The rerank chart, or undefined when no row has a difference to the baseline. */
export function rerankPlotSpec(rows: readonly RerankRow[], baseline: string): TopLevelSpec | undefined {
  const data = rows.flatMap((r) => (r.vsBaseline ? [{
    layer: r.layer,
    arch: r.batchSize !== undefined ? `${r.arch} (batch ${r.batchSize})` : r.arch,
    mean: r.vsBaseline.mean,
    low: r.vsBaseline.low,
    high: r.vsBaseline.high,
    clear: r.vsBaseline.low > 0 || r.vsBaseline.high < 0 ? 'interval excludes 0' : 'interval includes 0',
  }] : []));
  if (data.length === 0) return undefined;
  const y = { field: 'layer', type: 'nominal' as const, title: null, sort: [...new Set(data.map((d) => d.layer))], axis: { labelLimit: 260 } };
  const yOffset = { field: 'arch', type: 'nominal' as const };
  const color = { field: 'arch', type: 'nominal' as const, title: 'architecture', legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 300 } };
  const x = { type: 'quantitative' as const, title: `held-out accuracy minus ${baseline} (95% CI)`, scale: { nice: true, zero: true } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `rerank: difference to ${baseline}`,
    width: 440,
    height: { step: 8 + 9 * Math.max(1, new Set(data.map((d) => d.arch)).size) },
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#888', strokeDash: [4, 3], aria: false }, encoding: { x: { field: 'zero', ...x } } },
      { data: { values: data }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, yOffset, x: { field: 'low', ...x }, x2: { field: 'high' }, color, opacity: { field: 'clear', type: 'ordinal', legend: null, scale: { domain: ['interval excludes 0', 'interval includes 0'], range: [1, 0.45] } } } },
      { data: { values: data }, mark: { type: 'point', filled: true, size: 40 }, encoding: { y, yOffset, x: { field: 'mean', ...x }, color, description: { field: 'layer' } } },
    ],
  } as unknown as TopLevelSpec; // built from plain objects; vega-lite validates at compile
}
