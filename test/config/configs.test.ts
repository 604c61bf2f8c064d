import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadConfigFile } from '../../src/config/load.js';
import { RunConfigSchema } from '../../src/config/run-config.js';

test('when every shipped config is loaded, then it validates against the run config schema', () => {
  const files = readdirSync('configs').filter((f) => f.endsWith('.json'));
  assert.ok(files.includes('quick.json') && files.includes('paper.json'));
  for (const file of files) {
    const config = loadConfigFile(`configs/${file}`, RunConfigSchema);
    assert.ok(config.search.maxCandidates > 0, file);
  }
});

test('when an objective is proxy without an evaluation section, then validation says so', () => {
  const result = RunConfigSchema.safeParse({ objective: 'proxy' });
  assert.equal(result.success, false);
  assert.match(JSON.stringify(result.error?.issues), /needs an \\"evaluation\\" section/);
});
