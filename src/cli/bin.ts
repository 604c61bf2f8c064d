/** The process entry: wires real streams and Ctrl-C into main(). Import-time side effects live here only. */
import { main } from './main.js';
import { processIo } from './io.js';

/** Runs the CLI with process.argv and sets process.exitCode. */
export function run(): void {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: stop now
    process.stderr.write('\nevonorm: interrupted; finishing cleanly (Ctrl-C again to stop at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main(process.argv.slice(2), processIo(), controller.signal).then(
    (code) => { process.exitCode = code; process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); },
    (err) => { process.stderr.write(`evonorm: ${String(err)}\n`); process.exitCode = 1; },
  );
}
