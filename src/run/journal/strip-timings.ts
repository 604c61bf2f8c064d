/**
 * Removes timing fields so two journals (or checkpoints) of the same seed can be compared:
 * `t`, `ms`, and every key ending in `Ms` (costMs, wallMs, workerMs, elapsedMs) or `At`
 * (savedAt, startedAt), at any depth.
 */

const TIMING_KEY = /^(t|ms|.+Ms|.+At)$/;

/** True for a key stripTimings removes. */
export function isTimingKey(key: string): boolean {
  return TIMING_KEY.test(key);
}

/** A deep copy of `value` without timing fields (arrays and plain objects are walked). */
export function stripTimings<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (!isTimingKey(key)) out[key] = strip(v);
    }
    return out;
  }
  return value;
}
