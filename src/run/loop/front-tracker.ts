/**
 * The size of a run's front kept up to date one result at a time, for the search loop's counters
 * and progress line, by the definition `status` uses (src/run/replay/candidates.ts): distinctFront of the
 * level-0 scores; with promotion levels, runFront over the level-0 front of the candidates never
 * promoted and every promoted one.
 *
 *   without levels: front ← distinctFront(front ∪ {new point})           (transitivity: exact)
 *   with levels:    every unpromoted point is kept; its front is updated the same way, and
 *                   recomputed when one of them is promoted (at most k per batch)
 */
import { addToArchive } from '../../search/pareto-archive.js';
import { distinctFront, leveledPoint, runFront, type FrontPoint, type LeveledPoint } from '../replay/candidates.js';

export class FrontTracker {
  private front: FrontPoint[];
  private unpromoted: FrontPoint[] = [];
  private readonly promoted: Map<number, LeveledPoint>;

  /**
   * `scored`: the run's scored candidates so far (a resume): at least their level-0 front; with
   * `leveled`, every one of them. `promoted`: the promoted ones with their levels.
   */
  constructor(scored: readonly FrontPoint[], promoted: readonly LeveledPoint[], private readonly leveled: boolean) {
    this.promoted = new Map(promoted.map((p) => [p.id, p]));
    if (leveled) this.unpromoted = scored.filter((p) => !this.promoted.has(p.id));
    this.front = distinctFront(leveled ? this.unpromoted : scored);
  }

  /** Adds a newly scored candidate (level 0). */
  addScored(point: FrontPoint): void {
    if (this.leveled && !this.promoted.has(point.id)) this.unpromoted.push(point);
    this.front = addToArchive(this.front, point, (p) => p.key); // = distinctFront(front ∪ {point}), without recomputing when it is dominated
  }

  /** The candidate's points so far (its level-0 point when not promoted yet), or undefined when unknown. */
  levelsOf(id: number): LeveledPoint | undefined {
    return this.promoted.get(id);
  }

  /** Records a candidate's new standing after a promotion (its levels passed, or failed). */
  setPromoted(point: LeveledPoint): void {
    const first = !this.promoted.has(point.id);
    this.promoted.set(point.id, point);
    if (first) {
      this.unpromoted = this.unpromoted.filter((p) => p.id !== point.id);
      this.front = distinctFront(this.unpromoted);
    }
  }

  /** The front's size, as `evonorm status` counts it. */
  get size(): number {
    return this.promoted.size === 0 ? this.front.length : runFront(this.front.map((p) => leveledPoint(p)), [...this.promoted.values()]).length;
  }
}
