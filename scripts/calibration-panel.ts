/**
 * Writes the calibration panel of issue 16 (results/calibration/panel.txt): the zoo, the scored
 * new layers of a discovery run's export sampled evenly over its ranking (mean of the objectives),
 * the near misses of its quality check (new layers that are not `tanh(…)` and reached ≥ 0.3
 * accuracy at the check: the families the run collapsed away from), and a few hand-written
 * layers. Deterministic: the same export gives the same panel.
 *
 *   node --import tsx scripts/calibration-panel.ts results/discovery-1/export/candidates.csv [--tanh 8] [--near 8] > panel.txt
 */
import { readFileSync } from 'node:fs';
import { ZOO_NAMES } from '../src/graph/zoo.js';
import { parseCsv } from '../src/util/csv-read.js';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: calibration-panel.ts <export>/candidates.csv [--tanh N] [--near N]\n');
  process.exit(2);
}
const option = (name: string, fallback: number): number => {
  const at = rest.indexOf(name);
  return at >= 0 ? Number(rest[at + 1]) : fallback;
};

// Rows, not lines: a quoted rejection reason may hold a newline.
const [header = [], ...rows] = parseCsv(readFileSync(file, 'utf8')).filter((r) => r.length > 1 || r[0] !== '');
const col = (name: string): number => header.indexOf(name);
const objectives = header.map((h, i) => [h, i] as const).filter(([h]) => h.includes('accuracy on the validation split')).map(([, i]) => i);

/** Evenly spaced picks (first and last included) from a list. */
const spaced = <T>(list: readonly T[], n: number): T[] =>
  n >= list.length ? [...list] : Array.from({ length: n }, (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))]!);

const seen = new Set<string>();
const scored = rows
  .filter((r) => r[col('status')] === 'ok' && r[col('origin')] !== 'seed')
  .map((r) => ({ id: r[col('id')]!, fingerprint: r[col('fingerprint')]!, expression: r[col('expression')]!, score: objectives.reduce((s, i) => s + Number(r[i]), 0) / objectives.length }))
  .sort((a, b) => b.score - a.score || Number(a.id) - Number(b.id))
  .filter((c) => (seen.has(c.fingerprint) ? false : (seen.add(c.fingerprint), true)));

const near = rows
  .filter((r) => r[col('stage')] === 'quality' && !r[col('expression')]!.startsWith('tanh') && !r[col('expression')]!.startsWith('-tanh'))
  .map((r) => ({ id: r[col('id')]!, fingerprint: r[col('fingerprint')]!, expression: r[col('expression')]!, accuracy: Number((/accuracy ([\d.]+)/.exec(r[col('reason')]!) ?? [])[1]) }))
  .filter((c) => c.accuracy >= 0.3)
  .sort((a, b) => b.accuracy - a.accuracy || Number(a.id) - Number(b.id))
  .filter((c) => (seen.has(c.fingerprint) ? false : (seen.add(c.fingerprint), true)));

const out: string[] = [`# calibration panel from ${file}`, '# the zoo'];
out.push(...ZOO_NAMES);
out.push(`# ${option('--tanh', 8)} of the ${scored.length} distinct scored new layers, evenly over the ranking by mean objective (best first)`);
for (const c of spaced(scored, option('--tanh', 8))) out.push(`# #${c.id}, search mean ${c.score.toFixed(4)}`, c.expression);
out.push(`# the ${option('--near', 8)} best near misses of the quality check that are not tanh(…) (accuracy at the check)`);
for (const c of near.slice(0, option('--near', 8))) out.push(`# #${c.id}, ${c.accuracy}`, c.expression);
out.push('# hand-written: instance norm, activations without normalisation, BN with other activations');
out.push('relu(affine((x - mean_instance(x)) / sqrt(var_instance(x))))', 'x * sigmoid(x)', 'relu(x)', 'tanh((x - mean_batch(x)) / sqrt(var_batch(x)))');
process.stdout.write(`${out.join('\n')}\n`);
