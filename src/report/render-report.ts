/** Renders the report model to one self-contained HTML page (inline SVG, CSS and script; no network). */
import { esc } from './html.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page-assets.js';
import type { ReportModel } from './report-model.js';
import { headerHtml, problemsHtml, statsHtml } from './section-overview.js';
import { frontSectionHtml, progressSectionHtml } from './section-plots.js';
import { layersSectionHtml } from './section-layers.js';
import { rerankSectionHtml } from './section-rerank.js';
import { fidelitySectionHtml } from './section-fidelity.js';
import type { FidelityResults } from './fidelity-results.js';
import { runSectionHtml } from './section-run.js';

/** The page of `model`, written at `writtenAt` (ISO time). */
export async function renderReportHtml(model: ReportModel, writtenAt: string, fidelity: FidelityResults = { state: 'absent' }): Promise<string> {
  const body = [
    headerHtml(model, writtenAt),
    '<nav><a href="#front">Pareto front</a><a href="#progress">Search over time</a><a href="#layers">Front layers</a><a href="#rerank">Rerank</a><a href="#fidelity">Fidelity</a><a href="#run">The run</a></nav>',
    '<main>',
    problemsHtml(model),
    `<section id="summary">${statsHtml(model)}</section>`,
    await frontSectionHtml(model),
    await progressSectionHtml(model),
    await layersSectionHtml(model),
    await rerankSectionHtml(model),
    await fidelitySectionHtml(fidelity, model.runPath, model.config),
    runSectionHtml(model),
    '</main>',
    '<div id="tip"></div>',
  ].join('\n');
  const state = model.state.kind;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="evonorm report">
<meta name="evonorm-run-state" content="${state}">
<meta name="evonorm-written-at" content="${esc(writtenAt)}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>evonorm · ${esc(model.runName)}${state === 'running' ? ' (running)' : ''}</title>
<style>${PAGE_CSS}</style></head>
<body>
${body}
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
