/**
 * Fuzzing as a test (issue 8, "Checked by"): seeded fast-check feeds well over 1,000 generated
 * malformed inputs — expressions, JSON graphs, configs, run folders — to the CLI function
 * main(argv, io) in this process. Every one must end in exit 2 or 3 with a message and no stack
 * trace (or exit 0 when the input happens to be valid), and inputs built to break a rule of the
 * schema must never be accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { MAX_IMAGE_SIZE } from '../../src/data/config.js';
import { EXIT } from '../../src/util/errors.js';
import { graphToJson } from '../../src/graph/json.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { OP_NAMES } from '../../src/graph/ops.js';

const SEED = 20261201;
const dir = mkdtempSync(join(tmpdir(), 'evonorm-fuzz-'));
let counter = 0;
const counts = { expressions: 0, graphs: 0, configs: 0, runs: 0 };

async function cli(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, err: io.err.join(''), out: io.out.join('') };
}

/** Exit 0, 2 or 3; a message on every failure; never a stack trace or an internal error. */
function assertClean(result: { code: number; err: string }, input: string): void {
  const what = `${input.slice(0, 160)} → exit ${result.code}: ${result.err.slice(0, 300)}`;
  assert.ok([EXIT.ok, EXIT.usage, EXIT.badInput].includes(result.code as 0 | 2 | 3), what);
  if (result.code !== EXIT.ok) assert.ok(result.err.trim().length > 0, `no message: ${what}`);
  assert.doesNotMatch(result.err, /internal error|\n\s+at .+:\d+:\d+|Maximum call stack/, what);
}

// ---- expressions ----

const TOKENS = ['x', 'v0', 'v1', 'zero', 'one', '0', '1', '2', '0.5', '+', '-', '*', '/', '(', ')', ',', ' ',
  ...OP_NAMES, 'affine', 'relu', 'swish', 'sigmod', 'foo', '$', '\t', 'é', '1e3'];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 0, maxLength: 40 }).map((t) => t.join(''));
const deepNesting = fc.record({ depth: fc.integer({ min: 150, max: 3000 }), kind: fc.constantFrom('(', 'neg(', 'sigmoid(', '- ', 'x + ', 'x * ') })
  .map(({ depth, kind }) => (kind.endsWith('(') ? `${kind.repeat(depth)}x${')'.repeat(depth)}` : `${kind.repeat(depth)}x`));
const unbalanced = fc.tuple(tokenSoup, fc.constantFrom('(', ')', ',', '')).map(([s, extra]) => `${extra}${s}${extra === '(' ? '' : '('}`);

test('when 600 malformed expressions are shown or validated, then each exits 0, 2 or 3 with a message and no stack trace', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(tokenSoup, deepNesting, unbalanced), fc.constantFrom('validate', 'show'), async (expression, command) => {
      counts.expressions++;
      const result = await cli([command, '--', expression]);
      assertClean(result, expression);
    }),
    { seed: SEED, numRuns: 600 },
  );
});

// ---- JSON graphs ----

type Doc = Record<string, unknown> & { nodes: Array<Record<string, unknown>> };
const base = (): Doc => structuredClone(graphToJson(zooLayer('evonorm-s0'))) as Doc;

/** Corruptions that break a rule of the layer format: the file must be refused. */
const forbidden: fc.Arbitrary<[string, (d: Doc) => void]> = fc.oneof(
  fc.string().filter((op) => !(OP_NAMES as readonly string[]).includes(op)).map((op) => [`unknown op ${op}`, (d: Doc) => { d.nodes[0].op = op; }] as [string, (d: Doc) => void]),
  fc.constant<[string, (d: Doc) => void]>(['missing output', (d) => { d.output = 'nowhere'; }]),
  fc.constant<[string, (d: Doc) => void]>(['version 99', (d) => { d.version = 99; }]),
  fc.constant<[string, (d: Doc) => void]>(['no format', (d) => { delete d.format; }]),
  fc.string({ minLength: 1 }).filter((k) => !['format', 'version', 'name', 'nodes', 'output', 'activation', 'expression', 'metadata'].includes(k))
    .map((k) => [`extra key ${k}`, (d: Doc) => { d[k] = 1; }] as [string, (d: Doc) => void]),
  fc.constant<[string, (d: Doc) => void]>(['cycle', (d) => { d.nodes[0].args = [String(d.nodes[d.nodes.length - 1].id)]; delete d.expression; }]),
  fc.constant<[string, (d: Doc) => void]>(['duplicate id', (d) => { d.nodes[1].id = d.nodes[0].id; }]),
  fc.constant<[string, (d: Doc) => void]>(['wrong arity', (d) => { d.nodes[0].args = ['x', 'x', 'x']; }]),
  fc.constant<[string, (d: Doc) => void]>(['args not an array', (d) => { d.nodes[0].args = 'x'; }]),
  fc.constant<[string, (d: Doc) => void]>(['expression disagrees', (d) => { d.expression = 'x * sigmoid(x)'; }]),
  fc.integer({ min: 1001, max: 30_000 }).map((n) => [`${n} chained nodes`, (d: Doc) => {
    d.nodes = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, op: 'neg', args: [i ? `m${i - 1}` : 'x'] }));
    d.output = `m${n - 1}`;
    delete d.expression;
  }] as [string, (d: Doc) => void]),
);

