/**
 * Start-up stays light (issue 18, item 4): commands that do not train or draw do not load tfjs,
 * its backends, Vega, Graphviz, pino or BullMQ. Each subcommand imports what its action needs
 * inside the action (`await import(...)`), so `--version`, `--help` and `status` pay only for
 * commander and what they use. Checked by the modules loaded, never by timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliCommand } from './cli-command.js';

const RECORDER = fileURLToPath(new URL('./load-recorder.mjs', import.meta.url));
const HEAVY = ['@tensorflow/', 'vega', '@viz-js/', 'pino', 'bullmq', 'ioredis'];

/** The npm packages `evonorm <args>` loads, by name. */
function packagesLoaded(args: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-startup-'));
  try {
    const log = join(dir, 'loaded.txt');
    const r = spawnSync(process.execPath, ['--import', RECORDER, ...cliCommand(args)], { env: { ...process.env, EVONORM_LOAD_LOG: log }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const urls = readFileSync(log, 'utf8').split('\n');
    const names = urls.flatMap((u) => {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
      return m && !u.includes('node_modules/tsx/') && !u.includes('node_modules/esbuild') && !u.includes('node_modules/get-tsconfig') ? [m[1]!] : [];
    });
    return [...new Set(names)].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heavy = (names: readonly string[]): string[] => names.filter((n) => HEAVY.some((h) => n.startsWith(h)));

test('when --version or --help runs, then only commander is loaded', () => {
  assert.deepEqual(packagesLoaded(['--version']), ['commander']);
  assert.deepEqual(packagesLoaded(['--help']), ['commander']);
});

test('when show or validate runs, then no heavy package (tfjs, Vega, Graphviz, pino, BullMQ) is loaded', () => {
  assert.deepEqual(heavy(packagesLoaded(['show', 'bn-relu'])), []);
  assert.deepEqual(heavy(packagesLoaded(['validate', 'evonorm-s0'])), []);
});
