import type { CliIo } from './io.js';

/**
 * A progress line on stderr: rewritten in place on a terminal, throttled lines otherwise.
 * `urgent` passes the throttle (a log then shows the first training step as it happens, not
 * `minIntervalMs` after the start line).
 */
export function progressPrinter(io: CliIo, minIntervalMs = 2000, now: () => number = () => Date.now()): { update(text: string, urgent?: boolean): void; done(): void } {
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(text: string, urgent = false): void {
      const t = now();
      if (io.stderrIsTTY) {
        io.stderr(`\r\x1b[2K${text}`);
        shown = true;
      } else if (urgent || t - last >= minIntervalMs) {
        io.stderr(`${text}\n`);
        last = t;
      }
    },
    done(): void {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}
