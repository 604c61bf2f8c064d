/**
 * Ctrl-C in a real process (bug: the inline fast search never yielded to the event loop, so
 * SIGINT was ignored until the budget was spent; a second Ctrl-C crashed in pino).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../src/run/journal/journal.js';
import { EXIT } from '../../src/util/errors.js';
import { spawnCli, untilLines } from './spawn.js';
import { redisSkip, startRedisServer } from '../dispatch/redis-server.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-interrupt-'));
/**
 * Journal lines before the SIGINT: 30 is into the second batch of 10 (run-started, two events per
 * candidate, a generation), mid-run as 60 was (the budget is 10,000,000), at half the search.
 */
const MID_RUN_LINES = 30;

/** A fast search whose budget is far beyond what a test would wait for. */
function endlessConfig(name: string, schedule: 'batch' | 'async'): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({
    seed: 3, objective: 'fast', name,
    search: { populationSize: 20, tournamentSize: 5, batchSize: 10, maxCandidates: 10_000_000, schedule },
    dispatch: { mode: 'inline' },
  }));
  return path;
}

for (const [schedule, workers] of [['batch', 'inline'], ['async', 'inline'], ['batch', '2'], ['async', '2']] as const) {
  test(`when a ${schedule} search on ${workers === 'inline' ? 'the inline pool' : 'two threads'} gets SIGINT mid-run, then it stops with the checkpoint written and exit 130`, async () => {
    const name = `${schedule}-${workers}`;
    const { child, exited } = spawnCli(['search', '--config', endlessConfig(name, schedule), '--runs-dir', dir, '--workers', workers]);
    const journalPath = join(dir, name, 'journal.jsonl');
    await untilLines(journalPath, MID_RUN_LINES, child);
    child.kill('SIGINT');
    const { code, stderr } = await exited;
    assert.equal(code, EXIT.interrupted, stderr);
    assert.ok(existsSync(join(dir, name, 'checkpoint.json')), 'a checkpoint was written');
    const last = readJournal(journalPath).events.at(-1);
    assert.equal(last?.type === 'run-finished' ? last.reason : last?.type, 'interrupted');
  });
}

test('when an inline search gets two SIGINTs, then it exits 130 without a stack trace and releases its lock', async () => {
  const name = 'twice';
  const { child, exited } = spawnCli(['search', '--config', endlessConfig(name, 'batch'), '--runs-dir', dir]);
  await untilLines(join(dir, name, 'journal.jsonl'), MID_RUN_LINES, child);
  child.kill('SIGINT');
  child.kill('SIGINT');
  const { code, stderr } = await exited;
  assert.equal(code, EXIT.interrupted, stderr);
  assert.doesNotMatch(stderr, /\n\s+at |sonic boom/i);
  assert.equal(existsSync(join(dir, name, 'lock.json')), false, 'the lock is released even by the exit at once');
});

for (const schedule of ['batch', 'async'] as const) {
  test(`when a ${schedule} search on Redis workers gets SIGINT mid-run, then it stops with the checkpoint written and exit 130`, { skip: redisSkip }, async () => {
    const redis = await startRedisServer();
    const name = `redis-${schedule}`;
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify({
      seed: 3, objective: 'fast', name,
      search: { populationSize: 20, tournamentSize: 5, batchSize: 10, maxCandidates: 10_000_000, schedule },
      dispatch: { mode: 'redis', workers: 4, redis: { url: redis.url, queue: `interrupt-${schedule}` } },
    }));
    const worker = spawnCli(['worker', '--redis', redis.url, '--queue', `interrupt-${schedule}`]);
    try {
      const { child, exited } = spawnCli(['search', '--config', path, '--runs-dir', dir]);
      const journalPath = join(dir, name, 'journal.jsonl');
      await untilLines(journalPath, MID_RUN_LINES, child);
      child.kill('SIGINT');
      const { code, stderr } = await exited;
      assert.equal(code, EXIT.interrupted, stderr);
      assert.doesNotMatch(stderr, /\n\s+at /);
      assert.ok(existsSync(join(dir, name, 'checkpoint.json')), 'a checkpoint was written');
      const last = readJournal(journalPath).events.at(-1);
      assert.equal(last?.type === 'run-finished' ? last.reason : last?.type, 'interrupted');
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await redis.stop();
    }
  });
}
