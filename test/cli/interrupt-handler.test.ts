import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interruptHandler } from '../../src/cli/bin.js';

test('when Ctrl-C comes twice, then the first aborts cleanly and the second exits 130 saying how the run will look and how to continue', () => {
  const controller = new AbortController();
  const said: string[] = [];
  const exits: number[] = [];
  const onSignal = interruptHandler(controller, (t) => said.push(t), (code) => exits.push(code));
  onSignal();
  assert.equal(controller.signal.aborted, true);
  assert.deepEqual(exits, []);
  assert.match(said.join(''), /finishing cleanly \(Ctrl-C again to stop at once\)/);
  onSignal();
  assert.deepEqual(exits, [130]);
  assert.match(said.at(-1)!, /stopped at once; status will show the run as crashed; evonorm search --resume continues it/);
});
