import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../src/util/errors.js';
import { cli, copyOfSmallRun, smallRun, tempDir } from './helpers.js';

const NO_STACK = /\bat .+:\d+:\d+|\.ts:\d+/;

test('when a search finishes, then it has written its report and status prints the path', async () => {
  const run = await smallRun();
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /<meta name="evonorm-run-state" content="finished">/);
  const { code, out } = await cli('status', run);
  assert.equal(code, EXIT.ok);
  assert.match(out, new RegExp(`report: ${join(run, 'report.html').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(written `));
});

test('when evonorm report is given --out, then it writes one self-contained file there and prints its path', async () => {
  const run = await smallRun();
  const out = join(tempDir(), 'r.html');
  const { code, out: stdout, err } = await cli('report', run, '--out', out);
  assert.equal(code, EXIT.ok, err);
  assert.equal(stdout.trim(), out);
  const html = readFileSync(out, 'utf8');
  for (const id of ['front-plot', 'progress-plot', 'funnel', 'rate-plot']) assert.match(html, new RegExp(`id="${id}"`));
  assert.match(html, /class="graph-drawing"><svg/);
  assert.match(html, /evonorm-b0/, 'the zoo seed layer is labelled');
  assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)=/i, 'nothing is loaded from elsewhere');
  assert.match(html, /No rerank results/);
});

test('when the run folder does not exist, then exit 3 with a clear message', async () => {
  const { code, err } = await cli('report', join(tempDir(), 'nope'));
  assert.equal(code, EXIT.badInput);
  assert.match(err, /not found/);
  assert.doesNotMatch(err, NO_STACK);
});

test('when the run folder is empty, then exit 3 saying it is empty, and no report file', async () => {
  const dir = join(tempDir(), 'empty');
  mkdirSync(dir);
  const { code, err } = await cli('report', dir);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /is empty/);
  assert.doesNotMatch(err, NO_STACK);
  assert.equal(existsSync(join(dir, 'report.html')), false);
});

test('when a journal line in the middle is corrupt, then a partial report names the line and shows the rest', async () => {
  const run = await copyOfSmallRun('corrupt');
  const journal = join(run, 'journal.jsonl');
  const lines = readFileSync(journal, 'utf8').split('\n');
  lines[10] = '{"type":"evaluated", garbage';
  writeFileSync(journal, lines.join('\n'));
  const { code, err } = await cli('report', run);
  assert.equal(code, EXIT.ok);
  assert.match(err, /partial report: journal\.jsonl has 1 corrupt line \(11\)/);
  assert.doesNotMatch(err, NO_STACK);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /This report is partial/);
  assert.match(html, /id="front-plot"><div class="plot/);
});

test('when the folder was cut mid-write (no lock, no end, half a line), then the report says the search crashed and what is incomplete', async () => {
  const run = await copyOfSmallRun('writing');
  const journal = join(run, 'journal.jsonl');
  const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
  // Cut the journal mid-run: no run-finished, a half-written last line; no checkpoint yet.
  writeFileSync(journal, `${lines.slice(0, 120).join('\n')}\n${lines[120].slice(0, 25)}`);
  rmSync(join(run, 'checkpoint.json'));
  const { code, err } = await cli('report', run);
  assert.equal(code, EXIT.ok);
  assert.match(err, /line 121 is incomplete/);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /content="crashed"/);
  assert.match(html, /stopped without finishing/);
});

test('when config.json and manifest.json are missing or corrupt, then the report still shows the journal and says what is missing', async () => {
  const run = await copyOfSmallRun('nomanifest');
  rmSync(join(run, 'manifest.json'));
  writeFileSync(join(run, 'config.json'), '{ not json');
  const { code, err } = await cli('report', run, '--json');
  assert.equal(code, EXIT.ok, err);
  const result = JSON.parse((await cli('report', run, '--json')).out) as { problems: string[]; state: string };
  assert.ok(result.problems.some((p) => /manifest\.json is missing/.test(p)));
  assert.ok(result.problems.some((p) => /config\.json is corrupt/.test(p)));
  assert.equal(result.state, 'finished');
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /not recorded/);
  assert.match(html, /class="graph-drawing"><svg/);
});

test('when the run has only been created (empty journal), then a report says no candidates yet', async () => {
  const run = await copyOfSmallRun('fresh');
  writeFileSync(join(run, 'journal.jsonl'), '');
  rmSync(join(run, 'checkpoint.json'));
  const { code, err } = await cli('report', run);
  assert.equal(code, EXIT.ok, err);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /content="empty"/);
  assert.match(html, /has not proposed a candidate yet/);
});

