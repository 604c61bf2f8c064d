// One table row per run of the issue-17 benchmark, from the files saved in results/bench-funnel/:
// <run>.status.json (evonorm status --json), <run>.time.txt (/usr/bin/time -v),
// <run>.front-changes.json (front-changes.mjs). Usage: node results/bench-funnel/summarize.mjs plain-s0 funnel-s0 …
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const budget = 96;
const pct = (x) => `${Math.round(x * 100)}%`;
console.log('| run | state | proposed | largest family share at 25 / 50 / 75 / 100% (family at the end) | distinct functions at the end (of P) | families at the end | front | promotions (closing) | rejected at level 1 | cheap-front winners dropped | promotion results that changed the front | CPU s (user+sys) | wall |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const name of process.argv.slice(2)) {
  const s = JSON.parse(readFileSync(join(here, `${name}.status.json`), 'utf8'));
  const series = s.diversity.series;
  const at = (f) => {
    const target = f * budget;
    let best = null;
    for (const p of series) if (best === null || Math.abs(p.evaluated - target) < Math.abs(best.evaluated - target)) best = p;
    return best ? `${pct(best.largestShare)}` : '–';
  };
  const last = s.diversity.latest;
  let cpu = '–', wall = '–';
  const tf = join(here, `${name}.time.txt`);
  if (existsSync(tf)) {
    const t = readFileSync(tf, 'utf8');
    const num = (re) => Number(t.match(re)?.[1] ?? NaN);
    cpu = (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)).toFixed(0);
    wall = t.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/)?.[1] ?? '–';
  }
  let promos = '0', rej = '–', dropped = '–', changed = '–';
  const fc = join(here, `${name}.front-changes.json`);
  if (s.promotion) {
    rej = String(s.promotion.rejected[0]);
    dropped = `${s.promotion.dropped.length} of ${s.promotion.baseFront}`;
  }
  if (existsSync(fc)) {
    const c = JSON.parse(readFileSync(fc, 'utf8'));
    promos = `${c.promoted} (${c.closing})`;
    changed = `${c.changedFront} of ${c.evaluated}`;
  }
  const state = s.state.state === "finished" ? `finished (${s.state.reason ?? ""})` : s.state.state;
  console.log(`| ${name} | ${state} | ${s.proposed} | ${[0.25, 0.5, 0.75, 1].map(at).join(' / ')} (${last?.largestFamily ?? '–'}) | ${last ? `${last.distinctFunctions} of ${last.size}` : '–'} | ${last?.families ?? '–'} | ${s.front.length} | ${promos} | ${rej} | ${dropped} | ${changed} | ${cpu} | ${wall} |`);
}
