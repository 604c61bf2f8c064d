// Compiles AssemblyScript with the pinned compiler (assemblyscript/asc) and writes the module's
// bytes to stdout; errors go to stderr and exit 1. Plain JavaScript on purpose: scripts/build-simd.ts
// runs it with plain `node`, outside tsx, because under tsx's loader importing binaryen's 13 MB
// index.js costs about 20 CPU-s instead of about 1.5 (measured on node 20, tsx 4.23).
// Usage: node scripts/asc-compile.mjs <source.ts> [asc flags...]   (paths relative to the repository)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
let wasm;
const errors = [];
const { error } = await asc.main([...process.argv.slice(2), '--outFile', 'module.wasm'], {
  readFile: (name, baseDir) => {
    try {
      return readFileSync(join(ROOT, baseDir, name), 'utf8');
    } catch {
      return null;
    }
  },
  writeFile: (name, contents) => {
    if (name.endsWith('.wasm')) wasm = contents;
  },
  listFiles: () => [],
  stdout: { write: () => true },
  stderr: { write: (s) => (errors.push(String(s)), true) },
});
if (error || wasm === undefined) {
  process.stderr.write(`asc failed: ${error?.message ?? 'no .wasm output'}\n${errors.join('')}`);
  process.exitCode = 1;
} else {
  process.stdout.write(Buffer.from(wasm));
}
