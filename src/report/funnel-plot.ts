/**
 * The Vega-Lite spec of the rejection funnel: one bar per step, its length the candidates left,
 * labelled with how many the step removed and its share of those that reached it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { FunnelStep } from './funnel.js';

/** The funnel chart. */
export function funnelPlotSpec(steps: readonly FunnelStep[]): TopLevelSpec {
  const rows = steps.map((s, i) => ({
    order: i,
    stage: s.stage,
    remaining: s.remaining,
    label: s.dropped > 0 ? `${s.remaining.toLocaleString('en-US')}  (−${s.dropped.toLocaleString('en-US')}, ${(100 * s.dropShare).toFixed(1)}%)` : s.remaining.toLocaleString('en-US'),
    end: i === 0 || i === steps.length - 1 ? 'end' : 'step',
  }));
  const y = { field: 'stage', type: 'nominal' as const, sort: rows.map((r) => r.stage), title: null, axis: { labelLimit: 220 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'rejection funnel: candidates left after each stage',
    width: 360,
    height: { step: 24 },
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          y,
          x: { field: 'remaining', type: 'quantitative', title: 'candidates', axis: { format: '~s' } },
          color: { field: 'end', type: 'nominal', legend: null, scale: { domain: ['end', 'step'], range: ['#2f6db5', '#9bb8de'] } },
          description: { field: 'label' },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#222' },
        encoding: { y, x: { field: 'remaining', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}
