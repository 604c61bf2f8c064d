import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSimdModule, checkOwnsNoMemory, moduleSource, SIMD_OUTPUT } from '../../scripts/build-simd.js';
import { readFileSync } from 'node:fs';

test('when the SIMD module is rebuilt from wasm/simd with the pinned AssemblyScript, then it is byte-identical to the committed one', async () => {
  const bytes = await buildSimdModule();
  assert.equal(readFileSync(SIMD_OUTPUT, 'utf8'), moduleSource(bytes), `${SIMD_OUTPUT} is stale: run npm run build:simd`);
});

test('when a module has a data section, then the build refuses it (it would overwrite the tfjs heap)', () => {
  // magic, version, then a data section (id 11) of one byte: zero segments
  const withData = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 11, 1, 0]);
  assert.throws(() => checkOwnsNoMemory(withData), /data/);
  assert.doesNotThrow(() => checkOwnsNoMemory(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])));
});
