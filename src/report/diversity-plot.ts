/**
 * The Vega-Lite spec of the population's diversity over time (src/run/replay/diversity.ts): the share of
 * the population held by its largest structural family, and the number of distinct functions in
 * it, against the candidates evaluated when each batch settled (two panels on a shared x axis).
 * The largest family's name is in each point's tooltip: it may change from batch to batch.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DiversityPoint } from '../run/replay/diversity.js';

const WIDTH = 360;

/** The two-panel diversity chart. */
export function diversityPlotSpec(series: readonly DiversityPoint[]): TopLevelSpec {
  const values = series.map((p) => ({ evaluated: p.evaluated, share: p.largestShare, family: p.largestFamily ?? '-', functions: p.distinctFunctions, size: p.size }));
  const x = { field: 'evaluated', type: 'quantitative' as const, title: 'candidates evaluated', axis: { format: '~s' } };
  const tooltip = [{ field: 'family', title: 'largest family' }, { field: 'share', format: '.0%', title: 'its share' }, { field: 'functions', title: 'distinct functions' }, { field: 'size', title: 'population' }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'diversity of the population',
    data: { values },
    vconcat: [
      {
        title: 'share held by the largest structural family',
        width: WIDTH, height: 100,
        mark: { type: 'line', interpolate: 'step-after', color: '#c0392b', strokeWidth: 1.6, point: values.length <= 60 },
        encoding: { x, y: { field: 'share', type: 'quantitative', title: 'share', scale: { domain: [0, 1] }, axis: { format: '.0%' } }, tooltip },
      },
      {
        title: 'distinct functions in the population',
        width: WIDTH, height: 90,
        mark: { type: 'line', interpolate: 'step-after', color: '#2f6db5', strokeWidth: 1.6 },
        encoding: { x, y: { field: 'functions', type: 'quantitative', title: 'functions', scale: { zero: true }, axis: { tickMinStep: 1 } }, tooltip },
      },
    ],
    spacing: 14,
  } as unknown as TopLevelSpec;
}
