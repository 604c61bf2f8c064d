import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { graphToJson, zooLayer } from '../../src/graph/index.js';
import { EXIT } from '../../src/util/errors.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const dir = mkdtempSync(join(tmpdir(), 'evonorm-cli-version-'));

test('when a layer file has a future version, then show and validate exit 3 naming the versions they read', async () => {
  const file = join(dir, 'future.json');
  writeFileSync(file, JSON.stringify({ ...graphToJson(zooLayer('evonorm-s0')), version: 7 }));
  for (const command of ['show', 'validate']) {
    const { code, err, out } = await cli(command, file);
    assert.equal(code, EXIT.badInput, command);
    assert.equal(out, '');
    assert.match(err, /unsupported layer file version 7: this evonorm reads versions 1 and 2/);
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  }
});

test('when a version-1 file is shown as JSON, then stdout is a version-2 graph with the default options', async () => {
  const file = join(dir, 'v1.json');
  copyFileSync(new URL('../graph/fixtures/layer-v1-evonorm-b0.json', import.meta.url), file);
  const { code, out } = await cli('show', file, '--json');
  assert.equal(code, EXIT.ok);
  const json = JSON.parse(out);
  assert.equal(json.version, 2);
  assert.equal(json.name, 'evonorm-b0');
  assert.deepEqual(json.options, { epsilon: 1e-5, groups: 32, momentum: 0.9 });
});
