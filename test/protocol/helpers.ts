/** Fixtures for the protocol tests: a tiny synthetic protocol config and child-process runs. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { cliCommand } from '../cli/cli-command.js';

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-protocol-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A tiny synthetic protocol: one small resnet, a few steps, inline; with a held-out split.
 * Backend: EVONORM_TEST_BACKEND (wasm by default: the same accuracies as cpu here, about 3× less
 * CPU per training).
 */
export function tinyConfig(dir: string, steps = 6): string {
  const path = join(dir, 'tiny.json');
  writeFileSync(path, JSON.stringify({
    evaluation: {
      backend: process.env.EVONORM_TEST_BACKEND ?? 'wasm',
      data: { name: 'synthetic', count: 120, size: 8, testFraction: 0.25 },
      architectures: [{ arch: 'resnet', baseChannels: 4, stageBlocks: [1] }],
      training: { steps, batchSize: 16, lr: 0.05, warmupSteps: 0, evalBatchSize: 64 },
      rejection: { stability: { enabled: false }, quality: { enabled: false } },
    },
    search: { populationSize: 4, tournamentSize: 2, batchSize: 2, maxCandidates: 4, seedLayers: ['bn-relu', 'gn-relu', 'evonorm-s0', 'evonorm-b0'] },
    dispatch: { mode: 'inline' },
  }));
  return path;
}

/** Lines of a results file (0 when absent). */
export function resultLines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0) : [];
}

/** Runs `evonorm <args>` in a child process and SIGKILLs it once `file` has `lines` result lines. */
export async function runThenKill(args: readonly string[], file: string, lines: number): Promise<number> {
  const child = spawn(process.execPath, cliCommand(args), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (resultLines(file).length >= lines || child.exitCode !== null) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 5);
  });
  await exited;
  return resultLines(file).length;
}
