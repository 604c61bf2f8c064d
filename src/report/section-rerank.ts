/** The rerank section: held-out scores of the front's best layers and the baselines, with intervals. */
import { esc } from './html.js';

/** Accuracies and their differences: four decimals. */
const fmt4 = (v: number): string => v.toFixed(4);
import { rerankPlotSpec } from './rerank-plot.js';
import type { RerankRow } from './rerank-results.js';
import { vegaLiteToSvg } from './render-vega.js';
import type { ReportModel } from './report-model.js';

/** Text ending with a full stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** A table of rerank rows: mean ± sd over the seeds that trained, and the difference to the baseline with its interval. */
export function rerankTable(rows: readonly RerankRow[]): string {
  const body = rows.map((r) => {
    const d = r.vsBaseline;
    const diff = d ? `${d.mean >= 0 ? '+' : ''}${fmt4(d.mean)} [${fmt4(d.low)}, ${fmt4(d.high)}]${d.low > 0 || d.high < 0 ? ' *' : ''}` : 'baseline';
    return `<tr><td>${esc(r.layer)}</td><td>${esc(r.arch)}${r.batchSize !== undefined ? ` · ${r.batchSize}` : ''}</td><td class="num">${fmt4(r.mean)}${r.sd !== undefined ? ` ± ${fmt4(r.sd)}` : ''}</td><td class="num">${r.trained}${r.planned !== undefined ? `/${r.planned}` : ''}</td><td class="num">${esc(diff)}</td></tr>`;
  }).join('');
  return `<table class="rerank-table"><tr><th>layer</th><th>architecture · batch</th><th>held-out mean ± sd</th><th>seeds</th><th>vs baseline, 95% CI</th></tr>${body}</table>`;
}

/** The rerank section: every rerank row, or why there is none. */
export async function rerankSectionHtml(model: ReportModel): Promise<string> {
  const r = model.rerank;
  if (r.state === 'absent') {
    return `<section id="rerank"><h2>Rerank</h2><p class="note" id="rerank-state">No rerank results: ${esc(model.runPath)}/rerank/ does not exist (run <code>evonorm rerank ${esc(model.runPath)}</code>).</p></section>`;
  }
  if (r.state === 'unreadable') {
    return `<section id="rerank"><h2>Rerank</h2><p class="note" id="rerank-state">No rerank results shown: rerank/ exists but ${esc(r.reason)}.</p></section>`;
  }
  const spec = rerankPlotSpec(r.rows, r.baseline);
  const plot = spec ? `<div class="plot" id="rerank-plot">${await vegaLiteToSvg(spec)}</div>` : '';
  const best = r.best3.map((b) => `<li>${b.batchSize !== undefined ? `batch ${b.batchSize}: ` : ''}${b.layers.length ? b.layers.map(esc).join(', ') : 'no layer qualifies'}</li>`).join('');
  const rule = r.best3.find((b) => b.rule)?.rule;
  return `<section id="rerank"><h2>Rerank</h2>
<p class="note" id="rerank-state">From rerank/summary.json${r.complete ? '' : ' — <b>incomplete</b>: some trainings are missing; rerun the rerank to finish'}. ${esc(sentence(r.description ?? 'Each layer retrained at several seeds and scored on held-out data'))} * marks a difference whose interval excludes 0.</p>
<div class="plots">${plot}<div class="plot">${rerankTable(r.rows)}${best ? `<h3>best 3</h3><ul>${best}</ul>${rule ? `<p class="note">${esc(rule)}</p>` : ''}` : ''}</div></div></section>`;
}
