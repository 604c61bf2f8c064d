// The last recorded population of a run: members per structural family, and how many of them were
// scored (the rest were rejected: they age through the population but lose every tournament).
// Usage: node results/bench-funnel/population.mjs runs-bench/plain-s0
import { readJournal } from '../../dist/src/run/index.js';
import { structuralFamily, parseExpression } from '../../dist/src/index.js';
import { join } from 'node:path';

const { events } = readJournal(join(process.argv[2], 'journal.jsonl'));
const proposed = new Map(), status = new Map();
let population = null;
for (const e of events) {
  if (e.type === 'proposed') proposed.set(e.id, e);
  if (e.type === 'evaluated') status.set(e.id, e.evaluation.status);
  if (e.type === 'generation' && e.population) population = e.population;
}
const fam = new Map();
for (const id of population ?? []) {
  const f = structuralFamily(parseExpression(proposed.get(id).expression));
  const row = fam.get(f) ?? { family: f, members: 0, scored: 0 };
  row.members++; if (status.get(id) === 'ok') row.scored++;
  fam.set(f, row);
}
const rows = [...fam.values()].sort((a, b) => b.members - a.members);
console.log(JSON.stringify({ run: process.argv[2], size: population?.length ?? 0, scored: rows.reduce((s, r) => s + r.scored, 0), families: rows }));
