/** The one journal line parser in its two modes: strict (resume, status, export) and tolerant (the report). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJournalText } from '../../../src/run/journal/journal-lines.js';
import { EvonormError } from '../../../src/util/errors.js';

const t = '2024-01-02T03:04:05.000Z';
const started = JSON.stringify({ type: 'run-started', t, seed: 1, resumed: false });
const finished = JSON.stringify({ type: 'run-finished', t, reason: 'budget' });
const badAt = (line: number) => (err: unknown) => err instanceof EvonormError && err.code === 'BAD_RUN' && (err.details as { line?: number }).line === line;

test('when a middle line is not JSON, then strict mode refuses it by number and tolerant mode leaves it out and lists it', () => {
  const text = `${started}\n{oops\n${finished}\n`;
  assert.throws(() => parseJournalText(text, 'strict'), badAt(2));
  const read = parseJournalText(text, 'tolerant');
  assert.deepEqual(read.events.map((e) => e.type), ['run-started', 'run-finished']);
  assert.deepEqual(read.badLines, [2]);
  assert.equal(read.truncated, false);
});

test('when a middle line is JSON but not an event, then strict mode refuses it and tolerant mode lists it', () => {
  const text = `${started}\n{"type":"run-finished","t":"${t}","reason":"bored"}\n${finished}\n`;
  assert.throws(() => parseJournalText(text, 'strict'), badAt(2));
  assert.deepEqual(parseJournalText(text, 'tolerant').badLines, [2]);
});

test('when the last line is cut mid-write, then both modes leave it out and report it', () => {
  for (const mode of ['strict', 'tolerant'] as const) {
    const read = parseJournalText(`${started}\n{"type":"run-fin`, mode);
    assert.deepEqual([read.events.length, read.truncated, read.corruptLine], [1, true, 2], mode);
    assert.equal(read.committedText, `${started}\n`);
  }
});

test('when the last line is whole but lacks its newline, then strict mode leaves it out (not committed) and tolerant mode keeps it', () => {
  const text = `${started}\n${finished}`;
  assert.equal(parseJournalText(text, 'strict').events.length, 1);
  assert.equal(parseJournalText(text, 'tolerant').events.length, 2);
});

test('when the journal is whole, then both modes read the same events and lines', () => {
  const text = `${started}\n\n${finished}\n`;
  const strict = parseJournalText(text, 'strict');
  assert.deepEqual(parseJournalText(text, 'tolerant').events, strict.events);
  assert.deepEqual(strict.lines, [started, finished]);
  assert.equal(strict.committedText, text);
});
