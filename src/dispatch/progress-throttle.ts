/**
 * Progress reports cross a thread boundary (a message each), and a training reports every step:
 * pass one on when `intervalMs` has passed since the last one passed, or when it starts
 * something new (another stage, network or seed), so the display is current without a message
 * per step.
 */
import type { EvaluationProgress } from '../evaluate/types.js';

export function throttledProgress(send: (p: EvaluationProgress) => void, intervalMs = 1000, now: () => number = () => performance.now()): (p: EvaluationProgress) => void {
  let last = Number.NEGATIVE_INFINITY;
  let lastKey = '';
  return (p) => {
    const key = `${p.stage}/${p.arch}/${p.seed ?? ''}`;
    const t = now();
    if (key === lastKey && t - last < intervalMs) return;
    last = t;
    lastKey = key;
    send(p);
  };
}
