import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalHash, DEFAULT_LAYER_JSON_OPTIONS, graphFromJson, readLayerJson } from '../../../src/graph/index.js';
import {
  createRunDir, CSV_LEADING_COLUMNS, CSV_TRAILING_COLUMNS, exportRun, Journal, summarizeRun, toCsv,
  type EvaluatedEvent, type JournalEvent, type JournalEventInput,
} from '../../../src/run/index.js';
import { syntheticEvents, tempDir, testManifest } from '../helpers.js';

/** A minimal RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  assert.equal(field, '', 'the file ends with a newline');
  return rows;
}

const root = tempDir();
const seed = 11;
const base = syntheticEvents(seed, 5, 8);
// One more candidate whose rejection reason needs quoting (quote, comma, newline).
const extraId = 1000;
const nasty = 'said "no", then\nstopped';
const proposedExtra = base.find((e) => e.type === 'proposed') as Extract<JournalEventInput, { type: 'proposed' }>;
const events: JournalEventInput[] = [
  ...base.slice(0, -1),
  { ...proposedExtra, id: extraId, batch: 5, parentId: 0, origin: 'mutation' },
  { type: 'evaluated', t: '2024-01-03T00:00:00.000Z', id: extraId, fingerprint: 'fp-extra', hash: proposedExtra.hash, cached: false, evaluation: { status: 'rejected', stage: 'quality', reason: nasty, costMs: 7 } },
  base[base.length - 1],
];

const run = createRunDir(root, 'exported', { config: { seed }, manifest: testManifest(seed) });
const journal = Journal.open(run.journalPath, { fsync: false });
for (const e of events) journal.append(e);
journal.close();
const written = JSON.parse(JSON.stringify(events)) as JournalEvent[];
const summary = summarizeRun(written);
const result = exportRun(run.path);
const out = join(run.path, 'export');

test('when a run is exported, then each front layer is a layer JSON that graphFromJson accepts, with provenance', () => {
  const frontFiles = result.files.filter((f) => f.includes('/front/'));
  assert.equal(frontFiles.length, summary.front.length);
  assert.ok(frontFiles.length >= 1);
  summary.front.forEach((f, k) => {
    const file = frontFiles[k];
    assert.ok(file.endsWith(`/front/${k + 1}-${f.id}.json`), file);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const graph = graphFromJson(doc);
    const proposed = written.find((e) => e.type === 'proposed' && e.id === f.id);
    assert.ok(proposed?.type === 'proposed');
    assert.equal(canonicalHash(graph), proposed.hash);
    assert.deepEqual(doc.metadata.objectives, f.objectives);
    assert.deepEqual(doc.metadata.objectiveNames, ['mul', 'size']);
    assert.equal(doc.metadata.formula, f.expression);
    assert.equal(doc.metadata.fingerprint, f.fingerprint);
    assert.deepEqual(doc.metadata.provenance, { run: 'exported', candidateId: f.id, parentId: proposed.parentId, origin: proposed.origin, batch: proposed.batch, seed });
  });
  const frontJson = JSON.parse(readFileSync(join(out, 'front.json'), 'utf8'));
  assert.deepEqual(frontJson.map((f: { id: number }) => f.id), summary.front.map((f) => f.id));
});

test('when a run is exported, then candidates.csv has the header, one row per evaluated candidate, and proper quoting', () => {
  const rows = parseCsv(readFileSync(join(out, 'candidates.csv'), 'utf8'));
  const header = [...CSV_LEADING_COLUMNS, 'mul', 'size', ...CSV_TRAILING_COLUMNS];
  assert.deepEqual(rows[0], header);
  const evaluated = written.filter((e): e is EvaluatedEvent => e.type === 'evaluated');
  assert.equal(rows.length - 1, evaluated.length);
  const col = (name: string): number => header.indexOf(name);
  const byId = new Map(rows.slice(1).map((r) => [Number(r[col('id')]), r]));
  assert.equal(byId.get(extraId)?.[col('reason')], nasty);
  for (const e of evaluated) {
    const row = byId.get(e.id)!;
    assert.equal(row.length, header.length);
    const proposed = written.find((p) => p.type === 'proposed' && p.id === e.id);
    assert.equal(row[col('expression')], proposed?.type === 'proposed' ? proposed.expression : undefined);
    assert.equal(row[col('status')], e.evaluation.status);
    assert.equal(row[col('cached')], String(e.cached));
    if (e.evaluation.status === 'ok') {
      assert.equal(Number(row[col('mul')]), e.evaluation.objectives[0]);
      assert.match(row[col('rank')], /^\d+$/);
    } else {
      assert.equal(row[col('rank')], '');
      assert.equal(row[col('mul')], '');
      assert.equal(row[col('stage')], e.evaluation.stage);
    }
  }
  const frontRows = rows.slice(1).filter((r) => r[col('front')] === 'true');
  assert.deepEqual(frontRows.map((r) => Number(r[col('id')])).sort((a, b) => a - b), summary.front.map((f) => f.id).sort((a, b) => a - b));
  assert.ok(frontRows.every((r) => r[col('rank')] === '0'));
});

test('when exported again into another folder, then stale front files there are replaced', () => {
  const other = join(root, 'elsewhere');
  exportRun(run.path, other);
  writeFileSync(join(other, 'front', '9-999.json'), '{}');
  writeFileSync(join(other, 'front', 'notes.txt'), 'mine');
  const again = exportRun(run.path, other, { objectiveNames: ['a', 'b'] });
  assert.ok(!existsSync(join(other, 'front', '9-999.json')));
  assert.ok(existsSync(join(other, 'front', 'notes.txt')));
  assert.ok(again.files.every((f) => f.startsWith(other)));
  assert.match(readFileSync(join(other, 'candidates.csv'), 'utf8').split('\n')[0], /,a,b,/);
});

test('when a field holds a comma, quote or newline, then toCsv quotes it and doubles quotes', () => {
  assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [null, 'line\nbreak'], [1.5, true]]), 'a,b\n"x,y","say ""hi"""\n,"line\nbreak"\n1.5,true\n');
});

test('when proposals carry only the expression, then export parses it, and a hash mismatch is BAD_RUN', () => {
  const stripped = events.map((e) => (e.type === 'proposed' ? (({ graph: _g, ...rest }) => rest)(e) : e));
  const plain = createRunDir(root, 'plain', { config: {}, manifest: testManifest(seed) });
  const j = Journal.open(plain.journalPath, { fsync: false });
  for (const e of stripped) j.append(e);
  j.close();
  const files = exportRun(plain.path).files.filter((f) => f.includes('/front/'));
  assert.equal(files.length, summary.front.length);
  for (const f of files) graphFromJson(JSON.parse(readFileSync(f, 'utf8')));

  const broken = createRunDir(root, 'broken', { config: {}, manifest: testManifest(seed) });
  const b = Journal.open(broken.journalPath, { fsync: false });
  for (const e of stripped) b.append(e.type === 'proposed' && e.id === summary.front[0].id ? { ...e, expression: 'x * x' } : e);
  b.close();
  assert.throws(() => exportRun(broken.path), (err: unknown) => (err as { code?: string }).code === 'BAD_RUN');
});

test('when a run is exported, then each front layer is a version-2 graph with the layer options of the run config', () => {
  for (const file of result.files.filter((f) => f.includes('/front/'))) {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(doc.version, 2);
    assert.deepEqual(doc.options, DEFAULT_LAYER_JSON_OPTIONS, 'a config without evaluation.layer: the defaults');
  }
  const layer = { epsilon: 1e-3, groups: 8, momentum: 0.99, groupSize: 4 };
  const tuned = createRunDir(root, 'tuned', { config: { seed, evaluation: { layer } }, manifest: testManifest(seed) });
  const j = Journal.open(tuned.journalPath, { fsync: false });
  for (const e of events) j.append(e);
  j.close();
  const files = exportRun(tuned.path).files.filter((f) => f.includes('/front/'));
  assert.ok(files.length >= 1);
  for (const file of files) {
    const read = readLayerJson(JSON.parse(readFileSync(file, 'utf8')));
    assert.equal(read.hasOptions, true);
    assert.deepEqual(read.options, layer);
  }
});

test('when the run config holds invalid layer options, then export is BAD_RUN naming the field', () => {
  const bad = createRunDir(root, 'bad-layer', { config: { evaluation: { layer: { epsilon: -1 } } }, manifest: testManifest(seed) });
  Journal.open(bad.journalPath, { fsync: false }).close();
  assert.throws(() => exportRun(bad.path), (err: unknown) => (err as { code?: string }).code === 'BAD_RUN' && /evaluation\.layer.*epsilon/.test((err as Error).message));
});

test('when a journal was written with version-1 graphs (evonorm 0.1.0), then it still reads and exports', () => {
  const old = events.map((e) => (e.type === 'proposed' && e.graph ? { ...e, graph: { ...e.graph, version: 1 } } : e)) as JournalEventInput[];
  const v1 = createRunDir(root, 'journal-v1', { config: { seed }, manifest: testManifest(seed) });
  const j = Journal.open(v1.journalPath, { fsync: false });
  for (const e of old) j.append(e);
  j.close();
  const files = exportRun(v1.path).files.filter((f) => f.includes('/front/'));
  assert.equal(files.length, summary.front.length);
  for (const f of files) assert.equal(JSON.parse(readFileSync(f, 'utf8')).version, 2);
});

test('when an export fails midway, then the export folder is exactly the previous export', () => {
  const run = createRunDir(tempDir(), 'midway', { config: { seed: 3 }, manifest: testManifest(3) });
  const journal = Journal.open(run.journalPath, { fsync: false });
  const events = syntheticEvents(3, 4, 8).map((e) => journal.append(e));
  journal.close();
  const out = join(run.path, 'out');
  exportRun(run.path, out);
  const snapshot = (): Record<string, string> => Object.fromEntries(
    readdirSync(out, { recursive: true }).map(String).sort().map((f) => [f, statSync(join(out, f)).isDirectory() ? '<dir>' : readFileSync(join(out, f), 'utf8')]),
  );
  const before = snapshot();
  // The last front member's stored graph no longer matches its hash: the export throws while writing the front.
  const front = summarizeRun(JSON.parse(JSON.stringify(events)) as JournalEvent[]).front;
  assert.ok(front.length >= 1);
  const victim = front.at(-1)!.id;
  const lines = readFileSync(run.journalPath, 'utf8').split('\n').map((line) => {
    if (!line.includes('"type":"proposed"')) return line;
    const event = JSON.parse(line);
    if (event.id !== victim) return line;
    return JSON.stringify({ ...event, graph: undefined, expression: 'x * sigmoid(x)' });
  });
  writeFileSync(run.journalPath, lines.join('\n'));
  assert.throws(() => exportRun(run.path, out), /does not match its hash/);
  assert.deepEqual(snapshot(), before);
  assert.deepEqual(readdirSync(run.path).filter((f) => f.startsWith('.')), [], 'no staging folder is left behind');
});