test('when rerank/summary.json holds results, then the report shows them with their intervals and on the layer card', async () => {
  const run = await copyOfSmallRun('rerank');
  const front = JSON.parse(readFileSync(join(run, 'export', 'front.json'), 'utf8')) as { id: number }[];
  const id = front[0].id;
  mkdirSync(join(run, 'rerank'));
  // The shape `evonorm rerank` writes (evonorm.protocol-summary v1, src/protocol/run-protocol.ts), trimmed to what the report reads.
  const cell = (layer: string, mean: number, vsBaseline: unknown) => ({ layer, arch: 0, archName: 'resnet', batchSize: 64, steps: 100, lr: 0.1, seeds: 3, values: [{ seed: 0, accuracy: mean }, { seed: 1, accuracy: mean }, { seed: 2, accuracy: mean }], failures: [], missing: 0, mean, sd: 0.004, vsBaseline });
  writeFileSync(join(run, 'rerank', 'summary.json'), JSON.stringify({
    format: 'evonorm.protocol-summary', version: 1, kind: 'rerank', complete: true,
    objective: { metric: 'top-1 accuracy', split: 'test', higherIsBetter: true, description: 'top-1 accuracy on the held-out test split' },
    baseline: 'bn-relu',
    layers: [{ name: 'bn-relu', expression: 'x', fingerprint: 'f', source: 'baseline (zoo)' }, { name: `#${id}`, expression: 'x', fingerprint: 'g', source: 'search mutation', candidateId: id }],
    cells: [cell('bn-relu', 0.9412, null), cell(`#${id}`, 0.9468, { n: 3, mean: 0.0056, sd: 0.001, halfWidth: 0.0025, low: 0.0031, high: 0.0081, level: 0.95, seeds: [0, 1, 2] })],
    best3: [{ rule: 'best mean', batchSize: 64, layers: [{ layer: `#${id}`, meanOverArchitectures: 0.9468, source: 'search' }] }],
  }));
  const { code } = await cli('report', run);
  assert.equal(code, EXIT.ok);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /\+0\.0056 \[0\.0031, 0\.0081\] \*/);
  assert.match(html, /id="rerank-plot"><svg/);
  const card = html.slice(html.indexOf(`id="layer-${id}"`));
  assert.match(card.slice(0, card.indexOf('class="layer"', 10)), /rerank-table/);
});

test('when rerank/ exists without a summary, then the report says the rerank is not finished', async () => {
  const run = await copyOfSmallRun('rerank-running');
  mkdirSync(join(run, 'rerank'));
  writeFileSync(join(run, 'rerank', 'results.jsonl'), '');
  const { code } = await cli('report', run);
  assert.equal(code, EXIT.ok);
  assert.match(readFileSync(join(run, 'report.html'), 'utf8'), /no summary\.json yet/);
});

test('when the live search writes its report, then the page says the search is running and when the report was written', async () => {
  const run = await copyOfSmallRun('live');
  const { writeReport } = await import('../../src/report/write-report.js');
  const result = await writeReport(run, { live: true, now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
  assert.equal(result.state, 'running');
  const html = readFileSync(result.path, 'utf8');
  assert.match(html, /<span class="badge running" id="run-state">search running<\/span>report written 2026-01-02 03:04:05 UTC/);
  assert.match(html, /<title>evonorm · live \(running\)<\/title>/);
});

test('when --out points into a folder that does not exist, then exit 3 naming it', async () => {
  const run = await smallRun();
  const out = join(tempDir(), 'no', 'such', 'r.html');
  const { code, err } = await cli('report', run, '--out', out);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /does not exist/);
  assert.doesNotMatch(err, NO_STACK);
});

test('when a refresh runs in a worker thread, then it writes the live report there, and a bad folder is the same EvonormError', async () => {
  const run = await copyOfSmallRun('worker');
  const { writeReportInWorker } = await import('../../src/report/write-in-worker.js');
  const result = await writeReportInWorker(run, { live: true });
  assert.equal(result.state, 'running');
  assert.match(readFileSync(result.path, 'utf8'), /search running/);
  await assert.rejects(writeReportInWorker(join(tempDir(), 'missing')), (err: Error & { code?: string }) => err.name === 'EvonormError' && err.code === 'BAD_RUN');
});

test('when rerank/summary.json is one `evonorm rerank` wrote (h6 format, fixture), then every cell is in the table and plot', async () => {
  const run = await copyOfSmallRun('rerank-real');
  mkdirSync(join(run, 'rerank'));
  // Written by `evonorm rerank --top 3 --seeds 2 --baselines bn-relu,evonorm-s0` on a tiny proxy search (h6-trust branch).
  // From the repository root (the tests' working folder), so that the compiled twin finds it too.
  cpSync(join('test', 'report', 'fixtures', 'rerank-summary.json'), join(run, 'rerank', 'summary.json'));
  const { code } = await cli('report', run);
  assert.equal(code, EXIT.ok);
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  const section = html.slice(html.indexOf('<section id="rerank">'), html.indexOf('<section id="run">'));
  assert.equal((section.match(/<tr><td>/g) ?? []).length, 5, 'bn-relu, evonorm-s0 and three search layers');
  assert.match(section, /id="rerank-plot"><svg/);
  assert.match(section, /held-out test split/);
  assert.match(section, /best 3/);
});
