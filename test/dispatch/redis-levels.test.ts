/**
 * Promotion levels through Redis: a tiny two-level proxy search whose evaluations (candidates
 * and promotions, the closing rounds included) run on a Redis worker ends with the same journal
 * decisions as the same search inline. A real redis-server is started for this file (see
 * redis-server.ts; skipped, saying so, without it).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunConfigSchema } from '../../src/config/run-config.js';
import { startRedisWorker } from '../../src/dispatch/redis-worker.js';
import { startSearch } from '../../src/run/loop/start-search.js';
import { readJournal } from '../../src/run/journal/journal.js';
import type { JournalEvent } from '../../src/run/journal/events.js';
import { redisSkip, startRedisServer, type RedisServer } from './redis-server.js';
import { TINY_PROMOTION_SEARCH } from '../run/promotion-config.js';

const skip = redisSkip;
let server: RedisServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'evonorm-redis-levels-'));

before(async () => {
  if (!skip) server = await startRedisServer();
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const CONFIG = TINY_PROMOTION_SEARCH;

/** The decisions a journal records, in file order: proposals, results (scores or rejection codes), promotions, populations. */
function decisions(events: readonly JournalEvent[]): unknown[] {
  const result = (e: { evaluation: { status: string; objectives?: readonly number[]; code?: string } }) =>
    (e.evaluation.status === 'ok' ? e.evaluation.objectives : e.evaluation.code);
  return events.flatMap((e) => {
    switch (e.type) {
      case 'proposed': return [['proposed', e.id, e.hash, e.parentId]];
      case 'evaluated': return [['evaluated', e.id, e.fingerprint, e.cached, result(e)]];
      case 'promoted': return [['promoted', e.id, e.level, e.batch, e.closing ?? false]];
      case 'promotion-evaluated': return [['promotion-evaluated', e.id, e.level, e.cached, result(e)]];
      case 'generation': return [['generation', e.batch, e.population]];
      case 'run-finished': return [['run-finished', e.reason]];
      default: return [];
    }
  });
}

/** Decisions that do not depend on the order results arrive in: a batch's results (and a round's) are sorted. */
function orderFree(events: readonly JournalEvent[]): unknown[] {
  return decisions(events).map((d) => JSON.stringify(d)).sort();
}

test('when a search with two promotion levels runs through a Redis worker, then its journal decisions and final state are those of the inline search', { skip }, async () => {
  const url = server!.url;
  const queue = `levels-${process.pid}`;
  const jobs: string[] = [];
  const worker = await startRedisWorker({ url, queue, onJob: (info) => jobs.push(info.id) });
  await worker.ready;
  try {
    const inline = await startSearch({ config: RunConfigSchema.parse(CONFIG), runsDir: dir, name: 'inline', workers: 'inline', fsync: false, exportAtEnd: false });
    const remote = await startSearch({
      config: RunConfigSchema.parse({ ...CONFIG, dispatch: { mode: 'redis', workers: 1, redis: { url, queue } } }),
      runsDir: dir, name: 'redis', fsync: false, exportAtEnd: false,
    });
    assert.equal(remote.reason, 'budget');
    const inlineEvents = readJournal(join(dir, 'inline', 'journal.jsonl')).events;
    const remoteEvents = readJournal(join(dir, 'redis', 'journal.jsonl')).events;
    assert.ok(inlineEvents.some((e) => e.type === 'promotion-evaluated' && e.level === 2), 'promotions to level 2');
    assert.ok(inlineEvents.some((e) => e.type === 'promoted' && e.closing === true), 'closing rounds');
    assert.ok(jobs.some((id) => id.endsWith('-level1')) && jobs.some((id) => id.endsWith('-level2')), 'the promotions ran on the Redis worker');
    // One worker: the same order too; the decisions regardless of order in any case.
    assert.deepEqual(orderFree(remoteEvents), orderFree(inlineEvents));
    assert.deepEqual(decisions(remoteEvents), decisions(inlineEvents));
    const outcome = (s: typeof inline.state): unknown => ({ population: s.population, hallOfFame: s.hallOfFame, leveled: s.leveled, promoting: s.promoting, counts: s.counts });
    assert.deepEqual(outcome(remote.state), outcome(inline.state));
  } finally {
    await worker.close();
  }
});
