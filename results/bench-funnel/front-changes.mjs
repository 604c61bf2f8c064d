// For each promotion result in a run's journal: did applying it change the run's front?
// Compares summarizeRun's front (ids) on the journal up to just before each
// `promotion-evaluated` event with the front including it (the one replay every reader uses).
// Usage: node results/bench-funnel/front-changes.mjs runs-bench/funnel-s0   (prints one JSON document)
import { readJournal, replayJournal, summarizeRun } from '../../dist/src/run/index.js';
import { join } from 'node:path';

const run = process.argv[2];
const { events } = readJournal(join(run, 'journal.jsonl'));
const frontIds = (upTo) => summarizeRun(replayJournal(events.slice(0, upTo))).front.map((f) => f.id).sort((a, b) => a - b);
const results = [];
events.forEach((e, i) => {
  if (e.type !== 'promotion-evaluated') return;
  const before = frontIds(i);
  const after = frontIds(i + 1);
  const changed = before.join(',') !== after.join(',');
  results.push({ id: e.id, level: e.level, status: e.evaluation.status, objectives: e.evaluation.objectives ?? null,
    frontBefore: before, frontAfter: after, changed,
    left: before.filter((x) => !after.includes(x)), joined: after.filter((x) => !before.includes(x)) });
});
const promoted = events.filter((e) => e.type === 'promoted');
console.log(JSON.stringify({ run, promoted: promoted.length, closing: promoted.filter((e) => e.closing).length,
  evaluated: results.length, changedFront: results.filter((r) => r.changed).length, results }, null, 1));
