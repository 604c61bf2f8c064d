import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunLogger, readableLine } from '../../../src/run/index.js';
import { tempDir } from '../helpers.js';

test('when the run logger is closed, then log.jsonl holds every line as JSON bound to the run', async () => {
  const runPath = join(tempDir(), 'logged-run');
  const { log, close } = createRunLogger(runPath, { level: 'debug' });
  log.debug({ step: 1 }, 'first');
  log.child({ candidate: 4 }).info({ accuracy: 0.5 }, 'evaluated');
  log.error({ err: new Error('boom') }, 'failed');
  log.trace('not written');
  await close();
  const lines = readFileSync(join(runPath, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.msg), ['first', 'evaluated', 'failed']);
  assert.ok(lines.every((l) => l.run === 'logged-run'));
  assert.equal(lines[1].candidate, 4);
  assert.equal(lines[2].err.message, 'boom');
  assert.ok(!Number.isNaN(Date.parse(lines[0].time)));
});

test('when stderr output is on, then readable lines go to the given sink at its own level', async () => {
  const runPath = join(tempDir(), 'loud-run');
  const seen: string[] = [];
  const { log, close } = createRunLogger(runPath, { level: 'debug', toStderr: true, stderrLevel: 'info', stderr: (t) => void seen.push(t) });
  log.debug('quiet');
  log.info({ batch: 2, best: 'x * y' }, 'generation');
  await close();
  assert.equal(seen.length, 1);
  assert.match(seen[0], /^\[\d\d:\d\d:\d\d\] INFO: generation \{"batch":2,"best":"x \* y"\}\n$/);
  assert.equal(readFileSync(join(runPath, 'log.jsonl'), 'utf8').trim().split('\n').length, 2);
});

test('when a line is not JSON, then readableLine passes it through', () => {
  assert.equal(readableLine('plain'), 'plain\n');
});

test('when an error is logged for stderr, then its message shows and its stack does not', () => {
  const line = readableLine(JSON.stringify({ level: 50, time: Date.now(), msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' } }));
  assert.match(line, /ERROR: failed/);
  assert.match(line, /boom/);
  assert.doesNotMatch(line, /x\.ts:1/);
});

test('when the logger has not been closed, then what was logged is already in log.jsonl', () => {
  const runPath = join(tempDir(), 'open-run');
  const { log } = createRunLogger(runPath);
  log.info({ batch: 1 }, 'generation settled');
  const lines = readFileSync(join(runPath, 'log.jsonl'), 'utf8').trim().split('\n');
  assert.equal(JSON.parse(lines[0]).msg, 'generation settled');
});

test('when the file-only logger is used, then the line reaches log.jsonl and not stderr', async () => {
  const runPath = join(tempDir(), 'quiet-run');
  const seen: string[] = [];
  const { fileLog, close } = createRunLogger(runPath, { toStderr: true, stderrLevel: 'warn', stderr: (t) => void seen.push(t) });
  fileLog.error({ err: new Error('boom') }, 'search failed');
  await close();
  assert.deepEqual(seen, []);
  const line = JSON.parse(readFileSync(join(runPath, 'log.jsonl'), 'utf8').trim());
  assert.equal(line.msg, 'search failed');
  assert.equal(line.run, 'quiet-run');
  assert.match(line.err.stack, /boom/);
});
