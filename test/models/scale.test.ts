import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scaleChannels, scaleDepth } from '../../src/models/index.js';

test('when channels are scaled, then the result is a multiple of the divisor within 10% below to 1 divisor above', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 512 }), fc.double({ min: 0.1, max: 8, noNaN: true }), (c, width) => {
      const out = scaleChannels(c, width);
      const exact = c * width;
      return out % 4 === 0 && out >= 4 && out >= 0.9 * exact && out <= Math.max(4, exact + 4);
    }),
  );
  assert.equal(scaleChannels(16, 1), 16);
  assert.equal(scaleChannels(8, 0.5), 4);
});

test('when depth is scaled, then block counts round up and never drop below one', () => {
  assert.equal(scaleDepth(2, 1), 2);
  assert.equal(scaleDepth(2, 1.2), 3);
  assert.equal(scaleDepth(1, 0.1), 1);
});
