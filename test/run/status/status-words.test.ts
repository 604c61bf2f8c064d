/**
 * `status` lists every rejection code (it cut at 5), and the search's closing status uses the
 * words `runs` and `status` use for a run's state (issue 19 §4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { formatStatus, summarizeRun, type RunSummary } from '../../../src/run/index.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { EXIT } from '../../../src/util/errors.js';
import { tempDir } from '../helpers.js';

test('when a run has 7 rejection codes, then status lists all 7', () => {
  const empty = summarizeRun([]);
  const reasons = Array.from({ length: 7 }, (_, i) => ({ code: `code-${i}`, stage: 'static', count: 7 - i, example: `example ${i}` }));
  const summary = { ...empty, rejected: 28, rejectedByStage: { static: 28 }, rejectedByReason: reasons } as RunSummary;
  const text = formatStatus(summary);
  for (let i = 0; i < 7; i++) assert.match(text, new RegExp(`${7 - i} × code-${i}, e\\.g\\. example ${i}`));
});

test('when a search is interrupted, then its closing status, status and runs all call it "interrupted"', async () => {
  const dir = tempDir();
  const config = join(dir, 'fast.json');
  writeFileSync(config, JSON.stringify({ objective: 'fast', dispatch: { mode: 'inline' }, search: { maxCandidates: 40, batchSize: 2, populationSize: 4, tournamentSize: 2 } }));
  const aborted = new AbortController();
  aborted.abort();
  const search = memoryIo();
  assert.equal(await main(['search', '--config', config, '--runs-dir', dir, '--name', 'stopped'], search, aborted.signal), EXIT.interrupted);
  const status = memoryIo();
  assert.equal(await main(['status', join(dir, 'stopped')], status), EXIT.ok);
  const runs = memoryIo();
  assert.equal(await main(['runs', dir], runs), EXIT.ok);
  const word = (text: string, pattern: RegExp): string => pattern.exec(text)?.[1] ?? '';
  assert.equal(word(status.out.join(''), /^ {2}state\s+(\w+)/m), 'interrupted');
  assert.equal(word(runs.out.join(''), /^stopped\s+(\w+)/m), 'interrupted');
  assert.equal(word(search.out.join(''), /^ {2}state\s+(\w+)/m), 'interrupted', search.out.join(''));
});
