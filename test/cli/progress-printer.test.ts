import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressPrinter } from '../../src/cli/progress.js';
import type { CliIo } from '../../src/cli/io.js';

function logIo(lines: string[]): CliIo {
  return { stdout: () => {}, stderr: (t: string) => lines.push(t), stderrIsTTY: false } as unknown as CliIo;
}

test('when stderr is a log, then lines are throttled but an urgent one (the first training step) passes at once', () => {
  const lines: string[] = [];
  let clock = 1000;
  const progress = progressPrinter(logIo(lines), 10_000, () => clock);
  progress.update('starting the workers');
  clock += 3000;
  progress.update('now #1 stability resnet');
  assert.deepEqual(lines, ['starting the workers\n'], 'a line within the interval is held back');
  clock += 500;
  progress.update('now #1 quality resnet step 1/40', true);
  assert.deepEqual(lines.at(-1), 'now #1 quality resnet step 1/40\n');
  clock += 9000;
  progress.update('now #1 quality resnet step 30/40');
  assert.equal(lines.length, 2, 'the throttle restarts from the urgent line');
  clock += 1000;
  progress.update('now #1 quality resnet step 40/40');
  assert.equal(lines.length, 3);
});
