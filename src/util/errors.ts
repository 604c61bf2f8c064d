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

/** Stable error codes, grouped by the exit code they produce. */
export const ERROR_EXIT: Readonly<Record<string, ExitCode>> = {
  USAGE: EXIT.usage,
  BAD_CONFIG: EXIT.badInput,
  BAD_GRAPH: EXIT.badInput,
  BAD_EXPRESSION: EXIT.badInput,
  BAD_INPUT: EXIT.badInput,
  MISSING_FILE: EXIT.badInput,
  BAD_DATA: EXIT.badInput,
  BAD_RUN: EXIT.badInput,
  BACKEND_UNAVAILABLE: EXIT.failure,
  INTERRUPTED: EXIT.interrupted,
  INTERNAL: EXIT.failure,
};
export type ErrorCode = keyof typeof ERROR_EXIT;

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
    return ERROR_EXIT[this.code] ?? EXIT.failure;
  }
}

/** True for an EvonormError (also across module copies). */
export function isEvonormError(err: unknown): err is EvonormError {
  return err instanceof Error && (err as { name?: string }).name === 'EvonormError' && 'code' in err;
}
