/** Runs the CLI in a child process (compiled when dist/ is fresh, see cli-command.ts), for tests that send it signals. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cliCommand } from './cli-command.js';

export interface CliChild {
  readonly child: ChildProcess;
  /** Resolves when the process exits: its code (null when killed by a signal) and its stderr. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `evonorm <args>` (see cliCommand); the child is SIGKILLed after `limitMs` (a safety net, not an assertion). */
export function spawnCli(args: readonly string[], limitMs = 120_000): CliChild {
  const child = spawn(process.execPath, cliCommand(args), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const guard = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
  return { child, exited };
}

/** Resolves once the file at `path` has at least `lines` lines (or the child has exited). */
export function untilLines(path: string, lines: number, child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const n = existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
      if (n >= lines || child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
}
