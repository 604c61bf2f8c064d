/**
 * The module map holds (ARCHITECTURE.md, the README's layers line): imports run down the folder
 * layers, with no cycle between folders and none between the files of a folder.
 */
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

/** A layers line of the README ("layers:" for src/, "run/ layers:" for run/'s subfolders): each folder's layer index, 0 at the top. */
function documentedLayers(label = 'layers:'): Map<string, number> {
  const line = readFileSync('README.md', 'utf8').split('\n').find((l) => l.trim().startsWith(label));
  assert.ok(line, `the README has a "${label}" line`);
  const layers = new Map<string, number>();
  line.trim().slice(label.length).split('>').forEach((layer, i) => {
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

/**
 * The files a file's text imports at run time (relative paths, resolved to .ts): as importedFolders,
 * but without type-only imports and re-exports (`import type`, `export type`), which TypeScript
 * erases, so a cycle through them cannot load a half-initialised module.
 */
export function importedFiles(file: string, text: string): string[] {
  const runtime = text.replace(/^\s*(?:import|export)\s+type\b[^;]*;/gms, '');
  return [...runtime.matchAll(/['"`](\.\.?\/[^'"`\s]+)\.js['"`]/g)].map((m) => normalize(join(dirname(file), `${m[1]!}.ts`)));
}

/** Cycles in a graph of files, each written "a → b → a". */
export function fileCycles(edges: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles = new Set<string>();
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const at = stack.indexOf(next);
      if (at >= 0) cycles.add([...stack.slice(at), next].join(' → '));
      else if (!done.has(next)) visit(next);
    }
    stack.pop();
    done.add(node);
  };
  for (const node of edges.keys()) if (!done.has(node)) visit(node);
  return [...cycles];
}

test('when two files of a folder import each other (even through a dynamic import), then the file-cycle check finds it; a type-only import does not count', () => {
  const a = join(SRC, 'evaluate', 'proxy.ts');
  const b = join(SRC, 'evaluate', 'arch-training.ts');
  const edges = new Map([
    [a, importedFiles(a, "import { trainArch } from './arch-training.js';")],
    [b, importedFiles(b, "const { probe } = await import('./proxy.js');")],
  ]);
  assert.deepEqual(fileCycles(edges), [`${a} → ${b} → ${a}`]);
  const typeOnly = new Map([[a, importedFiles(a, "import { trainArch } from './arch-training.js';")], [b, importedFiles(b, "import type {\n  Probe,\n} from './proxy.js';")]]);
  assert.deepEqual(fileCycles(typeOnly), []);
});

test('when the files of src/ are read, then their run-time imports form no cycle', () => {
  const edges = new Map(files(SRC).map((file) => [file, importedFiles(file, readFileSync(file, 'utf8'))]));
  assert.deepEqual(fileCycles(edges), []);
});

test('when the subfolders of src/run/ are read, then every import between them goes down the README\'s "run/ layers:" line, and every subfolder is on it', () => {
  const layers = documentedLayers('run/ layers:');
  const RUN = join(SRC, 'run');
  const subfolderOf = (path: string): string => {
    const parts = relative(RUN, path).split(sep);
    return parts.length > 1 && !parts[0]!.startsWith('..') ? parts[0]! : '.';
  };
  const runFiles = files(RUN).filter((f) => subfolderOf(f) !== '.');
  assert.deepEqual([...new Set(runFiles.map(subfolderOf))].filter((f) => !layers.has(f)).sort(), [], 'run/ subfolders missing from the line');
  const upward = new Set<string>();
  for (const file of runFiles) {
    const from = subfolderOf(file);
    for (const target of importedFiles(file, readFileSync(file, 'utf8'))) {
      const to = subfolderOf(target);
      if (to !== '.' && to !== from && !target.startsWith('..') && relative(RUN, target).split(sep).length > 1 && !(layers.get(from)! < layers.get(to)!)) upward.add(`${from} → ${to}`);
    }
  }
  assert.deepEqual([...upward].sort(), [], 'imports that do not go down run/\'s layers');
});

test('when the README\'s module table is read, then it has a row for every folder of src/ and names every file it points at in src/', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Architecture'));
  const rows = section.split('\n').filter((l) => l.startsWith('| `src/') || l.startsWith('| `wasm/'));
  const named = new Set(rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`src\/([^/`]+)\/`/g)].map((m) => m[1]!)));
  const folders = [...new Set(files(SRC).map(folderOf))].filter((f) => f !== '.').sort();
  assert.deepEqual(folders.filter((f) => !named.has(f)), [], 'folders without a row in the README\'s module table');
  const runRow = rows.find((r) => r.startsWith('| `src/run/`'))!;
  const runSubfolders = readdirSync(join(SRC, 'run')).filter((n) => statSync(join(SRC, 'run', n)).isDirectory());
  assert.deepEqual(runSubfolders.filter((d) => !runRow.includes(`\`${d}/\``)), [], 'run/ subfolders the run row does not name');
  // Every `name.ts` a row names exists in that row's folders.
  for (const row of rows.filter((r) => r.startsWith('| `src/'))) {
    const dirs = [...row.split('|')[1]!.matchAll(/`(src\/[^`]+\/)`/g)].map((m) => m[1]!);
    const all = dirs.flatMap((d) => files(d).map((f) => f.split(sep).pop()!));
    const missing = [...row.matchAll(/`([a-z0-9-]+\.ts)`/g)].map((m) => m[1]!).filter((f) => !all.includes(f));
    assert.deepEqual(missing, [], `files the row of ${dirs.join(', ')} names that do not exist`);
  }
});
