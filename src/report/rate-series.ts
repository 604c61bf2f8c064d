/**
 * Candidates evaluated per minute over the run's wall-clock time: the evaluations' times in
 * equal bins (at most `bins`, each at least one second), as a rate per minute.
 */
import type { JournalEvent } from '../run/events.js';

export interface RatePoint {
  /** Minutes since the first event, at the bin's middle. */
  readonly minute: number;
  /** Evaluations per minute in the bin. */
  readonly perMinute: number;
}

/** The evaluation rate over time (see the module comment). */
export function rateSeries(events: readonly JournalEvent[], bins = 60): RatePoint[] {
  const times = events.filter((e) => e.type === 'evaluated').map((e) => Date.parse(e.t)).filter(Number.isFinite);
  const starts = events.map((e) => Date.parse(e.t)).filter(Number.isFinite);
  if (times.length === 0 || starts.length === 0) return [];
  const t0 = Math.min(starts[0], times[0]);
  const t1 = Math.max(times[times.length - 1], t0 + 1);
  const width = Math.max(1000, (t1 - t0) / bins);
  const n = Math.max(1, Math.ceil((t1 - t0) / width));
  const counts = new Array<number>(n).fill(0);
  for (const t of times) counts[Math.min(n - 1, Math.max(0, Math.floor((t - t0) / width)))]++;
  return counts.map((c, i) => ({ minute: ((i + 0.5) * width) / 60_000, perMinute: (c * 60_000) / width }));
}
