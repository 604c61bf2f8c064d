import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DEFAULT_LAYER_JSON_OPTIONS, LayerJsonSchema, LayerJsonV1Schema, graphFromJson, graphToJson, readLayerJson, upgradeLayerJson,
} from '../../src/graph/json.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { DEFAULT_LAYER_OPTIONS } from '../../src/tensor/layer-options.js';
import { parseExpression } from '../../src/graph/parse.js';
import { canonicalHash } from '../../src/graph/canonical.js';
import { isEvonormError } from '../../src/util/errors.js';

const s0 = parseExpression('x * sigmoid(v1 * x) / sqrt(var_group(x))');

/** Asserts graphFromJson fails with BAD_GRAPH and a message matching every pattern. */
function assertBadGraph(value: unknown, ...patterns: RegExp[]): void {
  assert.throws(
    () => graphFromJson(value),
    (err: unknown) => {
      assert.ok(isEvonormError(err));
      assert.equal(err.code, 'BAD_GRAPH');
      for (const pattern of patterns) assert.match(err.message, pattern);
      return true;
    },
  );
}

function doc(nodes: { id: string; op: string; args: string[] }[], output: string, extra: object = {}): object {
  return { format: 'evonorm.layer', version: 1, nodes, output, ...extra };
}

test('when a graph is written to JSON, then nodes are named n0.. and the expression is included', () => {
  const json = graphToJson(s0, { name: 'evonorm-s0', metadata: { run: 'r1' } });
  assert.equal(json.format, 'evonorm.layer');
  assert.equal(json.version, 2);
  assert.equal(json.name, 'evonorm-s0');
  assert.deepEqual(json.nodes[0], { id: 'n0', op: 'mul', args: ['v1', 'x'] });
  assert.equal(json.output, `n${s0.nodes.length - 1}`);
  assert.equal(json.expression, 'x * sigmoid(v1 * x) / sqrt(var_group(x))');
  assert.deepEqual(json.metadata, { run: 'r1' });
  assert.equal(LayerJsonSchema.safeParse(json).success, true);
  assert.equal(graphToJson(s0, { expression: false }).expression, undefined);
});

test('when JSON is read back, then the graph is identical, activation included', () => {
  assert.deepEqual(graphFromJson(JSON.parse(JSON.stringify(graphToJson(s0)))), s0);
  const bnRelu = parseExpression('relu(affine((x - mean_batch(x)) / sqrt(var_batch(x))))');
  const json = graphToJson(bnRelu);
  assert.equal(json.activation, 'relu');
  assert.deepEqual(graphFromJson(json), bnRelu);
});

test('when the output is x itself, then the JSON says "x" and reads back', () => {
  const identity = parseExpression('x');
  const json = graphToJson(identity);
  assert.equal(json.output, 'x');
  assert.deepEqual(graphFromJson(json), identity);
});

test('when nodes are out of topological order, then they are sorted on load', () => {
  const g = graphFromJson(
    doc([{ id: 'out', op: 'mul', args: ['x', 'gate'] }, { id: 'gate', op: 'sigmoid', args: ['x'] }], 'out'),
  );
  assert.deepEqual(g, { nodes: [{ op: 'sigmoid', args: [0] }, { op: 'mul', args: [0, 5] }], output: 6 });
  assert.equal(canonicalHash(g), canonicalHash(parseExpression('x * sigmoid(x)')));
});

test('when JSON nodes form a cycle, then the error names the nodes of the cycle', () => {
  assertBadGraph(
    doc([{ id: 'n0', op: 'exp', args: ['x'] }, { id: 'n1', op: 'add', args: ['n0', 'n2'] }, { id: 'n2', op: 'tanh', args: ['n1'] }], 'n2'),
    /cycle: n1 -> n2 -> n1/,
  );
  assertBadGraph(doc([{ id: 'a', op: 'add', args: ['x', 'a'] }], 'a'), /cycle: a -> a/);
});

test('when a JSON node has an unknown op or a wrong arity, then the error names the node', () => {
  assertBadGraph(doc([{ id: 'gate', op: 'sigmod', args: ['x'] }], 'gate'), /node "gate": unknown op "sigmod" \(did you mean sigmoid\?\)/, /nodes\[0\]\.op/);
  assertBadGraph(doc([{ id: 'm', op: 'mul', args: ['x'] }], 'm'), /node "m": mul takes 2 argument/);
});

test('when a JSON arg or output refers to nothing, then the error names it', () => {
  assertBadGraph(doc([{ id: 'm', op: 'mul', args: ['x', 'q'] }], 'm'), /node "m": argument "q"/);
  assertBadGraph(doc([{ id: 'm', op: 'exp', args: ['x'] }], 'z'), /output "z"/);
});

test('when JSON ids repeat or shadow an initial node, then it is rejected', () => {
  assertBadGraph(doc([{ id: 'a', op: 'exp', args: ['x'] }, { id: 'a', op: 'tanh', args: ['x'] }], 'a'), /duplicate node id "a"/);
  assertBadGraph(doc([{ id: 'x', op: 'exp', args: ['x'] }], 'x'), /node id "x" is an initial-node name/);
});

test('when the document has a wrong shape, then zod errors are rendered with their paths', () => {
  assertBadGraph({ ...graphToJson(s0), version: 3 }, /unsupported layer file version 3/, /reads versions 1 and 2/, /newer evonorm/);
  assertBadGraph({ ...graphToJson(s0), version: '2' }, /unsupported layer file version "2"/);
  assertBadGraph({ ...graphToJson(s0), format: 'other' }, /not an evonorm layer file/);
  assertBadGraph({ ...graphToJson(s0), extra: true }, /Unrecognized key.*extra/);
  assertBadGraph(doc([{ id: 'a', op: 'exp', args: ['x'], note: 1 } as never], 'a'), /note/, /nodes\[0\]/);
  assertBadGraph('not a document', /expected object/i);
});

