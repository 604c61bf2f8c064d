/**
 * search.referenceLayers: a seed layer that climbs the promotion levels with the leaders, so a
 * real (tiny) search measures BN-ReLU at every level a candidate reaches and status can compare
 * with it there.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { TINY_PROMOTION_SEARCH } from '../promotion-config.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-references-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(name: string, referenceLayers: string[]) {
  const config = RunConfigSchema.parse({ ...TINY_PROMOTION_SEARCH, search: { ...TINY_PROMOTION_SEARCH.search, referenceLayers } });
  await startSearch({ config, runsDir: dir, name, workers: 'inline', fsync: false, exportAtEnd: false });
  const events = readJournal(join(dir, name, 'journal.jsonl')).events;
  const levelsOf = (id: number) => events.flatMap((e) => (e.type === 'promotion-evaluated' && e.id === id ? [e.level] : []));
  const top = Math.max(...events.flatMap((e) => (e.type === 'promotion-evaluated' ? [e.level] : [0])));
  const scoresAt = (id: number, level: number) => events.flatMap((e) => (e.type === 'promotion-evaluated' && e.id === id && e.level === level && e.evaluation.status === 'ok' ? [e.evaluation.objectives] : []))[0];
  return { levelsOf, top, scoresAt };
}

test('when bn-relu is a reference layer, then the search measures it at every level a candidate reached, and status compares with it there', async () => {
  const plain = await run('plain', []);
  const withReference = await run('reference', ['bn-relu']);
  assert.ok(withReference.top >= 1, 'the tiny search promotes');
  // bn-relu is seed 0: measured at each level 1..top, once each.
  assert.deepEqual(withReference.levelsOf(0), Array.from({ length: withReference.top }, (_, i) => i + 1));
  assert.ok(plain.levelsOf(0).length < withReference.top, 'without it, bn-relu is not promoted to every level (else this test shows nothing)');
  const io = memoryIo();
  assert.equal(await main(['status', join(dir, 'reference'), '--json'], io), 0);
  const status = JSON.parse(io.out.join('')) as {
    levelVerdict?: { level: number; bnReluMeasured: boolean };
    verdict?: { noiseSource: string; sentence: string };
    topLevel?: { level: number; rows: { id: number; objectives: number[]; mean: number; mark: string }[] };
  };
  assert.equal(status.levelVerdict?.level, withReference.top);
  assert.equal(status.levelVerdict?.bnReluMeasured, true, 'the level verdict compares with BN-ReLU measured at that level');
  // Level 0 trains once per network: its verdict points to the level that measured the noise, not to a setting.
  assert.equal(status.verdict?.noiseSource, 'unknown');
  assert.match(status.verdict?.sentence ?? '', new RegExp(`the verdict at promotion level ${withReference.top} has it`));
  assert.doesNotMatch(status.verdict?.sentence ?? '', /set evaluation\.seeds/);
  // The top level's leaderboard: every layer measured there, BN-ReLU among them, best mean first, the journal's scores.
  const table = status.topLevel!;
  assert.equal(table.level, withReference.top);
  assert.ok(table.rows.some((r) => r.id === 0 && r.mark === 'seed = bn-relu'));
  for (const r of table.rows) assert.deepEqual(r.objectives, withReference.scoresAt(r.id, table.level));
  assert.deepEqual(table.rows.map((r) => r.mean), [...table.rows.map((r) => r.mean)].sort((a, b) => b - a));
  const text = memoryIo();
  assert.equal(await main(['status', join(dir, 'reference')], text), 0);
  assert.match(text.out.join(''), new RegExp(`Measured at promotion level ${table.level}, the search's most accurate protocol \\(${table.rows.length} layers?`));
  // The report has the same list.
  const reportFile = join(dir, 'reference-report.html');
  assert.equal(await main(['report', join(dir, 'reference'), '--out', reportFile], memoryIo()), 0);
  const html = readFileSync(reportFile, 'utf8');
  assert.match(html, new RegExp(`id="top-level"><summary>Every layer measured at promotion level ${table.level}[^(]*\\(${table.rows.length}\\)`));
  assert.match(html, /relu\(affine\(\(x - mean_batch\(x\)\) \/ sqrt\(var_batch\(x\)\)\)\)<\/code> · seed = bn-relu/);
});
