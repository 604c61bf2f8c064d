/** The Pareto scatters and the search-over-time plots, rendered to inline SVG. */
import { esc, fmtCount, fmtValue } from './html.js';
import { funnelPlotSpec } from './funnel-plot.js';
import { paretoPlotSpec } from './pareto-plot.js';
import { progressPlotSpec, ratePlotSpec } from './progress-plots.js';
import { diversityPlotSpec } from './diversity-plot.js';
import { vegaLiteToSvg } from './render-vega.js';
import type { ReportModel } from './report-model.js';

/** At most this many objective pairs get a scatter; beyond, each objective against the first. */
const MAX_PAIRS = 6;

/** The objective pairs to draw. */
export function objectivePairs(k: number): [number, number][] {
  const all: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) all.push([i, j]);
  if (all.length <= MAX_PAIRS) return all;
  return Array.from({ length: k - 1 }, (_, m) => [0, m + 1] as [number, number]);
}

/** The Pareto section: one scatter per objective pair, with what the objectives are. */
export async function frontSectionHtml(model: ReportModel): Promise<string> {
  const k = model.progress.k;
  const meanings = `<table class="kv">${model.objectiveNames.map((n, m) => `<tr><td>${esc(n)}</td><td>${esc(model.objectiveMeanings[m])}</td></tr>`).join('')}</table>`;
  if (k === 0) return `<section id="front"><h2>Pareto front</h2><p class="note" id="front-plot">No candidate has been scored yet: nothing to plot.</p></section>`;
  const pairs = objectivePairs(k);
  const points = model.scatter.points;
  const plots: string[] = [];
  if (k === 1) {
    // One objective: its values against the candidate id.
    plots.push(await vegaLiteToSvg(paretoPlotSpec({ points: points.map((p) => ({ ...p, objectives: [p.id, p.objectives[0]] })), x: 0, y: 1, names: ['candidate id', model.objectiveNames[0]], k: 1 })));
  } else {
    for (const [x, y] of pairs) plots.push(await vegaLiteToSvg(paretoPlotSpec({ points, x, y, names: model.objectiveNames, k })));
  }
  const thinned = model.scatter.note ? ` ${esc(model.scatter.note)}` : '';
  const pairNote = pairs.length < (k * (k - 1)) / 2 ? ` With ${k} objectives, each is drawn against ${esc(model.objectiveNames[0])} only.` : '';
  return `<section id="front"><h2>Pareto front</h2>
<p class="note">Every scored candidate (${fmtCount(model.scatter.scored)}; ${fmtCount(model.scatter.functions)} distinct functions, one point each), front members in red, seed and zoo layers as labelled diamonds. Hover a point for its formula.${thinned}${pairNote}</p>
${meanings}
<div class="plots"><div class="plots" id="front-plot">${plots.map((svg, i) => `<div class="plot pareto-plot" data-pair="${pairs[i]?.join('-') ?? '0'}">${svg}</div>`).join('')}</div>${frontTable(model)}</div></section>`;
}

/** The search-over-time section: best, hypervolume and front size; the rate; the diversity; the funnel. */
export async function progressSectionHtml(model: ReportModel): Promise<string> {
  const p = model.progress;
  const parts: string[] = [];
  if (p.points.length > 0 && model.counts.proposed > 0) {
    parts.push(`<div class="plot" id="progress-plot">${await vegaLiteToSvg(progressPlotSpec(p, model.objectiveNames))}</div>`);
  } else parts.push('<p class="note" id="progress-plot">Nothing proposed yet.</p>');
  const side: string[] = [];
  if (model.rate.length > 0) side.push(`<div class="plot" id="rate-plot">${await vegaLiteToSvg(ratePlotSpec(model.rate))}</div>`);
  if (model.diversity.series.length > 0) side.push(`<div class="plot" id="diversity-plot">${await vegaLiteToSvg(diversityPlotSpec(model.diversity.series))}${diversityNote(model)}</div>`);
  side.push(`<div class="plot" id="funnel">${await vegaLiteToSvg(funnelPlotSpec(model.funnel))}${funnelTable(model)}</div>`);
  const ref = p.reference.length > 0 ? `Hypervolume is measured against the reference point (${p.reference.map(fmtValue).join(', ')}), each objective's lowest score in the run.` : '';
  const hvNote = p.hypervolumeNote ? ` ${esc(p.hypervolumeNote[0].toUpperCase() + p.hypervolumeNote.slice(1))}.` : '';
  const levelNote = p.levels > 0
    ? ' With promotion levels the front is the run\'s front as it stood, as the search\'s selection and status see it: two layers are compared at the highest level both were measured at, and a promotion can take a layer off it (the front size and hypervolume then drop). The hypervolume is measured on the front members\' level-0 scores, the one scale all of them have; the best values are drawn per level, each among the layers measured at that level, since scores of two levels are never compared.'
    : '';
  return `<section id="progress"><h2>The search over time</h2>
<p class="note">Against candidates proposed (${fmtCount(p.points.length)} samples). ${esc(ref)}${hvNote}${esc(levelNote)}</p>
<div class="plots">${parts.join('')}<div style="display:flex;flex-direction:column;gap:14px">${side.join('')}</div></div></section>`;
}

/** The latest population's families under the diversity chart. */
function diversityNote(model: ReportModel): string {
  const { latest, topFamilies } = model.diversity;
  if (latest === null) return '';
  const families = topFamilies.map((f) => `<code>${esc(f.family)}</code> ${f.count}`).join(', ');
  return `<p class="note">Now: ${fmtCount(latest.size)} members, ${fmtCount(latest.distinctFunctions)} distinct functions in ${fmtCount(latest.families)} structural families (the outermost op chain); largest: ${families}.</p>`;
}

/** Rows of the front table beside the scatter. */
const FRONT_TABLE_ROWS = 15;

function frontTable(model: ReportModel): string {
  const rows = model.front.slice(0, FRONT_TABLE_ROWS).map((layer) => {
    const p = layer.record.proposed;
    const formula = p.expression.length > 70 ? `${p.expression.slice(0, 69)}…` : p.expression;
    return `<tr><td class="num">${layer.position}</td><td><a href="#layer-${p.id}">#${p.id}</a>${layer.zoo ? ` ${esc(layer.zoo)}` : ''}</td>${layer.objectives.map((v) => `<td class="num">${fmtValue(v)}</td>`).join('')}<td class="formula-cell"><code title="${esc(p.expression)}">${esc(formula)}</code></td></tr>`;
  }).join('');
  const total = model.progress.front.length;
  const more = total > FRONT_TABLE_ROWS ? `<p class="note">… and ${fmtCount(total - FRONT_TABLE_ROWS)} more in <a href="#layers">Front layers</a>.</p>` : '';
  return `<div class="plot front-table"><h3>The front (${fmtCount(total)} layer${total === 1 ? '' : 's'})</h3><table><tr><th></th><th>candidate</th>${model.objectiveNames.map((n) => `<th>${esc(n)}</th>`).join('')}<th>formula</th></tr>${rows}</table>${more}</div>`;
}

function funnelTable(model: ReportModel): string {
  const rows = model.funnel.map((s) => `<tr><td>${esc(s.stage)}</td><td class="num">${fmtCount(s.remaining)}</td><td class="num">${s.dropped > 0 ? `−${fmtCount(s.dropped)}` : ''}</td><td class="num">${s.dropped > 0 ? `${(100 * s.dropShare).toFixed(1)}%` : ''}</td></tr>`).join('');
  return `<table class="funnel-table"><tr><th>stage</th><th>left</th><th>removed</th><th>of those reaching it</th></tr>${rows}</table>`;
}
