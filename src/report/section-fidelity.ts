/**
 * The fidelity section: how well the search's score predicts a longer training on held-out data
 * (from `evonorm fidelity --panel runs/<name>`), in words, as a proxy-versus-target scatter of
 * the panel's layer means, and as a table of the correlations with their intervals.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RunConfig } from '../config/run-config.js';
import { calibrationOf, calibrationSentence } from '../protocol/calibrations.js';
import { fidelityVerdict } from '../protocol/format-fidelity.js';
import type { FidelityReport } from '../protocol/fidelity.js';
import type { FidelityResults } from './fidelity-results.js';
import { esc } from './html.js';
import { vegaLiteToSvg } from './render-vega.js';

const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}` : 'n/a');

/** The scatter of the aggregate column: one point per layer, proxy mean against target mean. */
export function fidelityPlotSpec(report: FidelityReport): TopLevelSpec | undefined {
  const stats = report.stats;
  if (!stats) return undefined;
  const proxy = stats.proxy.columns.at(-1)!.layerMeans;
  const target = stats.target.columns.at(-1)!.layerMeans;
  const half = new Set(stats.betterHalf);
  const values = report.layers.map((l, i) => ({ layer: l.name, expression: l.expression, proxy: proxy[i], target: target[i], half: half.has(i) ? 'better half (by target)' : 'other half' }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'search score (proxy) vs longer training on held-out data (target)',
    width: 440,
    height: 320,
    data: { values },
    mark: { type: 'point', filled: true, size: 50 },
    encoding: {
      x: { field: 'proxy', type: 'quantitative', title: `proxy: mean accuracy (${report.proxy.dataset}, ${report.proxy.steps} steps, validation)`, scale: { zero: false } },
      y: { field: 'target', type: 'quantitative', title: `target: mean accuracy (${report.target.dataset}, ${report.target.steps} steps, held-out test)`, scale: { zero: false } },
      color: { field: 'half', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      tooltip: [{ field: 'layer' }, { field: 'expression' }, { field: 'proxy', format: '.4f' }, { field: 'target', format: '.4f' }],
    },
  } as unknown as TopLevelSpec; // built from plain objects; vega-lite validates at compile
}

/** What the calibration study measured for this run's protocol (nothing for a training-free run). */
function calibrationHtml(config: RunConfig | undefined): string {
  if (config?.objective !== 'proxy' || config.evaluation === undefined) return '';
  return `<p id="protocol-calibration">${esc(calibrationSentence(calibrationOf(config.evaluation), config.evaluation.seeds))}</p>`;
}

/** The section, or a note saying how to get one; with what the calibration study says of the run's protocol. */
export async function fidelitySectionHtml(results: FidelityResults, runPath: string, config?: RunConfig): Promise<string> {
  if (results.state === 'absent') {
    return `<section id="fidelity"><h2>Fidelity</h2>${calibrationHtml(config)}<p class="note" id="fidelity-state">No fidelity study: is this search's score worth optimising? <code>evonorm fidelity --panel ${esc(runPath)} --proxy &lt;this run's config&gt; --target &lt;a longer protocol&gt;</code> trains a sample of its layers under both and tells.</p></section>`;
  }
  if (results.state === 'unreadable') return `<section id="fidelity"><h2>Fidelity</h2>${calibrationHtml(config)}<p class="note" id="fidelity-state">No fidelity figures shown: ${esc(results.reason)}.</p></section>`;
  const report = results.report;
  const spec = fidelityPlotSpec(report);
  const plot = spec ? `<div class="plot" id="fidelity-plot">${await vegaLiteToSvg(spec)}</div>` : '';
  const rows = (report.stats?.correlations ?? []).map((c) => `<tr><td>${esc(c.name)}</td><td class="num">${c.all.layers}</td><td class="num">${signed(c.all.rho)} [${signed(c.all.rhoLow)}, ${signed(c.all.rhoHigh)}]</td><td class="num">${signed(c.all.tau)}</td><td class="num">${c.all.top5}/5</td><td class="num">${signed(c.betterHalf.rho)} [${signed(c.betterHalf.rhoLow)}, ${signed(c.betterHalf.rhoHigh)}]</td></tr>`).join('');
  const table = rows ? `<table class="fidelity-table"><tr><th>column</th><th>layers</th><th>Spearman ρ, 95%</th><th>Kendall τ-b</th><th>top-5 shared</th><th>better half ρ, 95%</th></tr>${rows}</table>` : '';
  return `<section id="fidelity"><h2>Fidelity</h2>${calibrationHtml(config)}<p id="fidelity-verdict">${esc(fidelityVerdict(report))}</p>
<p class="note">Proxy: ${esc(report.proxy.config)} (${esc(report.proxy.dataset)}); target: ${esc(report.target.config)} (${esc(report.target.dataset)}), from fidelity/fidelity.json.</p>
<div class="plots">${plot}<div class="plot">${table}</div></div></section>`;
}
