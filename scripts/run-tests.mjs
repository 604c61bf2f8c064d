// Runs every test/**/*.test.ts with node:test, TypeScript loaded through tsx, several files at once.
// Usage: node scripts/run-tests.mjs [filter]  (filter: substring of the test file path)
// EVONORM_TEST_CONCURRENCY=n sets how many files run at once (default: cores + 1, at most 4: the
// slowest files mostly wait on child processes, Redis or Python). Each file runs in its own node
// process and writes its own temp dirs and ports (Redis on a free port), so files
// share no state. The slowest files go first (times of the last run, else scripts/test-times.json);
// the 10 slowest are printed at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv[2] ?? '';
const files = collect('test').filter((f) => f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`no test files match "${filter}"`);
  process.exit(1);
}
const concurrency = Number(process.env.EVONORM_TEST_CONCURRENCY) || Math.min(4, availableParallelism() + 1);

// Times of the last run here (seconds by file), else those recorded in scripts/test-times.json (a
// fresh clone, CI), to start the slowest files first: a long file started last would run alone at
// the end while the other cores idle. The recorded figures are CPU-seconds per file (user + sys,
// its children included, `/usr/bin/time`), measured on a busy 2-core machine where wall times
// meant little; most files are CPU-bound, so they order the files as a quiet machine's wall would.
const timesFile = join('node_modules', '.cache', 'evonorm-test-times.json');
const previous = existsSync(timesFile) ? safeJson(readFileSync(timesFile, 'utf8')) ?? {} : {};
const recordedFile = join('scripts', 'test-times.json');
const recorded = existsSync(recordedFile) ? safeJson(readFileSync(recordedFile, 'utf8')) ?? {} : {};
const timeOf = (file) => previous[file] ?? recorded[file] ?? Infinity;
// Unknown files first (they may be slow), then slowest first.
const queue = [...files].sort((a, b) => timeOf(b) - timeOf(a) || a.localeCompare(b));

// The compiled twin dist/test/**/*.test.js runs instead of the TypeScript under tsx when dist/ is
// fresh (`npm test` builds first): tsx costs every file about 0.4 CPU-s to start, and more to load
// src/ through its hooks (1.6 CPU-s for a test that loads the report), some 100 CPU-s over the
// suite. Fresh: every .ts under src/, test/ and scripts/ has its .js in dist/ at least as new. A
// file that finds its neighbours through import.meta (fixtures, .ts evaluator modules, Python
// drivers next to it), itself or through a test/ or scripts/ module it imports, runs under tsx, where those
// are. EVONORM_TEST_RUNNER=tsx forces tsx for every file.
const compiledOk = process.env.EVONORM_TEST_RUNNER !== 'tsx' && distIsFresh();
const ownPathTests = new Map();
/** Whether a test/ module (or one it imports from test/ or scripts/) uses import.meta or __dirname to find files. */
function usesOwnPath(file) {
  if (ownPathTests.has(file)) return ownPathTests.get(file);
  ownPathTests.set(file, false); // an import cycle ends here
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  // cli-command.ts finds the repository from either place.
  const own = !file.endsWith(join('cli', 'cli-command.ts')) && /import\.meta|__dirname/.test(text);
  const local = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)]
    .map((m) => join(dirname(file), m[1]).replace(/\.js$/, '.ts'))
    .filter((dep) => dep.startsWith(`test${sep}`) || dep.startsWith(`scripts${sep}`));
  const result = own || local.some(usesOwnPath);
  ownPathTests.set(file, result);
  return result;
}
/** The node arguments that run one test file: its compiled twin when allowed, else the .ts under tsx. */
function fileArgs(file) {
  const twin = join('dist', file.replace(/\.ts$/, '.js'));
  return compiledOk && existsSync(twin) && !usesOwnPath(file) ? [twin] : ['--import', 'tsx', file];
}
function distIsFresh() {
  const walk = (dir) => !existsSync(dir) || readdirSync(dir, { withFileTypes: true }).every((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return true;
    const out = join('dist', path.replace(/\.ts$/, '.js'));
    return existsSync(out) && statSync(out).mtimeMs >= statSync(path).mtimeMs;
  });
  return existsSync(join('dist', 'test')) && ['src', 'test', 'scripts'].every(walk);
}

