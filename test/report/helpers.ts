/** Fixtures for the report tests: a small finished fast search, made through the CLI, and CLI calls. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

// One root per test file, registered at import (file level), so folders made inside a test
// outlive it; removed when the file's tests end.
const root = mkdtempSync(join(tmpdir(), 'evonorm-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  return mkdtempSync(join(root, 'd-'));
}

/** Runs the CLI in memory. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

/** A tiny fast-objective search (seconds): 2 objectives, two zoo seed layers, inline. */
export const SMALL_CONFIG = {
  seed: 3,
  objective: 'fast',
  fast: { target: 'evonorm-s0', objectives: 2 },
  search: { populationSize: 20, tournamentSize: 5, batchSize: 5, maxCandidates: 200, seedLayers: ['bn-relu', 'evonorm-b0'], space: { maxNodes: 8 } },
  dispatch: { mode: 'inline' },
};

let cached: Promise<string> | undefined;

/** The folder of a small finished search (made once per test file; copy it before damaging it). */
export function smallRun(): Promise<string> {
  cached ??= (async () => {
    const dir = tempDir();
    const config = join(dir, 'small.json');
    writeFileSync(config, JSON.stringify(SMALL_CONFIG));
    const { code, err } = await cli('search', '--config', config, '--name', 'small', '--runs-dir', dir);
    if (code !== 0) throw new Error(`the fixture search failed (${code}): ${err}`);
    return join(dir, 'small');
  })();
  return cached;
}

/** A copy of the small run, to damage. */
export async function copyOfSmallRun(name: string): Promise<string> {
  const source = await smallRun();
  const copy = join(tempDir(), name);
  cpSync(source, copy, { recursive: true });
  return copy;
}
