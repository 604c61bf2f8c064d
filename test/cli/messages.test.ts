/**
 * Messages that name their field, and refusals that say what to type next (issue 19 §5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-messages-'));

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, err: io.err.join('') };
}

function config(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const small = { maxCandidates: 4, batchSize: 2, populationSize: 4, tournamentSize: 2 };

for (const [what, value, field] of [
  ['an unknown seed layer', { objective: 'fast', search: { ...small, seedLayers: ['bn-relu', 'no-such-layer'] } }, /search\.seedLayers\[1\]/],
  ['a seed layer that does not parse', { objective: 'fast', search: { ...small, seedLayers: ['sigmoid(('] } }, /search\.seedLayers\[0\]/],
  ['an unknown fast target', { objective: 'fast', fast: { target: 'no-such-layer' }, search: small }, /fast\.target/],
] as const) {
  test(`when a config has ${what}, then search exits 3 naming the field`, async () => {
    const { code, err } = await cli('search', '--config', config('bad.json', value), '--runs-dir', join(dir, 'runs-bad'));
    assert.equal(code, EXIT.badInput, err);
    assert.match(err, field);
  });
}

test('when a run cannot be resumed, then the refusal says how to start it afresh from its config, and that command works', async () => {
  const runsDir = join(dir, 'runs');
  const path = config('fast.json', { objective: 'fast', dispatch: { mode: 'inline' }, search: small });
  assert.equal((await cli('search', '--config', path, '--runs-dir', runsDir, '--name', 'broken')).code, EXIT.ok);
  writeFileSync(join(runsDir, 'broken', 'journal.jsonl'), '{"type":"bogus"}\n');
  const { code, err } = await cli('search', '--resume', join(runsDir, 'broken'));
  assert.equal(code, EXIT.badInput, err);
  const hint = /evonorm search --config (\S+config\.json) --name <new name>/.exec(err);
  assert.ok(hint, err);
  const again = await cli('search', '--config', hint[1]!, '--runs-dir', runsDir, '--name', 'afresh');
  assert.equal(again.code, EXIT.ok, again.err);
});

test('when --resume names a folder that does not exist, then the refusal points at evonorm runs', async () => {
  const { code, err } = await cli('search', '--resume', join(dir, 'runs', 'nope'));
  assert.equal(code, EXIT.badInput, err);
  assert.match(err, /evonorm runs/);
});
