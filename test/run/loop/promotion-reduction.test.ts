/**
 * search.promotionReduction (η) in a real (tiny) search: it reaches the evolver and its
 * checkpoint, and at every settle point each level holds at most ⌊1/η⌋ of the candidates
 * evaluated at the level below (src/search/levels.ts promotionQuota), counted from the journal.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../../src/config/run-config.js';
import { startSearch } from '../../../src/run/loop/start-search.js';
import { readJournal } from '../../../src/run/journal/journal.js';
import { TINY_PROMOTION_SEARCH } from '../promotion-config.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-promotion-reduction-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(name: string, promotionReduction: number | null) {
  // The population pool promotes after nearly every batch: the case η is for.
  const config = RunConfigSchema.parse({ ...TINY_PROMOTION_SEARCH, search: { ...TINY_PROMOTION_SEARCH.search, promotionPool: 'population', promotionsPerBatch: 3, promotionReduction } });
  await startSearch({ config, runsDir: dir, name, workers: 'inline', fsync: false, exportAtEnd: false });
  return join(dir, name);
}

/** Per promoted event, in journal order: the scored count and each level's count so far, and the level it opens. */
function promotionsWithCounts(path: string): { level: number; reached: number[] }[] {
  let scored = 0;
  const reached = new Map<number, number>();
  const seen: { level: number; reached: number[] }[] = [];
  for (const e of readJournal(join(path, 'journal.jsonl')).events) {
    if (e.type === 'evaluated' && e.evaluation.status === 'ok') scored++;
    if (e.type === 'promoted') {
      seen.push({ level: e.level, reached: [scored, reached.get(1) ?? 0, reached.get(2) ?? 0] });
      reached.set(e.level, (reached.get(e.level) ?? 0) + 1);
    }
  }
  return seen;
}

test('when a reduction factor is set, then every promotion keeps its level within 1/η of the level below, and the checkpoint keeps η', async () => {
  assert.equal(RunConfigSchema.parse(TINY_PROMOTION_SEARCH).search.promotionReduction, null, 'the default');
  assert.throws(() => RunConfigSchema.parse({ ...TINY_PROMOTION_SEARCH, search: { ...TINY_PROMOTION_SEARCH.search, promotionReduction: 0.5 } }));
  const free = promotionsWithCounts(await run('free', null));
  const eta = 5;
  const path = await run('eta', eta);
  const reduced = promotionsWithCounts(path);
  assert.ok(reduced.length > 0, 'the tiny search still promotes (else this test shows nothing)');
  // The free run breaks the share somewhere, so the bound below is the option's doing.
  assert.ok(free.some((p) => p.reached[p.level] + 1 > Math.floor(p.reached[p.level - 1] / eta)), 'without η a level outgrows 1/η of the one below');
  for (const p of reduced) {
    assert.ok(p.reached[p.level] + 1 <= Math.floor(p.reached[p.level - 1] / eta), `a promotion to level ${p.level} at counts [${p.reached}] stays within ⌊1/${eta}⌋`);
  }
  const checkpoint = JSON.parse(readFileSync(join(path, 'checkpoint.json'), 'utf8')) as { evolver: { options: { promotion?: { reduction?: number } } } };
  assert.equal(checkpoint.evolver.options.promotion?.reduction, eta);
});
