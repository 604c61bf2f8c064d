/**
 * A BullMQ queue name with a colon, or empty, is refused at the edge (issue 19 §5): exit 3 naming
 * dispatch.redis.queue for a config, exit 2 naming --queue for the worker; nothing is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-queue-'));

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, err: io.err.join('') };
}

for (const queue of ['a:b', '']) {
  test(`when a search config's dispatch.redis.queue is "${queue}", then search exits 3 naming the field and writes no run folder`, async () => {
    const config = join(dir, `queue${queue.length}.json`);
    writeFileSync(config, JSON.stringify({
      objective: 'fast', search: { maxCandidates: 4, batchSize: 2, populationSize: 4, tournamentSize: 2 },
      dispatch: { mode: 'redis', redis: { url: 'redis://127.0.0.1:1', queue } },
    }));
    const runsDir = join(dir, `runs${queue.length}`);
    const { code, err } = await cli('search', '--config', config, '--runs-dir', runsDir);
    assert.equal(code, EXIT.badInput, err);
    assert.match(err, /dispatch\.redis\.queue/);
    assert.doesNotMatch(err, /internal error/);
    assert.ok(!existsSync(runsDir) || readdirSync(runsDir).length === 0, 'no run folder is left behind');
  });

  test(`when worker gets --queue "${queue}", then it exits 2 naming the option`, async () => {
    const { code, err } = await cli('worker', '--redis', 'redis://127.0.0.1:1', '--queue', queue);
    assert.equal(code, EXIT.usage, err);
    assert.match(err, /--queue/);
    assert.doesNotMatch(err, /internal error/);
  });
}
