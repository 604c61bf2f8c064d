import { test } from 'node:test';
import assert from 'node:assert/strict';
test('when the harness runs, then arithmetic holds', () => { assert.equal(1 + 1, 2); });
