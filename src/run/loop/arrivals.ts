/**
 * Arrivals: the evaluations of a search loop in the order they finish (a completion queue), so
 * the loop takes one result at a time without racing every promise still in flight.
 */

type Outcome<T> = { readonly value: T } | { readonly error: unknown };

/** A queue that promises are added to and whose results are taken in completion order. */
export class Arrivals<T> {
  private readonly ready: Outcome<T>[] = [];
  private waiter: ((outcome: Outcome<T>) => void) | null = null;
  private outstanding = 0;

  /** Number of added promises whose results have not been taken yet. */
  get size(): number {
    return this.outstanding;
  }

  /** Adds a promise; its value (or error) joins the queue when it settles. */
  add(promise: Promise<T>): void {
    this.outstanding++;
    const deliver = (outcome: Outcome<T>): void => {
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = null;
        waiter(outcome);
      } else this.ready.push(outcome);
    };
    promise.then((value) => deliver({ value }), (error: unknown) => deliver({ error }));
  }

  /**
   * The next result in completion order; null when `signal` fires first (the result is then
   * left in the queue). Rejects with the error of a promise that rejected.
   */
  async next(signal: AbortSignal): Promise<T | null> {
    const outcome = this.ready.shift() ?? (await this.wait(signal));
    if (outcome === null) return null;
    this.outstanding--;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  private wait(signal: AbortSignal): Promise<Outcome<T> | null> {
    if (signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.waiter = null;
        resolve(null);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiter = (outcome) => {
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
    });
  }
}
