/**
 * search.promotionPool "population" in a real (tiny) search: the option reaches the evolver and
 * its checkpoint, the same seed still gives the same journal, and every candidate promoted to
 * level 1 after a batch was a member of the population of that batch.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { stripTimings } from '../../../src/run/journal/strip-timings.js';
import { TINY_PROMOTION_SEARCH } from '../promotion-config.js';
import { spawnSync } from 'node:child_process';
import { scriptCommand } from '../../cli/cli-command.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-promotion-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(name: string, promotionPool?: 'population') {
  const config = RunConfigSchema.parse({ ...TINY_PROMOTION_SEARCH, search: { ...TINY_PROMOTION_SEARCH.search, ...(promotionPool ? { promotionPool } : {}) } });
  await startSearch({ config, runsDir: dir, name, workers: 'inline', fsync: false, exportAtEnd: false });
  return join(dir, name);
}

test('when the promotion pool is the population, then the checkpoint keeps it, the same seed gives the same journal, and promotions go to candidates of the population only', async () => {
  assert.equal(RunConfigSchema.parse(TINY_PROMOTION_SEARCH).search.promotionPool, 'front', 'the default');
  assert.throws(() => RunConfigSchema.parse({ ...TINY_PROMOTION_SEARCH, search: { ...TINY_PROMOTION_SEARCH.search, promotionPool: 'everyone' } }));
  const first = await run('a', 'population');
  const second = await run('b', 'population');
  // Without timings, the run's id and checkpoint events (placed by the clock), as promotion-search.test.ts compares.
  const events = (path: string) => readJournal(join(path, 'journal.jsonl')).events.filter((e) => e.type !== 'checkpoint').map((e) => {
    const { runId: _id, ...rest } = stripTimings(e) as typeof e & { runId?: string };
    return rest as typeof e;
  });
  assert.deepEqual(events(second), events(first));
  const checkpoint = JSON.parse(readFileSync(join(first, 'checkpoint.json'), 'utf8')) as { evolver: { options: { promotion?: { pool?: string } } } };
  assert.equal(checkpoint.evolver.options.promotion?.pool, 'population');
  const journal = events(first);
  const populationAfter = new Map(journal.flatMap((e) => (e.type === 'generation' ? [[e.batch, e.population ?? []] as const] : [])));
  const promoted = journal.flatMap((e) => (e.type === 'promoted' && e.level === 1 && !e.closing ? [e] : []));
  assert.ok(promoted.length > 0, 'the tiny search promotes after a batch (else this test shows nothing)');
  for (const p of promoted) assert.ok(populationAfter.get(p.batch)?.includes(p.id), `#${p.id}, promoted after batch ${p.batch}, is in that batch's population`);
  // scripts/promotion-pool-audit.ts replays the rule: every settle point after which this run promoted to level 1 had an eligible candidate in its population.
  const audit = spawnSync(process.execPath, scriptCommand('scripts/promotion-pool-audit.ts', [first]), { encoding: 'utf8' });
  assert.equal(audit.status, 0, audit.stderr);
  const row = audit.stdout.trim().split('\n').at(-1)!.split('|').map((c) => c.trim());
  assert.equal(row[1], '0–249');
  const settlePoints = populationAfter.size;
  assert.equal(Number(row[2]), settlePoints);
  assert.ok(Number(row[4]) >= new Set(promoted.map((p) => p.batch)).size, `population pool eligible at ${row[4]} of ${settlePoints} settle points`);
});
