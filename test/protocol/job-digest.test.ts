import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protocolDigest } from '../../src/protocol/job.js';

test('when a protocol config differs only in the search\'s seeds or its backend, then its digest (and so every job key) is the same', () => {
  const base = { data: { name: 'synthetic' }, architectures: [{ arch: 'resnet' }], training: { steps: 6 } };
  const digest = protocolDigest(base, 'validation');
  assert.equal(protocolDigest({ ...base, seeds: 1 }, 'validation'), digest);
  assert.equal(protocolDigest({ ...base, seeds: 3, backend: 'cpu' }, 'validation'), digest);
  assert.notEqual(protocolDigest({ ...base, training: { steps: 7 } }, 'validation'), digest);
  assert.notEqual(protocolDigest(base, 'test'), digest);
});
