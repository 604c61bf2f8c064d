import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Journal, readJournal, repairJournal, type JournalEventInput } from '../../../src/run/index.js';
import { EvonormError } from '../../../src/util/errors.js';
import { syntheticEvents, tempDir } from '../helpers.js';

const dir = tempDir();
let n = 0;
const fresh = (): string => join(dir, `journal-${n++}.jsonl`);

/** Writes `events` through a Journal and returns the path. */
function written(events: readonly JournalEventInput[]): string {
  const path = fresh();
  const journal = Journal.open(path, { fsync: false });
  for (const e of events) journal.append(e);
  journal.close();
  return path;
}

const isBadRun = (line?: number) => (err: unknown): boolean => {
  assert.ok(err instanceof EvonormError);
  assert.equal(err.code, 'BAD_RUN');
  if (line !== undefined) assert.match(err.message, new RegExp(`line ${line}\\b`));
  return true;
};

test('when events are appended and read back, then they round-trip exactly, one line each', () => {
  const events = syntheticEvents();
  const path = written(events);
  const read = readJournal(path);
  assert.equal(read.truncated, false);
  assert.equal(read.corruptLine, undefined);
  assert.deepEqual(read.events, JSON.parse(JSON.stringify(events)));
  assert.equal(readFileSync(path, 'utf8').split('\n').length, events.length + 1);
});

test('when an event has no time, then the journal clock fills t, and fsync on works too', () => {
  const path = fresh();
  const journal = Journal.open(path, { now: () => new Date(Date.UTC(2025, 4, 6)) });
  const written = journal.append({ type: 'run-finished', reason: 'done' });
  journal.close();
  assert.equal(written.t, '2025-05-06T00:00:00.000Z');
  assert.deepEqual(readJournal(path).events, [written]);
});

test('when a journal is reopened, then count includes the earlier events and appends follow them', () => {
  const events = syntheticEvents(3, 1, 4);
  const path = written(events);
  const journal = Journal.open(path, { fsync: false });
  assert.equal(journal.count, events.length);
  journal.append({ type: 'run-started', seed: 3, resumed: true });
  assert.equal(journal.count, events.length + 1);
  journal.close();
  const read = readJournal(path).events;
  assert.equal(read.length, events.length + 1);
  assert.equal(read.at(-1)?.type, 'run-started');
});

test('when the last line was cut mid-write, then it is reported, dropped, and repair removes it', () => {
  const events = syntheticEvents(3, 1, 4);
  const path = written(events);
  const whole = readFileSync(path, 'utf8');
  appendFileSync(path, '{"type":"evaluated","t":"2024-01-02T03:04:05.000Z","id":9,"fingerp');
  const read = readJournal(path);
  assert.equal(read.truncated, true);
  assert.equal(read.corruptLine, events.length + 1);
  assert.equal(read.events.length, events.length);

  const repaired = repairJournal(path);
  assert.equal(repaired.corruptLine, events.length + 1);
  assert.equal(readFileSync(path, 'utf8'), whole);
  assert.deepEqual(readJournal(path), { events: read.events, truncated: false });
});

test('when the last complete line is garbage (NUL bytes after a crash), then it is dropped as truncated', () => {
  const events = syntheticEvents(3, 1, 2);
  const path = written(events);
  appendFileSync(path, '\0\0\0\0\n');
  const read = readJournal(path);
  assert.equal(read.truncated, true);
  assert.equal(read.corruptLine, events.length + 1);
  assert.equal(read.events.length, events.length);
});

test('when a journal ends in an incomplete line, then open refuses it unless asked to repair', () => {
  const events = syntheticEvents(3, 1, 2);
  const path = written(events);
  appendFileSync(path, '{"type":"run-fin');
  assert.throws(() => Journal.open(path, { fsync: false }), isBadRun(events.length + 1));
  const journal = Journal.open(path, { fsync: false, repair: true });
  assert.equal(journal.count, events.length);
  journal.append({ type: 'run-finished', reason: 'interrupted' });
  journal.close();
  const read = readJournal(path);
  assert.equal(read.truncated, false);
  assert.equal(read.events.length, events.length + 1);
});

test('when a middle line is corrupt, then reading fails with BAD_RUN naming that line', () => {
  const events = syntheticEvents(3, 1, 4);
  const path = written(events);
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[4] = lines[4].slice(0, 20);
  writeFileSync(path, lines.join('\n'));
  assert.throws(() => readJournal(path), isBadRun(5));
  assert.throws(() => repairJournal(path), isBadRun(5));
});

