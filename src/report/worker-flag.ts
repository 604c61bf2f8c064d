/**
 * A finish flag shared between a report worker and the main thread: the worker stores when it
 * finished (ms since the epoch) and whether it succeeded; the main thread reads it synchronously.
 * Messages from a worker arrive as event-loop tasks, which a search loop that only ever awaits
 * resolved promises (the inline pool on the fast objective) does not run until it ends; the flag
 * needs no turn of the event loop.
 */

/** A new flag: not finished. */
export function createFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(16);
}

/** Records that the worker finished now (ok or not). */
export function markFinished(flag: SharedArrayBuffer, ok: boolean): void {
  new Float64Array(flag, 8, 1)[0] = Date.now();
  Atomics.store(new Int32Array(flag, 0, 1), 0, ok ? 1 : 2);
}

/** When the worker finished and whether it succeeded, or null while it runs. */
export function readFlag(flag: SharedArrayBuffer): { readonly finishedAt: number; readonly ok: boolean } | null {
  const state = Atomics.load(new Int32Array(flag, 0, 1), 0);
  if (state === 0) return null;
  return { finishedAt: new Float64Array(flag, 8, 1)[0], ok: state === 1 };
}
