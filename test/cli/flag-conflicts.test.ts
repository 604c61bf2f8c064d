/**
 * Flags that contradict each other are refused with exit 2 and a reason (issue 19 §4), never
 * silently ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('when search gets --resume with --name, then it exits 2 saying a resumed run keeps its folder name', async () => {
  const { code, out, err } = await cli('search', '--resume', 'runs/does-not-matter', '--name', 'other');
  assert.equal(code, EXIT.usage);
  assert.match(err, /--name.*--resume/);
  assert.equal(out, '');
});

for (const extra of [['--json'], ['--format', 'pytorch']]) {
  test(`when show gets --dot with ${extra[0]}, then it exits 2 naming both options and prints nothing`, async () => {
    const { code, out, err } = await cli('show', 'evonorm-b0', '--dot', ...extra);
    assert.equal(code, EXIT.usage);
    assert.match(err, new RegExp(`--dot.*${extra[0]}`));
    assert.equal(out, '');
  });
}

test('when show gets --json with --format pytorch, then it exits 2 (one output format at a time)', async () => {
  const { code, err } = await cli('show', 'evonorm-b0', '--json', '--format', 'pytorch');
  assert.equal(code, EXIT.usage);
  assert.match(err, /--json.*--format/);
});
