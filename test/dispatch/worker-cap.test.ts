/**
 * The worker-thread cap (issue 19 §5): `--workers 256` took 3 GiB within 21 s; the pool now
 * starts no more threads than the cores and the free memory hold, and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { capWorkers, createPool, WORKER_BYTES } from '../../src/dispatch/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

const GiB = 2 ** 30;

test('when 256 workers are asked for on 2 cores with plenty of memory, then 2 start and the warning names the cores', () => {
  const cap = capWorkers(256, WORKER_BYTES.proxy, { cores: 2, freeBytes: 64 * GiB });
  assert.equal(cap.workers, 2);
  assert.match(cap.warning ?? '', /2 worker threads, not the 256.*2 cores/);
});

test('when 64 cores have 4 GiB free, then the memory caps proxy workers at 0.75 × 4 GiB / 384 MiB = 8 and the warning says so', () => {
  const cap = capWorkers(256, WORKER_BYTES.proxy, { cores: 64, freeBytes: 4 * GiB });
  assert.equal(cap.workers, 8);
  assert.match(cap.warning ?? '', /4\.0 GiB free holds 8/);
});

test('when almost no memory is free, then one worker still starts', () => {
  assert.equal(capWorkers(16, WORKER_BYTES.proxy, { cores: 16, freeBytes: 10 * 2 ** 20 }).workers, 1);
});

test('when the request fits, then it is kept and there is no warning', () => {
  assert.deepEqual(capWorkers(2, WORKER_BYTES.fast, { cores: 4, freeBytes: 8 * GiB }), { workers: 2 });
});

test('when createPool is asked for 256 threads on a 2-core machine, then the pool has 2 and the warning reaches onWarning', async () => {
  const warnings: string[] = [];
  const pool = await createPool({
    mode: 'threads', workers: 256, spec: { kind: 'fast', objectives: 1 },
    machine: { cores: 2, freeBytes: 64 * GiB }, onWarning: (m) => warnings.push(m),
  });
  try {
    assert.equal(pool.size, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /not the 256/);
  } finally {
    await pool.close();
  }
});

test('when search is run with --workers 256, then stderr says how many threads started and why, and the search ends', { skip: availableParallelism() >= 256 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-cap-'));
  const config = join(dir, 'fast.json');
  writeFileSync(config, JSON.stringify({ objective: 'fast', search: { maxCandidates: 4, batchSize: 2, populationSize: 4, tournamentSize: 2 } }));
  const io = memoryIo();
  const code = await main(['search', '--config', config, '--runs-dir', join(dir, 'runs'), '--workers', '256'], io);
  const err = io.err.join('');
  assert.equal(code, EXIT.ok, err);
  assert.match(err, /worker threads?, not the 256 asked for/);
});
