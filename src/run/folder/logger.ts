/**
 * The run's pino logger: JSON lines into `<run>/log.jsonl`, written synchronously (each line is in
 * the file when the log call returns, so a crash or kill -9 keeps everything logged before it,
 * and an exit at any moment cannot meet a half-opened stream), and optionally readable lines on
 * stderr through pino-pretty (STYLE.md 6: one root logger passed down,
 * `log.child({ run, candidate })`, the object first and a constant message, `{ err }` for errors).
 */
import { join } from 'node:path';
import pino, { type Level, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { RUN_FILES } from './files.js';

export interface RunLoggerOptions {
  /** Lowest level written (default 'info'). */
  readonly level?: Level;
  /** Also write readable lines to stderr (default false). */
  readonly toStderr?: boolean;
  /** Lowest level on stderr (default: `level`). */
  readonly stderrLevel?: Level;
  /** Where the stderr lines go (default process.stderr; the CLI passes its io.stderr). */
  readonly stderr?: (text: string) => void;
}

export interface RunLogger {
  /** The run's logger, already bound to `{ run: <run name> }`. */
  readonly log: Logger;
  /** The same, writing to log.jsonl only (for what the CLI already tells people, e.g. the error that ends a run). */
  readonly fileLog: Logger;
  /** Flushes log.jsonl and closes it; later log calls are dropped. */
  close(): Promise<void>;
}

/**
 * One pino JSON line for people: `[12:34:56] WARN: message {"key":"value"}`; an error shows its
 * message, not its stack (errors for people never carry a stack trace).
 */
export const readableLine: (jsonLine: string) => string = prettyFactory({
  colorize: false,
  singleLine: true,
  translateTime: 'SYS:HH:MM:ss',
  ignore: 'pid,hostname,run,err.stack,err.type',
});

/** Creates the logger of the run folder at `runPath` (log.jsonl is created or appended to). */
export function createRunLogger(runPath: string, options: RunLoggerOptions = {}): RunLogger {
  const level = options.level ?? 'info';
  const file = pino.destination({ dest: join(runPath, RUN_FILES.log), sync: true, mkdir: true, append: true });
  const streams: pino.StreamEntry[] = [{ level, stream: file }];
  if (options.toStderr) {
    const sink = options.stderr ?? ((text: string) => void process.stderr.write(text));
    streams.push({ level: options.stderrLevel ?? level, stream: { write: (line: string) => sink(readableLine(line)) } });
  }
  const lowest = streams.map((s) => pino.levels.values[s.level as Level]).reduce((a, b) => Math.min(a, b));
  const root = pino(
    { level: pino.levels.labels[lowest], timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
  const runName = runPath.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? runPath;
  let closed: Promise<void> | null = null;
  const fileRoot = pino({ level, timestamp: pino.stdTimeFunctions.isoTime }, file);
  return {
    log: root.child({ run: runName }),
    fileLog: fileRoot.child({ run: runName }),
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        file.once('close', () => resolve());
        file.once('error', reject);
        file.end();
      });
      return closed;
    },
  };
}
