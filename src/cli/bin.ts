/** The process entry: wires real streams and Ctrl-C into main(). Import-time side effects live here only. */
import { writeSync } from 'node:fs';
import { main } from './main.js';
import { processIo } from './io.js';

/**
 * The Ctrl-C handler: the first signal aborts (the command finishes cleanly), a second one stops
 * at once. The journal then has no clean finish, so status says "crashed"; the run resumes like
 * after any crash (the run lock is released on exit). `say` must write synchronously: exit does
 * not wait for a write to a pipe.
 */
export function interruptHandler(controller: AbortController, say: (text: string) => void, exit: (code: number) => void): () => void {
  let interrupts = 0;
  return () => {
    interrupts++;
    if (interrupts > 1) {
      say('evonorm: stopped at once; status will show the run as crashed; evonorm search --resume continues it\n');
      exit(130);
      return;
    }
    say('\nevonorm: interrupted; finishing cleanly (Ctrl-C again to stop at once)\n');
    controller.abort();
  };
}

/** Runs the CLI with process.argv and sets process.exitCode. */
export function run(): void {
  const controller = new AbortController();
  const onSignal = interruptHandler(controller, (text) => writeSync(2, text), (code) => process.exit(code));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main(process.argv.slice(2), processIo(), controller.signal).then(
    (code) => { process.exitCode = code; process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); },
    (err) => { process.stderr.write(`evonorm: ${String(err)}\n`); process.exitCode = 1; },
  );
}
