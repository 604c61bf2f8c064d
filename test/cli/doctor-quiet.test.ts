/**
 * `evonorm doctor` does not open with tfjs's "Hi, looks like you are running TensorFlow.js in
 * Node.js…" banner (issue 19 §4): the cpu backend's advertisement for tfjs-node is silenced (doctor
 * says itself whether the tensorflow backend loads). Its own process: the banner shows once per process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

test('when doctor runs the cpu backend, then nothing of tfjs\'s banner reaches the console', async () => {
  const printed: string[] = [];
  const saved = { warn: console.warn, log: console.log };
  console.warn = (...args: unknown[]) => void printed.push(args.join(' '));
  console.log = (...args: unknown[]) => void printed.push(args.join(' '));
  try {
    await main(['doctor', '--backend', 'cpu', '--json'], memoryIo());
  } finally {
    console.warn = saved.warn;
    console.log = saved.log;
  }
  assert.deepEqual(printed.filter((line) => /looks like you are running TensorFlow\.js|Platform .* has already been set/.test(line)), []);
});
