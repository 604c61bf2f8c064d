/** The report names a run folder whose files do not belong together, as status refuses it (issue 19 §1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunSnapshot } from '../../src/report/run-snapshot.js';
import { copyOfSmallRun, smallRun } from './helpers.js';

const BELONGING = /do not belong together/;

/** Rewrites the run's journal lines with `edit`. */
function editJournal(run: string, edit: (lines: string[]) => string[]): void {
  const file = join(run, 'journal.jsonl');
  writeFileSync(file, edit(readFileSync(file, 'utf8').split('\n')).join('\n'));
}

test('when the run is whole, then the report names no mismatch', async () => {
  assert.ok(!readRunSnapshot(await smallRun()).problems.some((p) => BELONGING.test(p)));
});

test('when the journal names another run\'s seed, then the report says the files do not belong together', async () => {
  const run = await copyOfSmallRun('swapped');
  editJournal(run, (lines) => lines.map((l) => (l.includes('"type":"run-started"') ? l.replace('"seed":3,', '"seed":99,') : l)));
  const problem = readRunSnapshot(run).problems.find((p) => BELONGING.test(p));
  assert.match(problem ?? '', /seed 99/);
});

test('when a middle proposal line is deleted, then the report says the files do not belong together', async () => {
  const run = await copyOfSmallRun('cut');
  editJournal(run, (lines) => {
    const victim = lines.findIndex((l, i) => i > 5 && l.includes('"type":"proposed"'));
    return lines.filter((_, i) => i !== victim);
  });
  const problem = readRunSnapshot(run).problems.find((p) => BELONGING.test(p));
  assert.match(problem ?? '', /never proposed/);
});