/** Text-level damage to a valid file: may or may not still be valid JSON. */
const damage = fc.record({ at: fc.nat(), cut: fc.boolean(), junk: fc.string({ maxLength: 4 }) });

test('when 300 corrupted JSON graphs are validated, then the rule-breaking ones exit 3 and none gives a stack trace', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(forbidden.map((f) => ({ forbidden: f })), damage.map((d) => ({ damage: d }))), async (input) => {
      counts.graphs++;
      const path = join(dir, `g${counter++}.json`);
      let label: string;
      if ('forbidden' in input) {
        const doc = base();
        input.forbidden[1](doc);
        label = input.forbidden[0];
        writeFileSync(path, JSON.stringify(doc));
      } else {
        const text = JSON.stringify(base());
        const at = input.damage.at % (text.length + 1);
        label = `damaged at ${at}`;
        writeFileSync(path, `${text.slice(0, at)}${input.damage.junk}${input.damage.cut ? '' : text.slice(at)}`);
      }
      const result = await cli(['validate', path]);
      assertClean(result, label);
      if ('forbidden' in input) assert.equal(result.code, EXIT.badInput, `${label} was accepted`);
      rmSync(path);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

// ---- configs ----

const okConfig = (): Record<string, unknown> => ({
  seed: 1,
  objective: 'fast',
  search: { maxCandidates: 2, batchSize: 2, populationSize: 4, tournamentSize: 2 },
  dispatch: { mode: 'inline' },
});

/** Marker of a value to replace by `depth` nested arrays in the config text. */
const NESTED = '@nested:';
const spliceNesting = (text: string): string => text.replace(new RegExp(`"${NESTED}(\\d+)"`), (_, d: string) => `${'['.repeat(Number(d))}${']'.repeat(Number(d))}`);

type Cfg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Config changes that break a rule of the run-config schema: the config must be refused. */
const badConfig: fc.Arbitrary<[string, (c: Cfg) => void]> = fc.oneof(
  fc.constantFrom('search', 'dispatch', 'fast').chain((section) => fc.string({ minLength: 1, maxLength: 8 })
    .filter((k) => !['populationSize', 'tournamentSize', 'tournamentFraction', 'selection', 'schedule', 'batchSize', 'maxCandidates', 'maxMinutes', 'seedLayers',
      'rejectedJoinPopulation', 'space', 'mutation', 'mode', 'workers', 'redis', 'timeoutMinutes', 'target', 'objectives', '__proto__'].includes(k))
    .map((k) => [`unknown key ${section}.${k}`, (c: Cfg) => { c[section] = { ...(c[section] ?? {}), [k]: 1 }; }] as [string, (c: Cfg) => void])),
  fc.constantFrom('populationSize', 'tournamentSize', 'batchSize', 'maxCandidates').chain((field) =>
    fc.oneof(fc.integer({ max: 0 }), fc.double({ noNaN: true }).filter((v) => !Number.isInteger(v)), fc.string(), fc.constant(null))
      .map((v) => [`search.${field} = ${JSON.stringify(v)}`, (c: Cfg) => { c.search[field] = v; }] as [string, (c: Cfg) => void])),
  fc.integer({ min: 5, max: 10_000 }).map((t) => [`tournamentSize ${t} > populationSize 4`, (c: Cfg) => { c.search.tournamentSize = t; }] as [string, (c: Cfg) => void]),
  fc.constant<[string, (c: Cfg) => void]>(['all mutation weights 0', (c) => { c.search.mutation = { weights: { op: 0, args: 0, both: 0 } }; }]),
  fc.integer({ min: 257, max: 10_000_000 }).map((w) => [`workers ${w}`, (c: Cfg) => { c.dispatch.workers = w; }] as [string, (c: Cfg) => void]),
  fc.constantFrom('gpu', 'GPU', '', 'wasm ').map((b) => [`backend ${b}`, (c: Cfg) => { c.objective = 'proxy'; c.evaluation = { backend: b, data: { name: 'synthetic' }, architectures: [{ arch: 'resnet' }] }; }] as [string, (c: Cfg) => void]),
  fc.integer({ min: 1, max: 79 }).map((limit) => [`mnist trainLimit ${limit}`, (c: Cfg) => { c.objective = 'proxy'; c.evaluation = { data: { name: 'mnist', trainLimit: limit }, architectures: [{ arch: 'resnet' }] }; }] as [string, (c: Cfg) => void]),
  fc.integer({ min: 59_921, max: 10_000_000 }).map((size) => [`mnist validationSize ${size}`, (c: Cfg) => { c.objective = 'proxy'; c.evaluation = { data: { name: 'mnist', validationSize: size }, architectures: [{ arch: 'resnet' }] }; }] as [string, (c: Cfg) => void]),
  fc.integer({ min: MAX_IMAGE_SIZE + 1, max: 2 ** 31 }).map((size) => [`imageSize ${size}`, (c: Cfg) => { c.objective = 'proxy'; c.evaluation = { data: { name: 'fashion-mnist', imageSize: size }, architectures: [{ arch: 'resnet' }] }; }] as [string, (c: Cfg) => void]),
  fc.constantFrom('proxyy', 'Fast', 1, null).map((o) => [`objective ${String(o)}`, (c: Cfg) => { c.objective = o; }] as [string, (c: Cfg) => void]),
  // Spliced into the text after JSON.stringify (which itself recurses): see NESTED.
  fc.integer({ min: 65, max: 20_000 }).map((depth) => [`nested ${depth} deep`, (c: Cfg) => { c.search.seedLayers = `${NESTED}${depth}`; }] as [string, (c: Cfg) => void]),
);

test('when 250 broken configs are given to search, then the rule-breaking ones exit 3 and none gives a stack trace', async () => {
  const runsDir = join(dir, 'runs');
  await fc.assert(
    fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: badConfig.map((b) => ({ bad: b })) }, { weight: 1, arbitrary: damage.map((d) => ({ damage: d })) }), async (input) => {
      counts.configs++;
      const path = join(dir, `c${counter++}.jsonc`);
      let label: string;
      if ('bad' in input) {
        const config = okConfig();
        input.bad[1](config);
        label = input.bad[0];
        writeFileSync(path, spliceNesting(JSON.stringify(config, null, 1)));
      } else {
        const text = `// a config\n${JSON.stringify(okConfig(), null, 1)}`;
        const at = input.damage.at % (text.length + 1);
        label = `damaged at ${at}`;
        writeFileSync(path, `${text.slice(0, at)}${input.damage.junk}${input.damage.cut ? '' : text.slice(at)}`);
      }
      const result = await cli(['search', '--config', path, '--runs-dir', runsDir, '--name', `r${counter}`]);
      assertClean(result, label);
      if ('bad' in input) assert.equal(result.code, EXIT.badInput, `${label} was accepted: ${result.err.slice(0, 200)}`);
    }),
    { seed: SEED, numRuns: 250 },
  );
});