// Dots on the terminal; a TAP copy per file on disk, from which the closing count line is read.
const fileTimeoutMs = 1000 * Number(process.env.EVONORM_TEST_FILE_TIMEOUT_S ?? 900);
const tapDir = mkdtempSync(join(tmpdir(), 'evonorm-tests-'));
const results = [];
// The files run in their own process groups, out of reach of the terminal's Ctrl-C: pass it on.
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
    process.exit(130);
  });
}
const started = Date.now();

/** Runs one test file in its own `node --test`; resolves with its time, exit code and TAP counts. */
function runFile(file, index) {
  const tapFile = join(tapDir, `${index}.tap`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      // The file itself, not `node --test <file>`: that would start a second node (with tsx) per file
      // only to run this one; node:test runs a file's tests and takes the reporters all the same.
      [
        '--test-reporter=dot', '--test-reporter-destination=stdout',
        '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
        ...fileArgs(file),
      ],
      // Its own process group, so the watchdog below can end the file with everything it started.
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EVONORM_QUIET: '1' }, detached: true },
    );
    // A file whose test timed out can leave a handle open (a child, a socket) and never exit; the
    // suite must still end (CI has a time limit): past the limit the file's group is killed and the
    // file counts as failed.
    running.add(child.pid);
    let timedOut = false;
    const watchdog = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, fileTimeoutMs);
    // Dots as they come; anything longer (a failure's details, a test's own stderr) once the file ends, in one piece.
    let out = '';
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      if (/^[.X\n]*$/.test(text)) process.stdout.write(text.replace(/\n/g, ''));
      else out += text;
    });
    let err = '';
    child.stderr.on('data', (chunk) => { err += chunk.toString(); });
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      running.delete(child.pid);
      if (timedOut) err += `\nrun-tests: ${file} did not end within ${fileTimeoutMs / 1000} s (EVONORM_TEST_FILE_TIMEOUT_S) and was killed\n`;
      const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
      const count = (key) => Number((tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
      const result = { file, seconds: (Date.now() - t0) / 1000, code, signal, passed: count('pass'), failed: count('fail'), skipped: count('skipped') };
      if (code !== 0 || result.failed > 0) process.stdout.write(`\n--- ${file} (exit ${code ?? signal})\n${out.replace(/^[.X\n]+/, '')}${err}\n`);
      else if (err.trim()) process.stderr.write(err.endsWith('\n') ? err : `${err}\n`);
      resolve(result);
    });
  });
}

let nextIndex = 0;
async function worker() {
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    results.push(await runFile(next, nextIndex++));
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));

const passed = results.reduce((n, r) => n + r.passed, 0);
// A file that exited non-zero without a failing test in its TAP (a crash at import) counts as one failure.
const failed = results.reduce((n, r) => n + (r.failed > 0 ? r.failed : r.code === 0 ? 0 : 1), 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 10);
const underTsx = files.filter((f) => fileArgs(f)[0] === '--import').length;
console.log(`\n\nslowest files (${files.length} files, ${files.length - underTsx} compiled and ${underTsx} under tsx, ${concurrency} at a time, ${((Date.now() - started) / 1000).toFixed(0)} s in all):`);
for (const r of slowest) console.log(`  ${r.seconds.toFixed(1).padStart(6)} s  ${r.file}`);
try {
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  writeFileSync(timesFile, `${JSON.stringify({ ...previous, ...Object.fromEntries(results.map((r) => [r.file, r.seconds])) }, null, 2)}\n`);
} catch {
  // no cache: the next run orders files by name
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
