/** `evonorm runs [DIR]`: the runs in a folder with state, progress against budget, best values and age. */
import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import type { RunListing } from '../run/status/list-runs.js';
import { formatTable } from '../util/table.js';

export function registerRuns(program: Command, ctx: CommandContext): void {
  program
    .command('runs')
    .description('list the runs in a folder: state (running, finished, interrupted, crashed), budget, best, age')
    .argument('[dir]', 'folder of runs', 'runs')
    .option('--json', 'print the list as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const { listRuns } = await import('../run/status/list-runs.js'); // loaded when the command runs, not at start-up
      const runs = listRuns(dir);
      if (opts.json) return ctx.io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
      if (runs.length === 0) return ctx.io.stdout(`no runs in ${dir}\n`);
      const now = Date.now();
      const rows = runs.map((r) => [r.name, stateCell(r), progress(r), best(r), age(r.startedAt, now), age(r.lastEventAt, now)]);
      ctx.io.stdout(`${formatTable(['run', 'state', 'proposed', 'best', 'started', 'last event'], rows)}\n`);
    });
}

function stateCell(r: RunListing): string {
  if (r.state === null) return `unreadable: ${r.problem ?? ''}`;
  if (r.state.state === 'running') return `running (pid ${r.state.holder?.pid} on ${r.state.holder?.host})`;
  return r.state.state === 'finished' ? `finished (${r.state.reason})` : r.state.state;
}

function progress(r: RunListing): string {
  return r.state === null ? '-' : `${r.proposed}/${r.budget ?? '?'}`;
}

function best(r: RunListing): string {
  if (r.best.length === 0) return '-';
  return r.best.map((v, m) => `${r.objectiveNames[m] ?? `obj${m + 1}`} ${v.toFixed(3)}`).join(', ');
}

/** "5 s ago", "3 min ago", "2 h ago", "4 d ago"; "-" when unknown. */
export function age(iso: string | null, now: number): string {
  if (iso === null) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}
