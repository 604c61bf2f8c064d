import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('when showing evonorm-s0, then the formula has the sigmoid and the group variance, and the hash and fingerprint are printed', async () => {
  const { code, out } = await cli('show', 'evonorm-s0');
  assert.equal(code, EXIT.ok);
  assert.match(out, /formula: .*sigmoid\(v1 \* x\).*var_group\(x\)/);
  assert.match(out, /hash: +[0-9a-f]{64}/);
  assert.match(out, /fingerprint: +[0-9a-f]{16}/);
});

test('when showing with --json, then stdout is one JSON graph in the export format', async () => {
  const { code, out } = await cli('show', 'evonorm-b0', '--json');
  assert.equal(code, EXIT.ok);
  const json = JSON.parse(out);
  assert.equal(json.format, 'evonorm.layer');
  assert.equal(json.name, 'evonorm-b0');
});

test('when showing with --dot, then Graphviz text is printed', async () => {
  const { out } = await cli('show', 'x * sigmoid(x)', '--dot');
  assert.match(out, /^digraph/);
});

test('when validating a graph file with a cycle, then the exit code is 3 and the message names the nodes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-cli-'));
  const file = join(dir, 'cycle.json');
  writeFileSync(file, JSON.stringify({
    format: 'evonorm.layer', version: 1, output: 'n2',
    nodes: [{ id: 'n1', op: 'mul', args: ['x', 'n2'] }, { id: 'n2', op: 'add', args: ['n1', 'x'] }],
  }));
  const { code, err } = await cli('validate', file);
  assert.equal(code, EXIT.badInput);
  assert.match(err, /cycle: n1 -> n2 -> n1/);
});

test('when validating a valid expression, then the exit code is 0 and the hash is printed', async () => {
  const { code, out } = await cli('validate', 'x * sigmoid(x)');
  assert.equal(code, EXIT.ok);
  assert.match(out, /^valid [0-9a-f]{64}/);
});

test('when an expression has an unknown op, then exit 3 with its position and a suggestion, no stack trace', async () => {
  const { code, err } = await cli('show', 'x * sigmod(x)');
  assert.equal(code, EXIT.badInput);
  assert.match(err, /sigmod.*did you mean sigmoid/);
  assert.doesNotMatch(err, /at .*\.ts:\d+/);
});

test('when a layer file is missing, then the exit code is 3', async () => {
  const { code, err } = await cli('validate', '/nonexistent/layer.json');
  assert.equal(code, EXIT.badInput);
  assert.match(err, /not found/);
});

test('when the command is unknown, then the exit code is 2 (usage)', async () => {
  const { code } = await cli('bogus');
  assert.equal(code, EXIT.usage);
});

test('when asked for --help or --version, then exit 0 with the text on stdout', async () => {
  const help = await cli('--help');
  assert.equal(help.code, EXIT.ok);
  assert.match(help.out, /show/);
  const version = await cli('--version');
  assert.equal(version.code, EXIT.ok);
  assert.match(version.out, /^\d+\.\d+\.\d+/);
});
