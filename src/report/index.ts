/**
 * The run report: one self-contained HTML file (no network, no server) with the Pareto scatters,
 * the search over time, the rejection funnel, the front layers with Graphviz drawings and
 * lineage, rerank results and the run's facts. Plots are Vega-Lite specs rendered to SVG in Node
 * (vega, vega-lite); graph drawings are Graphviz compiled to wasm (@viz-js/viz).
 */
export { writeReport } from './write-report.js';
export type { WriteReportOptions, WriteReportResult } from './write-report.js';
export { REPORT_FILE, defaultReportPath, reportLine } from './report-path.js';
export { readRunSnapshot } from './run-snapshot.js';
export type { RunSnapshot } from './run-snapshot.js';
export { buildReportModel } from './report-model.js';
export type { ReportModel, RunState, FrontLayer, ModelOptions } from './report-model.js';
export { renderReportHtml } from './render-report.js';
export { hypervolume } from './hypervolume.js';
export { progressSeries } from './progress-series.js';
export type { ProgressSeries, ProgressPoint, FrontMember } from './progress-series.js';
export { rejectionFunnel } from './funnel.js';
export type { FunnelStep } from './funnel.js';
export { lineageOf } from './lineage.js';
export type { Lineage, LineageStep } from './lineage.js';
export { readRerankResults } from './rerank-results.js';
export type { RerankResults, RerankRow } from './rerank-results.js';
export { createReportRefresher } from './refresher.js';
export type { ReportRefresher, ReportRefresherOptions } from './refresher.js';
