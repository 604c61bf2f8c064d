/** The module map holds (ARCHITECTURE.md, the README's layers line): imports run down the folder layers, with no cycle. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const SRC = 'src';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The top folder of src/ a path is in ('.' for src/index.ts). */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : '.';
}

/**
 * The folders a file's text reaches: its static imports, re-exports and dynamic imports of
 * relative paths, and any other string that is a relative module path ('../x/y.js'), so an
 * import hidden behind a variable (`const m = '../protocol/x.js'; await import(m)`) counts too.
 */
export function importedFolders(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/['"`](\.\.?\/[^'"`\s]+\.js)['"`]/g)].map((m) => m[1]!);
  return specifiers.map((s) => folderOf(normalize(join(dirname(file), s))));
}

/** Folder → folders it imports (see importedFolders). */
function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of files(SRC)) {
    const from = folderOf(file);
    for (const to of importedFolders(file, readFileSync(file, 'utf8'))) {
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  return edges;
}

test('when a file hides an import behind a variable, then the check still sees the folder it reaches', () => {
  const hidden = "const specifier: string = '../protocol/training-evaluator.js';\nconst mod = await import(specifier);";
  assert.deepEqual(importedFolders(join(SRC, 'evaluate', 'registry.ts'), hidden), ['protocol']);
  const plain = "import { x } from './same.js';\nexport * from '../util/rng.js';\nconst y = await import('../tensor/backend.js');";
  assert.deepEqual(importedFolders(join(SRC, 'evaluate', 'a.ts'), plain), ['evaluate', 'util', 'tensor']);
});

test('when the folders of src/ are read, then their imports form no cycle', () => {
  const edges = folderEdges();
  const cycles: string[] = [];
  const visit = (node: string, path: string[]): void => {
    for (const next of edges.get(node) ?? []) {
      if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else visit(next, [...path, next]);
    }
  };
  for (const node of edges.keys()) visit(node, [node]);
  assert.deepEqual([...new Set(cycles)], []);
  assert.ok(edges.get('config')?.has('evaluate'), 'config composes the evaluation schema (the one direction)');
});

/** The README's layers line: each folder's layer index, 0 at the top. */
function documentedLayers(): Map<string, number> {
  const line = readFileSync('README.md', 'utf8').split('\n').find((l) => l.trim().startsWith('layers:'));
  assert.ok(line, 'the README has a "layers:" line');
  const layers = new Map<string, number>();
  line.trim().slice('layers:'.length).split('>').forEach((layer, i) => {
    for (const folder of layer.split(',').map((f) => f.trim())) layers.set(folder, i);
  });
  return layers;
}

test('when the folders of src/ are read, then every import goes to a lower layer of the README\'s layers line, and every folder is on it', () => {
  const layers = documentedLayers();
  const folders = new Set(files(SRC).map(folderOf));
  assert.deepEqual([...folders].filter((f) => !layers.has(f)).sort(), [], 'folders missing from the README\'s layers line');
  const upward: string[] = [];
  for (const [from, tos] of folderEdges()) {
    for (const to of tos) if (!(layers.get(from)! < layers.get(to)!)) upward.push(`${from} → ${to}`);
  }
  assert.deepEqual(upward.sort(), [], 'imports that do not go down the layers');
});
