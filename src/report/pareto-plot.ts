/**
 * The Vega-Lite spec of one Pareto scatter: two objectives against each other, every drawn
 * candidate a point, the front highlighted (and joined as a staircase when there are only two
 * objectives), seed and zoo layers labelled by name. Each point's description (its aria-label in
 * the SVG) holds the formula and values, which the page shows on hover.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PointKind, ScatterPoint } from './scatter-data.js';

const KIND_LABEL: Record<PointKind, string> = { front: 'Pareto front', seed: 'seed layer', zoo: 'zoo layer', other: 'other scored' };
const KIND_ORDER: PointKind[] = ['other', 'zoo', 'seed', 'front'];
export const KIND_COLOR: Record<PointKind, string> = { front: '#d6452b', seed: '#2f6db5', zoo: '#3a9a4a', other: '#b9bec6' };

export interface ParetoPlotInput {
  readonly points: readonly ScatterPoint[];
  /** Objective indices on the x and y axes. */
  readonly x: number;
  readonly y: number;
  readonly names: readonly string[];
  /** Number of objectives of the run (the staircase is drawn only when it is 2). */
  readonly k: number;
}

/** The scatter spec of objectives x and y (see the module comment). */
export function paretoPlotSpec(input: ParetoPlotInput): TopLevelSpec {
  const { x, y, names } = input;
  const fmt = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4));
  const rows = [...input.points]
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
    .map((p) => ({
      x: p.objectives[x],
      y: p.objectives[y],
      kind: KIND_LABEL[p.kind],
      label: p.zoo ?? (p.kind === 'seed' ? `seed #${p.id}` : ''),
      tip: `#${p.id}${p.zoo ? ` (${p.zoo})` : ''} · ${p.expression} · ${names.map((n, m) => `${n} ${fmt(p.objectives[m])}`).join(', ')}${p.count > 1 ? ` · proposed ${p.count}×` : ''}`,
    }));
  const front = input.points.filter((p) => p.kind === 'front').map((p) => ({ x: p.objectives[x], y: p.objectives[y] })).sort((a, b) => a.x - b.x);
  // With one objective (k = 1) the x axis is the candidate id, which is not better higher.
  const axis = (m: number) => ({ title: input.k === 1 && m === x ? names[m] : `${names[m]} (higher is better)`, type: 'quantitative' as const, scale: { zero: false, nice: true } });
  const kinds = KIND_ORDER.filter((kind) => input.points.some((p) => p.kind === kind));
  const layers: Record<string, unknown>[] = [];
  if (input.k === 2 && front.length > 1) {
    layers.push({
      data: { values: front },
      mark: { type: 'line', interpolate: 'step-before', color: KIND_COLOR.front, strokeWidth: 1.2, opacity: 0.6, aria: false },
      encoding: { x: { field: 'x', ...axis(x) }, y: { field: 'y', ...axis(y) } },
    });
  }
  layers.push({
    data: { values: rows },
    mark: { type: 'point', filled: true, size: 28, opacity: 0.85 },
    encoding: {
      x: { field: 'x', ...axis(x) },
      y: { field: 'y', ...axis(y) },
      color: {
        field: 'kind', type: 'nominal', title: null,
        scale: { domain: kinds.map((kd) => KIND_LABEL[kd]), range: kinds.map((kd) => KIND_COLOR[kd]) },
        legend: { orient: 'bottom', direction: 'horizontal' },
      },
      shape: {
        field: 'kind', type: 'nominal', title: null,
        scale: { domain: kinds.map((kd) => KIND_LABEL[kd]), range: kinds.map((kd) => (kd === 'seed' || kd === 'zoo' ? 'diamond' : 'circle')) },
      },
      size: { condition: { test: "datum.kind !== 'other scored'", value: 70 }, value: 22 },
      description: { field: 'tip' },
    },
  });
  const labelled = rows.filter((r) => r.label !== '');
  if (labelled.length > 0 && labelled.length <= 30) {
    // Labels in the right quarter of the plot go to the left of their point, so they stay inside.
    const xs = rows.map((r) => r.x);
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    const right = (r: { x: number }): boolean => hi > lo && (r.x - lo) / (hi - lo) > 0.75;
    for (const [side, values] of [['left', labelled.filter((r) => !right(r))], ['right', labelled.filter(right)]] as const) {
      if (values.length === 0) continue;
      layers.push({
        data: { values },
        mark: { type: 'text', align: side, dx: side === 'left' ? 7 : -7, dy: -7, fontSize: 10, color: '#333', aria: false },
        encoding: { x: { field: 'x', ...axis(x) }, y: { field: 'y', ...axis(y) }, text: { field: 'label' } },
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${names[y]} against ${names[x]}`,
    width: 440,
    height: 320,
    layer: layers,
  } as unknown as TopLevelSpec; // built from plain objects; vega-lite validates at compile
}
