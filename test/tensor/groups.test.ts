import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveGroups } from '../../src/tensor/layer-options.js';

test('when only a group count is given, then narrow layers keep at least two channels per group', () => {
  assert.equal(effectiveGroups(8, 32), 4);
  assert.equal(effectiveGroups(16, 32), 8);
  assert.equal(effectiveGroups(32, 32), 16);
  assert.equal(effectiveGroups(64, 32), 32);
  assert.equal(effectiveGroups(2048, 32), 32);
  assert.equal(effectiveGroups(24, 32), 12);
  assert.equal(effectiveGroups(7, 32), 1);
  assert.equal(effectiveGroups(16, 4), 4);
});

test('when a group size is given, then it sets channels per group and wins over the count', () => {
  assert.equal(effectiveGroups(8, 32, 4), 2);
  assert.equal(effectiveGroups(32, 2, 4), 8);
  assert.equal(effectiveGroups(16, 32, 1), 16);
  assert.equal(effectiveGroups(12, 32, 5), 2);
  assert.equal(effectiveGroups(4, 32, 8), 1);
});