test('when a line is valid JSON but breaks the event schema, then reading fails with BAD_RUN naming it', () => {
  const events = syntheticEvents(3, 1, 4);
  const cases: [string, (e: Record<string, unknown>) => unknown][] = [
    ['unknown type', (e) => ({ ...e, type: 'mystery' })],
    ['missing field', ({ hash: _hash, ...rest }) => rest],
    ['wrong field type', (e) => ({ ...e, cached: 'yes' })],
    ['bad evaluation', (e) => ({ ...e, evaluation: { status: 'ok', objectives: [], costMs: 1 } })],
  ];
  for (const [label, corrupt] of cases) {
    const path = written(events);
    const lines = readFileSync(path, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes('"type":"evaluated"'));
    lines[index] = JSON.stringify(corrupt(JSON.parse(lines[index])));
    writeFileSync(path, lines.join('\n'));
    assert.throws(() => readJournal(path), isBadRun(index + 1), label);
  }
  // Also on the last line: a complete line that breaks the schema is not a crash artefact.
  const path = written(events);
  appendFileSync(path, `${JSON.stringify({ type: 'run-finished', t: '2024-01-02T03:04:05.000Z', reason: 'bored' })}\n`);
  assert.throws(() => readJournal(path), isBadRun(events.length + 1));
});

test('when an event would not survive JSON (a NaN objective), then append throws INTERNAL and writes nothing', () => {
  const path = fresh();
  const journal = Journal.open(path, { fsync: false });
  assert.throws(
    () => journal.append({ type: 'evaluated', id: 0, fingerprint: 'f', hash: 'h', cached: false, evaluation: { status: 'ok', objectives: [Number.NaN], costMs: 1 } }),
    (err: unknown) => err instanceof EvonormError && err.code === 'INTERNAL',
  );
  journal.close();
  assert.equal(readFileSync(path, 'utf8'), '');
});

test('when a non-finite loss appears in the details, then it is written as null and read back as NaN', () => {
  const path = fresh();
  const journal = Journal.open(path, { fsync: false });
  journal.append({
    type: 'evaluated', id: 0, fingerprint: 'f', hash: 'h', cached: false,
    evaluation: { status: 'rejected', stage: 'training', reason: 'loss diverged', costMs: 4, archs: [{ arch: 'resnet', loss: Number.POSITIVE_INFINITY, ms: 4 }] },
  });
  journal.close();
  const [event] = readJournal(path).events;
  assert.ok(event.type === 'evaluated');
  assert.ok(Number.isNaN(event.evaluation.archs?.[0].loss));
});

test('when the journal file is missing, then reading fails with MISSING_FILE', () => {
  assert.throws(() => readJournal(join(dir, 'nope.jsonl')), (err: unknown) => err instanceof EvonormError && err.code === 'MISSING_FILE');
});

test('when a journal has unknown extra fields, then they are kept (the schema is open)', () => {
  const path = fresh();
  writeFileSync(path, `${JSON.stringify({ type: 'checkpoint', t: '2024-01-02T03:04:05.000Z', batch: 1, journalEvents: 0, host: 'a' })}\n`);
  assert.deepEqual(readJournal(path).events[0], { type: 'checkpoint', t: '2024-01-02T03:04:05.000Z', batch: 1, journalEvents: 0, host: 'a' });
});

test('when several events are appended at once, then they are all written, or none if one is malformed', () => {
  const path = fresh();
  const journal = Journal.open(path, { fsync: false });
  const events = syntheticEvents(5, 1, 3);
  const written = journal.appendAll(events);
  assert.equal(journal.count, events.length);
  assert.throws(
    () => journal.appendAll([{ type: 'run-finished', reason: 'done' }, { type: 'run-finished', reason: 'later' as 'done' }]),
    (err: unknown) => err instanceof EvonormError && err.code === 'INTERNAL',
  );
  assert.equal(journal.count, events.length);
  journal.close();
  assert.deepEqual(readJournal(path).events, written);
  assert.throws(() => journal.append({ type: 'run-finished', reason: 'done' }), (err: unknown) => err instanceof EvonormError);
});

test('when group commit is on, then appends share an fsync until sync(), and each is in the file at once', () => {
  const path = fresh();
  const events = syntheticEvents(3, 1, 2);
  const grouped = Journal.open(path, { groupCommitMs: 60_000 });
  for (const e of events.slice(0, 3)) grouped.append(e);
  assert.equal(grouped.pendingSync, 3);
  assert.equal(readJournal(path).events.length, 3, 'written (so kill -9 keeps it) before any fsync');
  grouped.sync();
  assert.equal(grouped.pendingSync, 0);
  grouped.append(events[3]);
  grouped.close();
  assert.equal(readJournal(path).events.length, 4);
  const every = Journal.open(fresh());
  every.append(events[0]);
  assert.equal(every.pendingSync, 0, 'without group commit every append is fsynced');
  every.close();
});

test('when a journal is reopened, then its digest continues the digest of the lines already there', async () => {
  const { journalDigest, readJournalLines } = await import('../../../src/run/journal/journal.js');
  const path = written(syntheticEvents(3, 1, 2));
  const reopened = Journal.open(path, { fsync: false });
  reopened.append({ type: 'run-finished', reason: 'budget' });
  const digest = reopened.digest;
  reopened.close();
  const { lines } = readJournalLines(path);
  assert.equal(journalDigest(lines, lines.length), digest);
  assert.notEqual(journalDigest(lines, lines.length - 1), digest);
});
