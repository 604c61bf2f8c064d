/** The report's header (run name, state, when written), the problems box and the headline numbers. */
import { esc, fmtCount, fmtDuration, fmtTime, fmtValue } from './html.js';
import type { ReportModel } from './report-model.js';
import { describePromotion } from '../run/replay/level-scores.js';
import { describeLevelCosts } from '../run/replay/level-cost.js';

/** The header: run name, a badge with the run's state, and when the report was written. */
export function headerHtml(model: ReportModel, writtenAt: string): string {
  const s = model.state;
  const badge = {
    finished: `finished (${esc(s.finishReason ?? '')})`,
    running: 'search running',
    interrupted: 'interrupted',
    crashed: 'crashed',
    empty: 'no candidates yet',
  }[s.kind];
  const explain = {
    finished: 'The search has stopped; this is its final report.',
    running: `The search is still running${s.holder ? ` (${s.holder})` : ''}: this report is a snapshot, rewritten at checkpoints; reload the page for a newer one.`,
    interrupted: 'The search was stopped cleanly (Ctrl-C); continue it with evonorm search --resume.',
    crashed: 'The last session stopped without finishing (kill -9, a crash or a power loss): this report shows what the journal holds; continue with evonorm search --resume.',
    empty: 'The run folder has no candidates yet.',
  }[s.kind];
  const last = s.lastEventAt ? ` · last journal event ${esc(fmtTime(s.lastEventAt))}` : '';
  return `<header><h1>evonorm run ${esc(model.runName)}</h1>
<div class="sub"><span class="badge ${s.kind}" id="run-state">${badge}</span>report written ${esc(fmtTime(writtenAt))}${last}</div>
<div class="sub" style="margin-top:4px">${esc(explain)} <span style="opacity:.75">${esc(model.runPath)}</span></div></header>`;
}

/** The problems box: what is missing or damaged in the run folder (nothing when all is well). */
export function problemsHtml(model: ReportModel): string {
  if (model.problems.length === 0) return '';
  return `<div class="problems" id="problems"><b>This report is partial.</b><ul>${model.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`;
}

/** The headline numbers. */
export function statsHtml(model: ReportModel): string {
  const c = model.counts;
  const stat = (value: string, label: string): string => `<div class="stat"><b>${value}</b><span>${esc(label)}</span></div>`;
  const best = model.objectiveNames.map((n, m) => stat(fmtValue(model.progress.points.at(-1)?.best[m] ?? Number.NaN), `best ${n}${model.progress.levels > 0 ? ' (level 0)' : ''}`)).join('');
  return `<div class="stats">${[
    stat(fmtCount(c.proposed), 'candidates proposed'),
    stat(fmtCount(c.scored), 'scored'),
    stat(fmtCount(c.rejected), 'rejected'),
    stat(fmtCount(c.cacheHits), 'cache hits'),
    c.pending > 0 ? stat(fmtCount(c.pending), 'being evaluated') : '',
    stat(fmtCount(model.frontSize), 'Pareto-front layers'),
    best,
    stat(esc(fmtDuration(model.state.elapsedMs)), `wall time (${model.state.sessions} session${model.state.sessions === 1 ? '' : 's'})`),
  ].join('')}</div>${model.verdict ? `<p class="verdict" id="verdict"><b>Did the search find anything?</b> ${esc(model.verdict.sentence)}</p>` : ''}${model.levelVerdict ? `<p class="verdict" id="level-verdict">${esc(model.levelVerdict.sentence)}</p>` : ''}${promotionHtml(model)}${topLevelHtml(model)}`;
}

/** Every layer measured at the highest promotion level, best mean first (src/run/status/level-table.ts). */
function topLevelHtml(model: ReportModel): string {
  const t = model.topLevel;
  if (t === null || t.rows.length === 0) return '';
  const cell = (v: number, se: number | null): string => `${fmtValue(v)}${se === null ? '' : ` ± ${se.toFixed(4)}`}`;
  const head = `<tr><th>id</th>${model.objectiveNames.map((n) => `<th>${esc(n)}</th>`).join('')}<th>mean</th><th>formula</th></tr>`;
  const rows = t.rows.map((r) => `<tr><td class="num">${r.id}</td>${r.objectives.map((v, m) => `<td class="num">${cell(v, r.errors[m] ?? null)}</td>`).join('')}<td class="num">${fmtValue(r.mean)}</td><td><code>${esc(r.expression)}</code>${r.mark ? ` · ${esc(r.mark)}` : ''}</td></tr>`).join('');
  return `<details class="top-level" id="top-level"><summary>Every layer measured at promotion level ${t.level}, the search's most accurate protocol (${t.rows.length}), best mean first; ± is the standard error over that level's seeds. The front is not this list: it compares two layers at the highest level both reached.</summary><table>${head}${rows}</table></details>`;
}

/** With promotion levels: evaluations per level, and how often a promotion changed the front. */
function promotionHtml(model: ReportModel): string {
  if (model.promotion === null) return '';
  const cost = model.levelCosts ? ` The price: ${esc(describeLevelCosts(model.levelCosts))}.` : '';
  return `<p class="note" id="promotion">Promotion levels: ${esc(describePromotion(model.promotion))}. Two candidates are compared at the highest level both were measured at.${cost}</p>`;
}
