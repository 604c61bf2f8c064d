import type { CliIo } from './io.js';
import type { ExitCode } from '../util/errors.js';

/** What every subcommand receives: the io, and a way to set the process's exit code. */
export interface CommandContext {
  readonly io: CliIo;
  /** Sets the exit code main() returns (the last call wins; default 0). */
  exit(code: ExitCode): void;
  /** An AbortSignal that fires on Ctrl-C (SIGINT/SIGTERM) in the real process. */
  readonly signal: AbortSignal;
}
