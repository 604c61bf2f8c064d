import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/tensor/backend.js';
import { isEvonormError } from '../../src/util/errors.js';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node-gpu') || installed('@tensorflow/tfjs-node');

test('when tensorflow is requested without tfjs-node installed, then BACKEND_UNAVAILABLE is thrown', { skip: nativeInstalled }, async () => {
  await assert.rejects(selectBackend('tensorflow'), (err: unknown) => isEvonormError(err) && err.code === 'BACKEND_UNAVAILABLE');
});

test('when auto is requested without tfjs-node, then wasm is taken and the reason names what was missing', { skip: nativeInstalled }, async () => {
  const lines: string[] = [];
  const choice = await selectBackend('auto', (m) => lines.push(m));
  assert.equal(choice.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(choice.reason, /tfjs-node-gpu not installed/);
  assert.match(choice.reason, /wasm loaded/);
  assert.equal(lines.length, 2); // one line per attempt: tensorflow, wasm
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'wasm training kernels registered');
});

test('when the same request is repeated, then the same choice comes back without new attempts', async () => {
  const first = await selectBackend('wasm');
  const lines: string[] = [];
  const again = await selectBackend('wasm', (m) => lines.push(m));
  assert.equal(again, first);
  assert.deepEqual(lines, []);
});

test('when cpu is requested, then cpu is active and computes', async () => {
  const choice = await selectBackend('cpu');
  assert.equal(choice.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  const sum = tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0]);
  assert.equal(sum, 5);
});
