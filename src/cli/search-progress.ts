/**
 * What the search's live progress line knows beyond the loop's counters: the rate of recent
 * results (so the ETA follows the mix of candidates the search is making now, not the first
 * minutes' slow seed layers) and the evaluation in flight (which candidate, stage, network and
 * step), so a new user sees movement from the first seconds.
 */
import type { EvaluationProgress } from '../evaluate/types.js';

/** Results in the rate window, and how many must have arrived before an ETA is shown. */
const WINDOW = 20;
export const ETA_AFTER_RESULTS = 8;
/**
 * The window also spans at least this long: a burst of cache hits (dozens of results within a
 * second) would otherwise fill it alone and show "ETA <1 min" in the middle of a long run.
 */
const WINDOW_MIN_MS = 5 * 60_000;

export interface SearchProgress {
  /** Called with the loop's count of finished evaluations (scored + rejected) whenever it may have changed. */
  noteResults(done: number): void;
  noteEvaluation(candidateId: number, p: EvaluationProgress): void;
  /** Results per minute over the last WINDOW results, or the last WINDOW_MIN_MS if longer; NaN before ETA_AFTER_RESULTS results in this process. */
  ratePerMinute(): number;
  /** "now #12 quality resnet step 20/40", or '' before any evaluation reported. */
  nowText(): string;
}

export function createSearchProgress(now: () => number = () => Date.now()): SearchProgress {
  const times: number[] = [];
  let seen: number | undefined;
  let total = 0;
  let latest: { id: number; p: EvaluationProgress } | undefined;
  return {
    noteResults(done) {
      if (seen === undefined) seen = done; // results of earlier sessions: not this process's rate
      const t = now();
      for (; seen < done; seen++) {
        times.push(t);
        total++;
      }
      // Drop the oldest only while the window keeps WINDOW results and WINDOW_MIN_MS without it.
      let drop = 0;
      while (times.length - drop > WINDOW + 1 && t - times[drop + 1]! >= WINDOW_MIN_MS) drop++;
      if (drop > 0) times.splice(0, drop);
    },
    noteEvaluation(candidateId, p) {
      latest = { id: candidateId, p };
    },
    ratePerMinute() {
      if (total < ETA_AFTER_RESULTS || times.length < 2) return Number.NaN;
      const span = times[times.length - 1]! - times[0]!;
      // The window's first result opens it; the others arrived within it.
      return span > 0 ? ((times.length - 1) / span) * 60_000 : Number.NaN;
    },
    nowText() {
      if (latest === undefined) return '';
      const { id, p } = latest;
      const seed = p.seed !== undefined ? ` seed ${p.seed}` : '';
      const step = p.step !== undefined && p.of !== undefined ? ` step ${p.step}/${p.of}` : '';
      return `now #${id} ${p.stage} ${p.arch}${seed}${step}`;
    },
  };
}
