/**
 * Candidates evaluated per minute over the run's wall-clock time: the evaluations' times in
 * equal bins (at most `bins`, each at least one second), as a rate per minute.
 */
import type { RunReplay } from '../run/replay/replay.js';

export interface RatePoint {
  /** Minutes since the first event, at the bin's middle. */
  readonly minute: number;
  /** Evaluations per minute in the bin. */
  readonly perMinute: number;
}

/** The evaluation rate over time (see the module comment), from the replay's evaluation times (src/run/replay/replay.ts). */
export function rateSeries(replay: Pick<RunReplay, 'evaluationTimes' | 'firstEventAt'>, bins = 60): RatePoint[] {
  const times = replay.evaluationTimes.filter(Number.isFinite);
  const first = replay.firstEventAt === undefined ? Number.NaN : Date.parse(replay.firstEventAt);
  if (times.length === 0 || !Number.isFinite(first)) return [];
  const t0 = Math.min(first, times[0]);
  const t1 = Math.max(times[times.length - 1], t0 + 1);
  const width = Math.max(1000, (t1 - t0) / bins);
  const n = Math.max(1, Math.ceil((t1 - t0) / width));
  const counts = new Array<number>(n).fill(0);
  for (const t of times) counts[Math.min(n - 1, Math.max(0, Math.floor((t - t0) / width)))]++;
  return counts.map((c, i) => ({ minute: ((i + 0.5) * width) / 60_000, perMinute: (c * 60_000) / width }));
}
