/**
 * The CLI as a function: main(argv, io) → exit code (STYLE.md 5). One file per subcommand;
 * commander with exitOverride so nothing calls process.exit behind our back.
 */
import { Command, CommanderError } from 'commander';
import { EvonormError, EXIT, isEvonormError, type ExitCode } from '../util/errors.js';
import { fromOsError } from '../util/os-error.js';
import type { CliIo } from './io.js';
import type { CommandContext } from './context.js';
import { version } from './version.js';
import { registerShow } from './show.js';
import { registerValidate } from './validate.js';
import { registerEvaluate } from './evaluate.js';
import { registerSearch } from './search.js';
import { registerStatus } from './status.js';
import { registerRuns } from './runs.js';
import { registerExport } from './export.js';
import { registerWorker } from './worker.js';
import { registerCompare } from './compare.js';
import { registerRerank } from './rerank.js';
import { registerFidelity } from './fidelity.js';
import { registerDoctor } from './doctor.js';
import { registerReport } from './report.js';

/** Every subcommand's register function, in help order. */
const COMMANDS: ReadonlyArray<(program: Command, ctx: CommandContext) => void> = [
  registerSearch,
  registerStatus,
  registerRuns,
  registerExport,
  registerReport,
  registerWorker,
  registerEvaluate,
  registerCompare,
  registerRerank,
  registerFidelity,
  registerShow,
  registerValidate,
  registerDoctor,
];

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  let exitCode: ExitCode = EXIT.ok;
  const ctx: CommandContext = { io, signal, exit: (code) => { exitCode = code; } };
  const program = new Command('evonorm')
    .description('Evolve normalization-activation layers (Liu et al., NeurIPS 2020): search, evaluate and export layer graphs.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const register of COMMANDS) register(program, ctx);
  program.commands.forEach((c) => c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (argv.length === 0) program.outputHelp();
    return exitCode;
  } catch (err) {
    return handleError(err, io);
  }
}

/** Maps a thrown error to an exit code, with a message for people (never a stack for bad input). */
function handleError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed the message
  }
  const known = isEvonormError(err) ? err : fromOsError(err) ?? stackOverflow(err);
  if (known) {
    io.stderr(`evonorm: ${known.message}\n`);
    return known.exitCode;
  }
  const e = err as Error;
  io.stderr(`evonorm: internal error: ${e?.message ?? String(err)}\n${process.env.EVONORM_DEBUG ? `${e?.stack}\n` : '(set EVONORM_DEBUG=1 for the stack trace)\n'}`);
  return EXIT.failure;
}

/** A stack overflow is too-deep input that a check missed: bad input (exit 3), not a crash. */
function stackOverflow(err: unknown): EvonormError | undefined {
  if (err instanceof RangeError && /Maximum call stack size exceeded/.test(err.message)) {
    return new EvonormError('BAD_INPUT', 'the input is nested too deeply to process (maximum call stack size exceeded)');
  }
  return undefined;
}
