/**
 * The run's pino logger: JSON lines into `<run>/log.jsonl`, and optionally short readable lines
 * on stderr (STYLE.md 6: one root logger passed down, `log.child({ run, candidate })`, the
 * object first and a constant message, `{ err }` for errors).
 */
import { join } from 'node:path';
import pino, { type Level, type Logger } from 'pino';
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
  /** Flushes log.jsonl and closes it; later log calls are dropped. */
  close(): Promise<void>;
}

/** Fields that the readable stderr line shows in its own way, or not at all. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'run']);

/** Creates the logger of the run folder at `runPath` (log.jsonl is created or appended to). */
export function createRunLogger(runPath: string, options: RunLoggerOptions = {}): RunLogger {
  const level = options.level ?? 'info';
  const file = pino.destination({ dest: join(runPath, RUN_FILES.log), sync: false, mkdir: true, append: true });
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
  return {
    log: root.child({ run: runName }),
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

/** One pino JSON line as `12:34:56 INFO  message key=value …`. */
export function readableLine(jsonLine: string): string {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : `${jsonLine}\n`;
  }
  const time = typeof obj.time === 'string' || typeof obj.time === 'number' ? new Date(obj.time).toTimeString().slice(0, 8) : '';
  const label = (pino.levels.labels[obj.level as number] ?? String(obj.level)).toUpperCase();
  const fields = Object.entries(obj)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return `${[time, label.padEnd(5), obj.msg ?? '', ...fields].filter((s) => s !== '').join(' ')}\n`;
}

function formatValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'message' in value && typeof value.message === 'string') return JSON.stringify(value.message);
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}
