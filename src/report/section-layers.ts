/**
 * The front layers, one card each: formula, Graphviz drawing, objectives (± standard error when
 * evaluation.seeds > 1), how often the same
 * function was proposed, lineage with the mutation at each step, and its rerank rows if any;
 * then the rerank section.
 */
import { graphFromJson } from '../graph/json.js';
import { parseExpression } from '../graph/parse.js';
import type { LayerGraph } from '../graph/types.js';
import type { ProposedEvent } from '../run/journal/events.js';
import { objectiveErrorsOf, withError } from '../run/replay/objective-errors.js';
import type { LevelScore } from '../run/replay/level-scores.js';
import { esc, fmtCount, fmtValue } from './html.js';
import type { LineageStep } from './lineage.js';
import { deadNodeCount, graphToSvg } from './render-graph.js';
import type { FrontLayer, ReportModel } from './report-model.js';
import type { RerankRow } from './rerank-results.js';
import { rerankTable } from './section-rerank.js';

/** Lineages longer than this show their first and last steps only. */
const HEAD_STEPS = 3;
const TAIL_STEPS = 25;

/** The front-layers section. */
export async function layersSectionHtml(model: ReportModel): Promise<string> {
  if (model.front.length === 0) return '<section id="layers"><h2>Front layers</h2><p class="note">No front yet.</p></section>';
  const rows = model.rerank.state === 'present' ? model.rerank.rows : [];
  const cards: string[] = [];
  for (const layer of model.front) cards.push(await layerCard(layer, model, rows));
  const more = model.frontOmitted > 0 ? `<p class="note">${fmtCount(model.frontOmitted)} more front layers are not shown as cards (the export has all of them).</p>` : '';
  return `<section id="layers"><h2>Front layers</h2>
<p class="note">The Pareto front, one layer per function, ordered by ${esc(model.objectiveNames[0] ?? 'the first objective')} (best first)${model.promotion ? '; with promotion levels, two layers are compared at the highest level both were measured at, and each card shows its objectives at every level it passed' : ''}.</p>
<div class="layers">${cards.join('')}</div>${more}</section>`;
}

async function layerCard(layer: FrontLayer, model: ReportModel, rerankRows: readonly RerankRow[]): Promise<string> {
  const p = layer.record.proposed;
  const svg = await drawing(p);
  const errors = objectiveErrorsOf(layer.record.evaluated?.evaluation);
  const objectives = layer.levels
    ? levelTable(layer.levels, model.objectiveNames)
    : `<table>${model.objectiveNames.map((n, m) => `<tr><td>${esc(n)}</td><td class="num">${withError(fmtValue(layer.objectives[m]), errors?.[m])}</td></tr>`).join('')}</table>`;
  const repeats = layer.sameFunction > 1 || layer.sameStructure > 1
    ? `Proposed again: the same function ${fmtCount(layer.sameFunction - 1)}× (cache hits)${layer.sameStructure > 1 ? `, the same structure ${fmtCount(layer.sameStructure - 1)}×` : ''}.`
    : 'Proposed once.';
  const mine = rerankRows.filter((r) => r.candidateId === p.id);
  const level = layer.level !== undefined ? ` · level ${layer.level}` : '';
  return `<div class="layer" id="layer-${p.id}"><h3>#${layer.position} · candidate ${p.id}${level}${layer.zoo ? ` · ${esc(layer.zoo)}` : ''}${p.origin === 'seed' ? ' · seed layer' : ''}</h3>
<div class="formula">${esc(p.expression)}</div>
<div class="graph-drawing">${svg}</div>
${objectives}
<p class="note">${repeats} Batch ${p.batch}.</p>
${lineageHtml(layer)}
${mine.length > 0 ? `<h3>rerank</h3>${rerankTable(mine)}` : ''}</div>`;
}

/** A promoted run's objectives table: one column per level the layer passed (± standard error where that level has seeds > 1). */
function levelTable(levels: readonly LevelScore[], names: readonly string[]): string {
  const head = `<tr><th></th>${levels.map((l) => `<th>level ${l.level}</th>`).join('')}</tr>`;
  const rows = names.map((n, m) => `<tr><td>${esc(n)}</td>${levels.map((l) => `<td class="num">${withError(fmtValue(l.objectives[m]), l.objectiveErrors?.[m])}</td>`).join('')}</tr>`).join('');
  return `<table class="levels">${head}${rows}</table>`;
}

async function drawing(p: ProposedEvent): Promise<string> {
  let graph: LayerGraph;
  try {
    graph = p.graph !== undefined ? graphFromJson(p.graph, { maxNodes: Number.MAX_SAFE_INTEGER }) : parseExpression(p.expression);
  } catch (err) {
    return `<p class="note">The graph could not be read from the journal (${esc((err as Error).message)}).</p>`;
  }
  const dead = deadNodeCount(graph);
  const note = dead > 0 ? `<div class="note">${dead} dead node${dead === 1 ? '' : 's'} (not read by the output) not drawn.</div>` : '';
  return `${await graphToSvg(graph, `candidate ${p.id}`)}${note}`;
}

function lineageHtml(layer: FrontLayer): string {
  const { steps, root, mutations } = layer.lineage;
  const rootText = { seed: 'a seed layer', random: 'a random graph', fallback: 'a random graph (a mutation that fell back)', unknown: 'a candidate missing from the journal' }[root];
  const kinds = Object.entries(mutations).sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ×${n}`).join(', ');
  const generations = steps.length - 1;
  const summary = generations === 0 ? `Lineage: it is ${rootText} itself.` : `Lineage: ${fmtCount(generations)} mutation${generations === 1 ? '' : 's'} from ${rootText} (#${steps[0].id})${kinds ? `: ${kinds}` : ''}.`;
  if (generations === 0) return `<p class="note">${esc(summary)}</p>`;
  const shown: (LineageStep | null)[] = steps.length > HEAD_STEPS + TAIL_STEPS ? [...steps.slice(0, HEAD_STEPS), null, ...steps.slice(-TAIL_STEPS)] : steps;
  const skipped = steps.length - HEAD_STEPS - TAIL_STEPS;
  const rows = shown.map((s) => (s === null
    ? `<tr><td colspan="4" class="note">… ${fmtCount(skipped)} steps …</td></tr>`
    : `<tr><td class="num">#${s.id}</td><td>${esc(s.how)}</td><td>${s.objectives ? s.objectives.map(fmtValue).join(' / ') : s.rejected ? `rejected (${esc(s.rejected)})` : ''}</td><td><code>${esc(s.expression)}</code></td></tr>`)).join('');
  return `<details class="lineage"><summary>${esc(summary)}</summary><table><tr><th>id</th><th>how it arose</th><th>objectives</th><th>formula</th></tr>${rows}</table></details>`;
}