// ---- run folders ----

test('when 100 run folders with damaged files are given to status, then each exits 0 or 3 with a message and no stack trace', async () => {
  const config = join(dir, 'run-config.json');
  writeFileSync(config, JSON.stringify({ ...okConfig(), search: { maxCandidates: 6, batchSize: 2, populationSize: 4, tournamentSize: 2 } }));
  const made = await cli(['search', '--config', config, '--runs-dir', dir, '--name', 'pristine']);
  assert.equal(made.code, EXIT.ok, made.err);
  const pristine = join(dir, 'pristine');
  const files = ['journal.jsonl', 'checkpoint.json', 'config.json', 'manifest.json'];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...files), damage, fc.boolean(), async (file, d, dropLine) => {
      counts.runs++;
      const run = join(dir, `run${counter++}`);
      cpSync(pristine, run, { recursive: true });
      const text = readFileSync(join(run, file), 'utf8');
      const lines = text.split('\n');
      const damaged = dropLine && lines.length > 2
        ? lines.filter((_, i) => i !== d.at % (lines.length - 1)).join('\n')
        : `${text.slice(0, d.at % (text.length + 1))}${d.junk}${d.cut ? '' : text.slice(d.at % (text.length + 1))}`;
      writeFileSync(join(run, file), damaged);
      const result = await cli(['status', run]);
      assertClean(result, `${file} ${dropLine ? 'line dropped' : 'damaged'}`);
      rmSync(run, { recursive: true });
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test('when the fuzz tests ran, then together they fed at least 1,000 inputs', () => {
  const total = counts.expressions + counts.graphs + counts.configs + counts.runs;
  assert.ok(total >= 1000, JSON.stringify(counts));
});
