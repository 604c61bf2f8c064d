/**
 * Vega-Lite specs of the search over time: best value per objective, hypervolume and front size
 * against the number of candidates proposed (one chart, three panels on a shared x axis), and the
 * evaluation rate per minute against wall-clock minutes. With promotion levels (progress-series.ts)
 * the front is the run's front with levels, and the best values are drawn per level.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProgressSeries } from './progress-series.js';
import type { RatePoint } from './rate-series.js';

const WIDTH = 440;

/** The three-panel progress chart. */
export function progressPlotSpec(series: ProgressSeries, names: readonly string[]): TopLevelSpec {
  // With promotion levels: a line per objective and level, each level's best among the layers measured there (never mixed).
  const leveled = series.levels > 0;
  const best = series.points.flatMap((p) => (p.bestByLevel ?? [p.best]).flatMap((values, level) => values.flatMap((v, m) => (Number.isFinite(v)
    ? [{ proposed: p.proposed, objective: names[m] ?? `obj${m + 1}`, level: `level ${level}`, value: v }]
    : []))));
  const hv = series.points.flatMap((p) => (p.hypervolume === null ? [] : [{ proposed: p.proposed, value: p.hypervolume }]));
  const size = series.points.map((p) => ({ proposed: p.proposed, value: p.frontSize }));
  const x = { field: 'proposed', type: 'quantitative' as const, title: 'candidates proposed', axis: { format: '~s' } };
  const panels: Record<string, unknown>[] = [
    {
      title: leveled ? 'best value per objective, per level (each among the layers measured at that level)' : 'best value per objective',
      width: WIDTH, height: 130,
      data: { values: best },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
      encoding: {
        x, y: { field: 'value', type: 'quantitative', title: 'best', scale: { zero: false } },
        color: { field: 'objective', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'horizontal' } },
        ...(leveled ? { strokeDash: { field: 'level', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'horizontal' } }, detail: { field: 'level' } } : {}),
      },
    },
  ];
  if (hv.length > 0) {
    panels.push({
      title: leveled ? 'hypervolume of the front with levels (its members\' level-0 scores)' : 'hypervolume of the front',
      width: WIDTH, height: 110,
      data: { values: hv },
      mark: { type: 'line', interpolate: 'step-after', color: '#8e44ad', strokeWidth: 1.6 },
      encoding: { x, y: { field: 'value', type: 'quantitative', title: 'hypervolume' } },
    });
  }
  panels.push({
    title: leveled ? 'front size (with levels: each pair compared at the highest level both were measured at)' : 'front size',
    width: WIDTH, height: 90,
    data: { values: size },
    mark: { type: 'line', interpolate: 'step-after', color: '#d6452b', strokeWidth: 1.6 },
    encoding: { x, y: { field: 'value', type: 'quantitative', title: 'members', axis: { tickMinStep: 1 } } },
  });
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', vconcat: panels, spacing: 18 } as unknown as TopLevelSpec;
}

/** The evaluation-rate chart. */
export function ratePlotSpec(rate: readonly RatePoint[]): TopLevelSpec {
  // Short runs read better in seconds.
  const seconds = (rate.at(-1)?.minute ?? 0) < 3;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'candidates evaluated per minute',
    width: WIDTH, height: 120,
    data: { values: rate.map((r) => ({ time: seconds ? r.minute * 60 : r.minute, perMinute: r.perMinute })) },
    mark: { type: 'area', interpolate: 'step', color: '#2f6db5', opacity: 0.35, line: { color: '#2f6db5' } },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: seconds ? 'seconds since the run started' : 'minutes since the run started' },
      y: { field: 'perMinute', type: 'quantitative', title: 'per minute', axis: { format: '~s' } },
    },
  } as TopLevelSpec;
}
