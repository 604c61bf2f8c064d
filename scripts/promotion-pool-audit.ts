/**
 * Why promotions dry up in a long run, and what search.promotionPool "population" changes: at
 * every settle point of a run's journal, how many unpromoted candidates the promotion rule finds
 * eligible for level 1 (src/search/levels.ts promotionChoice, before the cap k) under each pool:
 *
 *   front (the default)  rung 0 = the level-0 Pareto front of every candidate scored so far (the
 *                        evolver's hall of fame) ∪ every promoted candidate
 *   population           rung 0 = the population recorded at that settle point (generation events)
 *
 * A what-if on the run's own path: the run itself promoted with its own pool, so the counts for
 * the other pool say who would have been eligible there, not what that run would have become.
 *
 *   node --import tsx scripts/promotion-pool-audit.ts <run folder> [--every 250]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readJournal } from '../src/run/journal/journal.js';
import { promotionChoice, type Leveled } from '../src/search/levels.js';
import { isFinitePoint, paretoFront, type ObjectivePoint } from '../src/search/pareto.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { every: { type: 'string', default: '250' } } });
const every = Number(values.every);
if (positionals.length !== 1 || !Number.isInteger(every) || every < 1) {
  process.stderr.write('usage: promotion-pool-audit.ts <run folder> [--every n]\n');
  process.exit(2);
}

const scored = new Map<number, ObjectivePoint>();
const levels = new Map<number, ObjectivePoint[]>();
const promoted = new Set<number>();
const hashes = new Set<string>();
interface Row { readonly batch: number; readonly maxId: number; readonly front: number; readonly population: number; readonly actual: number }
const rows: Row[] = [];
let actualSince = 0;
let maxId = -1;

/** Candidates eligible for level 1 among `pool` ids (rung 0 only: the climb from the cheap score). */
function eligible(pool: Iterable<number>): number {
  const members: Leveled[] = [...new Set(pool)].flatMap((id) => {
    const l0 = scored.get(id);
    return l0 ? [{ id, levels: levels.get(id) ?? [l0] }] : [];
  }).sort((a, b) => a.id - b.id);
  return promotionChoice(members, 1, Number.MAX_SAFE_INTEGER, promoted).length;
}

for (const e of readJournal(join(positionals[0], 'journal.jsonl')).events) {
  if (e.type === 'proposed') maxId = Math.max(maxId, e.id);
  // One per graph hash, as the evolver's hall of fame keeps (paretoArchive by hash): a later
  // identical candidate is a cache hit with the same scores, never a new one to promote.
  if (e.type === 'evaluated' && e.evaluation.status === 'ok' && isFinitePoint(e.evaluation.objectives) && !scored.has(e.id) && !hashes.has(e.hash)) {
    scored.set(e.id, e.evaluation.objectives);
    hashes.add(e.hash);
  }
  if (e.type === 'promoted') {
    if (e.level === 1 && !promoted.has(e.id)) actualSince++;
    promoted.add(e.id);
  }
  if (e.type === 'promotion-evaluated' && e.evaluation.status === 'ok' && (levels.get(e.id)?.length ?? 1) === e.level) {
    // The first result at the next level (a resumed run may journal one again).
    levels.set(e.id, [...(levels.get(e.id) ?? [scored.get(e.id)!]), e.evaluation.objectives]);
  }
  if (e.type === 'generation' && e.population) {
    // The hall of fame then: the level-0 front of every candidate scored so far.
    const ids = [...scored.keys()];
    const hallOfFame = paretoFront(ids.map((id) => scored.get(id)!)).map((i) => ids[i]);
    rows.push({ batch: e.batch, maxId, front: eligible([...hallOfFame, ...levels.keys()]), population: eligible(e.population), actual: actualSince });
    actualSince = 0;
  }
}

const out = ['| candidates | settle points | with ≥ 1 eligible: front pool | population pool | mean eligible: front | population | level-1 promotions in the run |', '| --- | --- | --- | --- | --- | --- | --- |'];
for (let start = 0; start <= maxId; start += every) {
  const group = rows.filter((r) => r.maxId >= start && r.maxId < start + every);
  if (group.length === 0) continue;
  const mean = (f: (r: Row) => number): string => (group.reduce((a, r) => a + f(r), 0) / group.length).toFixed(2);
  out.push(`| ${start}–${start + every - 1} | ${group.length} | ${group.filter((r) => r.front > 0).length} | ${group.filter((r) => r.population > 0).length} | ${mean((r) => r.front)} | ${mean((r) => r.population)} | ${group.reduce((a, r) => a + r.actual, 0)} |`);
}
process.stdout.write(`${out.join('\n')}\n`);
