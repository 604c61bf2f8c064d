import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLayer } from '../../src/graph/resolve.js';
import { graphToJson } from '../../src/graph/json.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { parseExpression } from '../../src/graph/parse.js';
import { isEvonormError } from '../../src/util/errors.js';

function assertCode(run: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(run, (err: unknown) => isEvonormError(err) && err.code === code && (!pattern || pattern.test(err.message)));
}

test('when the spec is a zoo name, then the zoo layer is returned', () => {
  assert.deepEqual(resolveLayer('evonorm-b0'), { graph: zooLayer('evonorm-b0'), name: 'evonorm-b0', source: 'zoo' });
});

test('when the spec is an expression, then it is parsed and validated', () => {
  assert.deepEqual(resolveLayer('x * sigmoid(x)'), { graph: parseExpression('x * sigmoid(x)'), source: 'expression' });
  assertCode(() => resolveLayer('v1 * one'), 'BAD_GRAPH', /NO_X_DEPENDENCE/);
  assertCode(() => resolveLayer('x * sigmod(x)'), 'BAD_EXPRESSION', /did you mean sigmoid/);
});

test('when the spec looks like a misspelt layer name, then the error suggests the zoo layer', () => {
  assertCode(() => resolveLayer('evonorm-s3'), 'BAD_EXPRESSION', /zoo layer evonorm-s0/);
});

test('when the spec is a JSON file, then the graph and its name are read from it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-graph-'));
  try {
    const path = join(dir, 'layer.json');
    writeFileSync(path, JSON.stringify(graphToJson(zooLayer('evonorm-s1'), { name: 'mine', options: { epsilon: 1e-3 } })));
    assert.deepEqual(resolveLayer(path), {
      graph: zooLayer('evonorm-s1'), name: 'mine', source: 'file', options: { epsilon: 1e-3, groups: 32, momentum: 0.9 },
    });

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    assertCode(() => resolveLayer(bad), 'BAD_GRAPH', /not valid JSON/);

    const cyclic = join(dir, 'cyclic.json');
    writeFileSync(cyclic, JSON.stringify({
      format: 'evonorm.layer', version: 1, output: 'b',
      nodes: [{ id: 'a', op: 'exp', args: ['b'] }, { id: 'b', op: 'add', args: ['x', 'a'] }],
    }));
    assertCode(() => resolveLayer(cyclic), 'BAD_GRAPH', /cyclic\.json.*\n?.*cycle: a -> b -> a/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('when the JSON file does not exist, then MISSING_FILE is thrown', () => {
  assertCode(() => resolveLayer(join(tmpdir(), 'no-such-dir-evonorm', 'layer.json')), 'MISSING_FILE');
});
