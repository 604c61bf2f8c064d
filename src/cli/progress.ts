import type { CliIo } from './io.js';

/** A progress line on stderr: rewritten in place on a terminal, throttled lines otherwise. */
export function progressPrinter(io: CliIo, minIntervalMs = 2000): { update(text: string): void; done(): void } {
  let last = 0;
  let shown = false;
  return {
    update(text: string): void {
      const now = Date.now();
      if (io.stderrIsTTY) {
        io.stderr(`\r\x1b[2K${text}`);
        shown = true;
      } else if (now - last >= minIntervalMs) {
        io.stderr(`${text}\n`);
        last = now;
      }
    },
    done(): void {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}
