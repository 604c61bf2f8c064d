/** The backend descriptors (src/tensor/backends.ts) are the one list every backend choice derives from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BACKEND_DESCRIPTORS, BACKEND_NAMES, BACKENDS } from '../../src/tensor/backends.js';
import { BackendSchema } from '../../src/evaluate/config.js';
import { RerankConfigSchema } from '../../src/protocol/rerank-config.js';
import { backendOption } from '../../src/cli/options.js';
import { DOCTOR_BACKENDS } from '../../src/cli/doctor-backends.js';

test('when the backend choices are read, then each is "auto" followed by the descriptors\' names, in order', () => {
  assert.deepEqual(BACKEND_NAMES, BACKEND_DESCRIPTORS.map((b) => b.name));
  assert.deepEqual(BACKENDS, ['auto', ...BACKEND_NAMES]);
  assert.deepEqual(BackendSchema.unwrap().options, [...BACKENDS]);
  assert.deepEqual(RerankConfigSchema.shape.backend.unwrap().options, [...BACKENDS]);
  assert.deepEqual(backendOption('x').argChoices, [...BACKENDS]);
  assert.deepEqual(DOCTOR_BACKENDS, BACKEND_NAMES);
});

test('when the config\'s backend field is described, then it names every backend in the order auto tries them', () => {
  for (const name of BACKEND_NAMES) assert.match(BackendSchema.description ?? '', new RegExp(name));
  assert.equal(BackendSchema.parse(undefined), 'auto');
});