test('when the JSON graph ignores x or is too large, then it is rejected', () => {
  assertBadGraph(doc([{ id: 'a', op: 'exp', args: ['v1'] }], 'a'), /output "a" does not depend on x/);
  const chain = Array.from({ length: 11 }, (_, k) => ({ id: `n${k}`, op: 'tanh', args: [k === 0 ? 'x' : `n${k - 1}`] }));
  assertBadGraph(doc(chain, 'n10'), /more than the limit of 10/);
  assert.equal(graphFromJson(doc(chain, 'n10'), { maxNodes: 11 }).nodes.length, 11);
});

test('when the expression field disagrees with the nodes, then it is rejected', () => {
  assertBadGraph({ ...graphToJson(s0), expression: 'x * sigmoid(x)' }, /does not match the nodes/);
  assertBadGraph({ ...graphToJson(s0), expression: 'x *' }, /does not parse/);
  // An equivalent expression written differently is fine.
  assert.deepEqual(graphFromJson({ ...graphToJson(s0), expression: 'x * sigmoid(x * v1) / sqrt(var_group(x))' }), s0);
});

const v1File = JSON.parse(readFileSync(new URL('./fixtures/layer-v1-evonorm-b0.json', import.meta.url), 'utf8')) as unknown;

test('when a version-1 file (written by evonorm 0.1.0) is read, then it reads as version 2 with the default options', () => {
  assert.equal(LayerJsonV1Schema.safeParse(v1File).success, true, 'the fixture is a genuine version-1 document');
  const file = readLayerJson(v1File);
  assert.equal(file.version, 1);
  assert.equal(file.hasOptions, false);
  assert.deepEqual(file.options, DEFAULT_LAYER_JSON_OPTIONS);
  assert.equal(file.name, 'evonorm-b0');
  assert.equal(canonicalHash(file.graph), canonicalHash(zooLayer('evonorm-b0')));
  assert.equal(file.document.version, 2);
  assert.deepEqual(file.document.options, DEFAULT_LAYER_JSON_OPTIONS);
  assert.deepEqual(file.document.metadata, (v1File as { metadata: unknown }).metadata);
  // The upgraded document is itself a valid version-2 file describing the same graph.
  assert.deepEqual(readLayerJson(JSON.parse(JSON.stringify(file.document))).graph, file.graph);
  assert.deepEqual(graphFromJson(v1File), file.graph);
});

test('when a version-2 document is upgraded, then it is unchanged', () => {
  const doc = graphToJson(s0, { options: { epsilon: 1e-3 } });
  assert.equal(upgradeLayerJson(doc), doc);
});

test('when options are given to graphToJson, then they are written complete and read back', () => {
  const json = graphToJson(s0, { options: { epsilon: 1e-3, groupSize: 8 } });
  assert.deepEqual(json.options, { epsilon: 1e-3, groups: 32, momentum: 0.9, groupSize: 8 });
  const file = readLayerJson(JSON.parse(JSON.stringify(json)));
  assert.equal(file.hasOptions, true);
  assert.deepEqual(file.options, { epsilon: 1e-3, groups: 32, momentum: 0.9, groupSize: 8 });
  // Without options (journal graphs), the document has none and a reader uses the defaults.
  const bare = graphToJson(s0, { expression: false });
  assert.equal('options' in bare, false);
  assert.deepEqual(readLayerJson(bare).options, DEFAULT_LAYER_JSON_OPTIONS);
});

test('when the stored options are out of range or unknown, then the error names the field', () => {
  const json = graphToJson(s0, { options: {} });
  assertBadGraph({ ...json, options: { ...json.options, epsilon: 0 } }, /options\.epsilon/);
  assertBadGraph({ ...json, options: { ...json.options, momentum: 2 } }, /options\.momentum/);
  assertBadGraph({ ...json, options: { ...json.options, groups: 1.5 } }, /options\.groups/);
  assertBadGraph({ ...json, options: { ...json.options, eps: 1 } }, /Unrecognized key.*eps/);
  // Version 1 has no options field.
  assertBadGraph({ ...json, version: 1 }, /Unrecognized key.*options/);
});

test('when the graph-module defaults are compared with the tensor module\'s, then they agree', () => {
  const pick = (o: { epsilon: number; groups: number; momentum: number; groupSize?: number }) => [o.epsilon, o.groups, o.momentum, o.groupSize];
  assert.deepEqual(pick(DEFAULT_LAYER_JSON_OPTIONS), pick(DEFAULT_LAYER_OPTIONS));
});

test('when a schema user parses any known version, then LayerJsonSchema accepts it and refuses others', () => {
  assert.equal(LayerJsonSchema.safeParse(v1File).success, true);
  assert.equal(LayerJsonSchema.safeParse(graphToJson(s0, { options: {} })).success, true);
  const future = LayerJsonSchema.safeParse({ ...graphToJson(s0), version: 9 });
  assert.equal(future.success, false);
  assert.match(JSON.stringify(future.error?.issues), /unsupported layer file version 9/);
});

test('when a JSON document is not a layer file at all, then the message says so rather than blaming the version', () => {
  assertBadGraph({}, /not an evonorm layer file/);
  assertBadGraph({ name: 'package', version: '1.0.0' }, /not an evonorm layer file/);
  assert.match(JSON.stringify(LayerJsonSchema.safeParse({ nodes: [] }).error?.issues), /not an evonorm layer file/);
});
