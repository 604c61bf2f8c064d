/**
 * Errors that reach a person carry a stable code; the CLI maps codes to exit codes here and
 * nowhere else (STYLE.md 4). Tests assert codes, not prose.
 */

/** Process exit codes of the CLI. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Stable error codes and the exit code each produces. A code is a literal: a typo does not
 * compile. To add one, add a line here (nothing else: ErrorCode follows from this table).
 */
export const ERROR_EXIT = {
  USAGE: EXIT.usage,
  BAD_CONFIG: EXIT.badInput,
  BAD_GRAPH: EXIT.badInput,
  BAD_EXPRESSION: EXIT.badInput,
  BAD_INPUT: EXIT.badInput,
  MISSING_FILE: EXIT.badInput,
  /** A path that cannot serve: a directory where a file is needed, a file where a folder is, too long, not a regular file. */
  BAD_PATH: EXIT.badInput,
  BAD_DATA: EXIT.badInput,
  BAD_RUN: EXIT.badInput,
  BACKEND_UNAVAILABLE: EXIT.failure,
  /** The operating system refused (disk full, I/O error): not the user's input, not a bug. */
  OS_FAILURE: EXIT.failure,
  INTERRUPTED: EXIT.interrupted,
  INTERNAL: EXIT.failure,
} as const satisfies Record<string, ExitCode>;
export type ErrorCode = keyof typeof ERROR_EXIT;

/** True when `code` is one of the codes above (e.g. a code that crossed a thread boundary). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_EXIT, code);
}

/** An error meant for a person: a stable code, a message, optional structured details. */
export class EvonormError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'EvonormError';
  }

  get exitCode(): ExitCode {
    return ERROR_EXIT[this.code];
  }
}

/** True for an EvonormError (also across module copies). */
export function isEvonormError(err: unknown): err is EvonormError {
  return err instanceof Error && (err as { name?: string }).name === 'EvonormError' && 'code' in err;
}
