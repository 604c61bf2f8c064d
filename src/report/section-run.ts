/** The run's facts: config, seed, backend, machine, workers, cost and versions. */
import { esc, fmtDuration, fmtTime } from './html.js';
import type { ReportModel } from './report-model.js';

/** The "the run" section. */
export function runSectionHtml(model: ReportModel): string {
  const m = model.manifest;
  const c = model.config;
  const dispatch = c ? `${c.dispatch.mode}${c.dispatch.mode === 'inline' ? '' : `, ${c.dispatch.workers} worker${c.dispatch.workers === 1 ? '' : 's'}`}` : undefined;
  const rows: [string, string | undefined][] = [
    ['run folder', model.runPath],
    ['seed', m ? String(m.seed) : c ? String(c.seed) : undefined],
    ['objective', c ? (c.objective === 'fast' ? `fast (function match to ${c.fast.target}, ${c.fast.objectives} objectives)` : `proxy (${c.evaluation?.architectures.length ?? 0} proxy networks)`) : undefined],
    ['backend', m?.backend],
    ['machine', m ? `${m.hostname}: ${m.cpuModel}, ${m.cpuCount} CPUs` : undefined],
    ['workers', dispatch ? `${dispatch}${model.workerIds.length > 0 ? `; worker ids seen: ${model.workerIds.slice(0, 12).join(', ')}${model.workerIds.length > 12 ? ', …' : ''}` : ''}` : model.workerIds.join(', ') || undefined],
    ['cost', `${fmtDuration(model.computeMs)} of evaluation time (cache hits excluded) over ${fmtDuration(model.state.elapsedMs)} of wall time`],
    ['versions', m ? `evonorm ${m.evonormVersion}, Node.js ${m.nodeVersion}, tfjs ${m.tfjsVersion ?? 'unknown'}` : undefined],
    ['started', m ? fmtTime(m.startedAt) : undefined],
    ['command', m ? m.argv.join(' ') : undefined],
  ];
  const table = rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v === undefined ? '<span class="note">not recorded (see the problems above)</span>' : esc(v)}</td></tr>`).join('');
  const config = model.config ?? model.rawConfig;
  const configHtml = config === undefined ? '<p class="note">No readable config.json.</p>' : `<details><summary>config.json${model.config ? ' (resolved, with defaults)' : ' (as written; not a valid config)'}</summary><pre>${esc(JSON.stringify(config, null, 2))}</pre></details>`;
  return `<section id="run"><h2>The run</h2><table class="kv">${table}</table>${configHtml}</section>`;
}
