/**
 * The node arguments that run `evonorm <args>` (or a script of the repository) in a child
 * process: the compiled code on dist/ (built by `npm test`, `npm run build` and npm's `prepare`)
 * when dist/ is at least as new as every source it is built from, else the TypeScript sources
 * under tsx. The compiled CLI starts on about 2 CPU-s less than tsx, which tests that spawn it
 * several times feel; a stale dist/ would test old code, so any source newer than its output (or
 * missing from dist/) means tsx. EVONORM_TEST_CLI=tsx or =dist forces one.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('../..', import.meta.url));
/** The repository: two folders up from test/cli, three from its compiled twin dist/test/cli (scripts/run-tests.mjs runs those). */
const ROOT = existsSync(join(HERE, 'package.json')) ? HERE : resolve(HERE, '..');

let srcFresh: boolean | undefined;

/** Whether the compiled file `out` exists and is at least as new as `source`. */
function newer(out: string, source: string): boolean {
  return existsSync(out) && statSync(out).mtimeMs >= statSync(source).mtimeMs;
}

/** Whether dist/src has a .js at least as new as each .ts under src/ (checked once per process). */
function compiledSrcIsFresh(): boolean {
  const src = join(ROOT, 'src');
  const walk = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).every((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return true;
    return newer(join(ROOT, 'dist', relative(ROOT, path)).replace(/\.ts$/, '.js'), path);
  });
  srcFresh ??= existsSync(join(ROOT, 'dist', 'src')) && walk(src);
  return srcFresh;
}

/**
 * The compiled twin of a .ts file of the repository (a path relative to it, or absolute):
 * dist/<path>.js, when it and all of dist/src are fresh (and EVONORM_TEST_CLI is not tsx), else
 * undefined. For a child that must load a test fixture evaluator without tsx.
 */
export function compiledTwin(tsPath: string): string | undefined {
  const source = resolve(ROOT, tsPath);
  const out = join(ROOT, 'dist', relative(ROOT, source)).replace(/\.ts$/, '.js');
  const forced = process.env.EVONORM_TEST_CLI;
  if (forced === 'tsx') return undefined;
  return forced === 'dist' || (compiledSrcIsFresh() && newer(out, source)) ? out : undefined;
}

/** Node arguments that run the repository script `tsPath` (e.g. scripts/x.ts) with `args`: its compiled twin when fresh, else under tsx. */
export function scriptCommand(tsPath: string, args: readonly string[]): string[] {
  const compiled = compiledTwin(tsPath);
  return compiled !== undefined ? [compiled, ...args] : ['--import', 'tsx', join(ROOT, tsPath), ...args];
}

/**
 * Arguments for `spawn(process.execPath, cliCommand(args))`: `evonorm <args>` through
 * bin/evonorm.js (the installed entry) when dist/ is fresh, else scripts/evonorm-dev.ts under
 * tsx. `tsx: true` for a child that loads a TypeScript module of its own (a fixture evaluator).
 */
export function cliCommand(args: readonly string[], options: { tsx?: boolean } = {}): string[] {
  if (!options.tsx && compiledTwin('src/cli/bin.ts') !== undefined) return [join(ROOT, 'bin', 'evonorm.js'), ...args];
  return ['--import', 'tsx', join(ROOT, 'scripts', 'evonorm-dev.ts'), ...args];
}
