/**
 * The node arguments that run `evonorm <args>` in a child process: the compiled CLI
 * (bin/evonorm.js on dist/, built by `npm test`, `npm run build` and npm's `prepare`) when dist/
 * is at least as new as every source it is built from, else the TypeScript sources under tsx
 * (scripts/evonorm-dev.ts). The compiled CLI starts on about 2 CPU-s less than tsx, which
 * tests that spawn the CLI several times feel; a stale dist/ would test old code, so any source
 * newer than its output (or missing from dist/) means tsx.
 * EVONORM_TEST_CLI=tsx or =dist forces one. A child that loads a TypeScript module of its own
 * (a test fixture evaluator) needs tsx: pass { tsx: true }.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = ['--import', 'tsx', join(ROOT, 'scripts', 'evonorm-dev.ts')];
const COMPILED = [join(ROOT, 'bin', 'evonorm.js')];

let fresh: boolean | undefined;

/** Whether dist/src has a .js at least as new as each .ts under src/ (checked once per process). */
export function compiledCliIsFresh(): boolean {
  fresh ??= isFresh();
  return fresh;
}

function isFresh(): boolean {
  const src = join(ROOT, 'src');
  const dist = join(ROOT, 'dist', 'src');
  if (!existsSync(join(dist, 'cli', 'bin.js'))) return false;
  const walk = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).every((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return true;
    const out = join(dist, relative(src, path)).replace(/\.ts$/, '.js');
    return existsSync(out) && statSync(out).mtimeMs >= statSync(path).mtimeMs;
  });
  return walk(src);
}

/** Whether a child should run the compiled code: dist/ is fresh, or EVONORM_TEST_CLI says so. */
export function useCompiled(options: { tsx?: boolean } = {}): boolean {
  const forced = process.env.EVONORM_TEST_CLI;
  return !options.tsx && (forced === 'dist' || (forced !== 'tsx' && compiledCliIsFresh()));
}

/** Arguments for `spawn(process.execPath, cliCommand(args))`: `evonorm <args>`, compiled when fresh. */
export function cliCommand(args: readonly string[], options: { tsx?: boolean } = {}): string[] {
  return [...(useCompiled(options) ? COMPILED : TSX), ...args];
}
