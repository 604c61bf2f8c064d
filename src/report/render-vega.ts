/**
 * Renders a Vega-Lite specification to an SVG string in Node: compiled to Vega by vega-lite,
 * then run headless by a vega View with no renderer and serialised with toSVG(). No browser
 * and no network: the specs carry their data inline.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The look shared by every plot of the report. */
export const PLOT_CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelColor: '#333', titleColor: '#333', gridColor: '#eee', titleFontWeight: 'normal' as const },
  legend: { labelColor: '#333', titleColor: '#333' },
  title: { fontSize: 13, fontWeight: 'bold' as const, anchor: 'start' as const, color: '#222' },
};

/** The SVG of a Vega-Lite spec (its data inline). */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  // Quiet: vega's warnings would land on the CLI's output; a spec that cannot render throws.
  const logger = vega.logger(vega.None);
  const vg = compile({ ...spec, config: { ...PLOT_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger, logLevel: vega.None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
