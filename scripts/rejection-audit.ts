/**
 * What each rejection stage stopped, by structural family (issue 17, item 3), from a run's
 * export/candidates.csv; and a seeded sample of stopped candidates outside the run's dominant
 * family's outermost op (not tanh(…) for discovery-1), as a panel file (one expression a line, `#` comments) to train anyway with
 * `evonorm fidelity --panel <file>` or `evonorm compare`.
 *
 *   node --import tsx scripts/rejection-audit.ts results/discovery-1/export/candidates.csv \
 *     [--sample 4] [--seed 0] [--families others|all] [--panel-out results/discovery-1/stopped-panel.txt]
 *
 * Family: src/graph/family.ts (the outermost op chain of the canonical graph). Seed layers count
 * like any other candidate. The stage of a rejection is the csv's `stage` column.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { structuralFamily } from '../src/graph/family.js';
import { parseExpression } from '../src/graph/parse.js';
import { parseCsv } from '../src/util/csv-read.js';
import { Rng } from '../src/util/rng.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { sample: { type: 'string', default: '4' }, seed: { type: 'string', default: '0' }, 'panel-out': { type: 'string' }, families: { type: 'string', default: 'others' } } });
// --families others: sample outside the largest family's outermost op (discovery-1: not tanh(…));
// all: from every family (discovery-2, whose largest family div(…) is the one its front is made of).
if (values.families !== 'others' && values.families !== 'all') {
  process.stderr.write(`--families must be "others" or "all", got ${values.families}\n`);
  process.exit(2);
}
if (positionals.length !== 1) {
  process.stderr.write('usage: rejection-audit.ts <candidates.csv> [--sample n] [--seed s] [--panel-out file]\n');
  process.exit(2);
}

const [header, ...rows] = parseCsv(readFileSync(positionals[0]!, 'utf8'));
const col = (name: string): number => {
  const i = header!.indexOf(name);
  if (i < 0) throw new Error(`no column ${name} in ${positionals[0]}`);
  return i;
};
const [ID, STATUS, STAGE, REASON, EXPRESSION, CACHED] = ['id', 'status', 'stage', 'reason', 'expression', 'cached'].map(col);

interface Row { id: string; family: string; outcome: string; reason: string; expression: string }
const candidates: Row[] = rows.filter((r) => r.length === header!.length && r[CACHED!] !== 'true').map((r) => {
  let family: string;
  try {
    family = structuralFamily(parseExpression(r[EXPRESSION!]!));
  } catch {
    family = '(unreadable)';
  }
  return { id: r[ID!]!, family, outcome: r[STATUS!] === 'ok' ? 'scored' : r[STAGE!]!, reason: r[REASON!]!, expression: r[EXPRESSION!]! };
});

const OUTCOMES = ['static', 'stability', 'quality', 'hurdle', 'training', 'error', 'timeout', 'scored'];
const byFamily = new Map<string, Map<string, number>>();
for (const c of candidates) {
  const counts = byFamily.get(c.family) ?? new Map<string, number>();
  counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
  byFamily.set(c.family, counts);
}
const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const families = [...byFamily].sort((a, b) => total(b[1]) - total(a[1]));
const shown = families.slice(0, 12);
const rest = new Map<string, number>();
for (const [, m] of families.slice(12)) for (const [k, v] of m) rest.set(k, (rest.get(k) ?? 0) + v);
const used = OUTCOMES.filter((o) => candidates.some((c) => c.outcome === o));
const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const out: string[] = [
  `${candidates.length} evaluated candidates (cache hits left out) in ${byFamily.size} structural families; the ${shown.length} largest:`,
  '',
  line(['family', 'candidates', ...used, 'scored share']),
  line(['---', '---', ...used.map(() => '---'), '---']),
  ...[...shown, ...(rest.size > 0 ? [[`(${families.length - shown.length} other families)`, rest] as [string, Map<string, number>]] : [])].map(([family, m]) =>
    line([family, String(total(m)), ...used.map((o) => String(m.get(o) ?? 0)), `${((100 * (m.get('scored') ?? 0)) / total(m)).toFixed(0)}%`])),
];
process.stdout.write(`${out.join('\n')}\n`);

// The sample: stopped candidates whose outermost op is not the largest family's (for
// discovery-1: not tanh(…)), per stopping stage, seeded.
const dominant = families[0]![0];
const outer = (family: string): string => family.split('∘')[0]!;
const rng = Rng.fromSeed(`rejection-audit/${values.seed}`);
const perStage = Number(values.sample);
const all = values.families === 'all';
const which = all ? `of every family (the largest: ${dominant})` : `whose outermost op is not ${outer(dominant)} (the largest family: ${dominant})`;
const panel: string[] = [`# stopped candidates of ${positionals[0]} ${which}, ${perStage} per stage, seed ${values.seed}`];
for (const stage of ['stability', 'quality', 'hurdle']) {
  const pool = candidates.filter((c) => c.outcome === stage && (all || outer(c.family) !== outer(dominant)));
  const picked = rng.shuffled(pool).slice(0, perStage);
  process.stdout.write(`\n${stage}: ${pool.length} stopped${all ? '' : ` outside ${outer(dominant)}(…)`}; sampled ${picked.length}\n`);
  for (const c of picked) {
    process.stdout.write(`  #${c.id} ${c.family}: ${c.expression}  (${c.reason.slice(0, 100)})\n`);
    panel.push(`# #${c.id}, stopped at ${stage}: ${c.reason.slice(0, 120).replace(/\n/g, ' ')}`, c.expression);
  }
}
if (values['panel-out']) {
  writeFileSync(values['panel-out'], `${panel.join('\n')}\n`);
  process.stdout.write(`\npanel written to ${values['panel-out']}\n`);
}
