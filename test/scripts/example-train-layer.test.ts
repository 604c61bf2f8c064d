import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphToJson, zooLayer } from '../../src/graph/index.js';
import { scriptCommand } from '../cli/cli-command.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-example-'));

function runScript(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, scriptCommand('scripts/example-train-layer.ts', args), { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('when the example script trains a model with a front layer from a JSON file for 3 steps, then it reports losses and accuracy and reloads it equal', () => {
  const layerFile = join(dir, 'front-layer.json');
  writeFileSync(layerFile, JSON.stringify(graphToJson(zooLayer('evonorm-b0'), { name: 'a-front-layer', options: { epsilon: 1e-3, groups: 4, momentum: 0.8 } })));
  const out = join(dir, 'model');
  const r = runScript(layerFile, '--steps', '3', '--batch', '8', '--backend', 'cpu', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^layer a-front-layer \(ε 0\.001, 4 groups, momentum 0\.8\); backend cpu; \d+ parameters$/);
  const steps = lines.filter((l) => l.startsWith('step '));
  assert.equal(steps.length, 3);
  for (const l of steps) assert.match(l, /^step \d\/3 loss \d+\.\d{4}$/);
  assert.match(r.stdout, /validation accuracy [01]\.\d{4}/);
  assert.match(r.stdout, /reloaded: outputs differ by at most 0\n/);
  assert.ok(existsSync(join(out, 'model.json')) && existsSync(join(out, 'weights.bin')));
});

test('when the example script gets an unknown layer, then it exits 1 with a message and no stack trace', () => {
  const r = runScript('evonorm-s9', '--steps', '1', '--backend', 'cpu');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /example-train-layer: unknown layer "evonorm-s9" \(did you mean zoo layer evonorm-s0\?\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
