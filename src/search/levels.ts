/**
 * Promotion levels (issue 17, item 1), the pure rules: how candidates measured at different
 * fidelity levels are compared, and which are promoted next. (Successive halving / ASHA rungs,
 * Li et al. 2020; Lion's funnel inside the search, Chen et al. 2023.)
 *
 * A candidate has scores at levels 0..h, h its highest level: level 0 is the base protocol,
 * level ℓ+1 a more expensive one (more seeds, more steps); a promotion evaluates it at the next
 * level and keeps the lower levels' scores, so a candidate at level h was measured at every ℓ ≤ h.
 *
 *   a ≻ b  ⇔  with ℓ = min(h_a, h_b), the highest level both were measured at,
 *             a's level-ℓ scores Pareto-dominate b's level-ℓ scores
 *   front(S)          = members of S that no member of S ≻-dominates           (leveledFront)
 *   tournament winner ~ uniform(members ≻-dominated by the fewest other members)
 *                       (= uniform(front(tournament)) whenever that front is not empty)
 *   rung ℓ            = every candidate measured at ℓ, compared by its level-ℓ scores
 *   promote (after a settled batch): the members of rung ℓ's Pareto front whose highest level
 *     is ℓ < top and that were not promoted yet; at most k, highest ℓ first, then oldest (id)
 *   a rejected promotion (its level's rejection chain, a diverging training) ends the climb and
 *     takes the candidate off the run's front and out of tournaments, as a rejection at level 0
 *     would; the levels it passed still count against others (leveledRunFront)
 *
 * Why a tournament between levels is decided at the highest common level:
 * - A score is only ever compared with a score of the same level. The levels' protocols differ
 *   (seeds, steps, data), so their numbers are not on one scale: a longer training raises every
 *   accuracy, a mean over more seeds is less noisy. Comparing a's level-2 accuracy with b's
 *   level-0 one would reward or punish the protocol, not the layer.
 * - Each pair is decided by the most accurate measurement both have. A promoted candidate meets
 *   an unpromoted one on the base level, where one protocol measured both: being promoted is no
 *   bonus, and a higher level's lower numbers no penalty. Two promoted candidates meet on the
 *   higher level, where the cheap score's noise or bias has been removed: a cheap winner that
 *   did not survive its promotion loses to one that did.
 * - Rejected alternatives: "the higher level wins" makes promotion itself the reward (a layer
 *   that fell apart at the next level would still beat every fresh one); "compare the highest
 *   levels' scores" mixes scales; "only the tournament's highest-level members compete" has the
 *   flaw of the first.
 * - Over mixed levels ≻ need not be transitive (a ≻ b at level 1, b ≻ c at level 0, c ≻ a at
 *   level 0), so a tournament's front can be empty; then the members beaten by the fewest others
 *   share the win. Falling back to the level-0 scores alone would hand the win to exactly the
 *   cheap winner a promotion exposed (b in the example). With every candidate at level 0 all of
 *   this is the plain Pareto rule.
 *
 * Wired in by src/search/promotion.ts (the evolver's rounds of promotions) and selection.ts (its
 * tournaments), src/run/loop/search-loop.ts (promotions evaluated on the pool and journaled) and
 * src/run/replay/candidates.ts (the one replay that status, export and the report read the front from).
 */
import type { Rng } from '../util/rng.js';
import { dominates, paretoFront, type ObjectivePoint } from './pareto.js';

/** A candidate with its scores per level: `levels[ℓ]` the K objectives at level ℓ (levels.length ≥ 1). */
export interface Leveled {
  readonly id: number;
  readonly levels: readonly ObjectivePoint[];
}

/** The highest level `member` was measured at. */
export function highestLevel(member: Leveled): number {
  return member.levels.length - 1;
}

/** a ≻ b: at the highest level both were measured at, a's scores Pareto-dominate b's (see the module comment). */
export function dominatesAtCommonLevel(a: Leveled, b: Leveled): boolean {
  const level = Math.min(highestLevel(a), highestLevel(b));
  return dominates(a.levels[level], b.levels[level]);
}

/** Indices of the members no other member ≻-dominates, ascending (may be empty over mixed levels). */
export function leveledFront(members: readonly Leveled[]): number[] {
  if (members.every((m) => m.levels.length === 1)) return paretoFront(members.map((m) => m.levels[0]));
  return members.flatMap((m, i) => (members.some((o, j) => j !== i && dominatesAtCommonLevel(o, m)) ? [] : [i]));
}

/**
 * Indices of the members ≻-dominated by the fewest other members, ascending: the leveled front
 * when it is not empty (see the module comment); never empty for non-empty `members`.
 */
export function leveledBest(members: readonly Leveled[]): number[] {
  const beatenBy = members.map((m, i) => members.filter((o, j) => j !== i && dominatesAtCommonLevel(o, m)).length);
  const fewest = Math.min(...beatenBy);
  return members.flatMap((_, i) => (beatenBy[i] === fewest ? [i] : []));
}

/**
 * The tournament winner among non-empty `members`: uniform over those ≻-dominated by the fewest
 * other members (the front when it is not empty; see the module comment), drawn with `rng`.
 */
export function leveledWinner<M extends Leveled>(rng: Rng, members: readonly M[]): M {
  return rng.pick(leveledBest(members).map((i) => members[i]));
}

/**
 * The leveled non-dominated sort, one layer at a time (lazily: a reader that needs the first few
 * layers stops early): each layer is leveledBest of the members not yet placed, indices ascending.
 * With every member at level 0 these are the layers of the plain non-dominated sort. O(n²) per layer.
 */
export function* leveledLayers(members: readonly Leveled[]): Generator<number[]> {
  let left = members.map((_, i) => i);
  while (left.length > 0) {
    const layer = leveledBest(left.map((i) => members[i])).map((j) => left[j]);
    yield layer;
    const placed = new Set(layer);
    left = left.filter((i) => !placed.has(i));
  }
}

/** A member of a run's front: a candidate with its scores per level, its identity key, and whether a promotion rejected it. */
export interface RunFrontMember extends Leveled {
  /** Functional identity (a fingerprint, or a canonical hash): one front member per key. */
  readonly key: string;
  /** True when its evaluation at the level above its highest one was rejected (`levels` holds the levels it passed). */
  readonly failed: boolean;
}

/**
 * The front of a run with promotions, from `base` (the Pareto front of the level-0 scores of the
 * candidates never promoted, one member per key) and `promoted` (every candidate evaluated above
 * level 0, passed or rejected):
 *
 *   members = base ∪ promoted (by id)
 *   front   = leveledBest(members) without the failed ones, one per key (the highest level, then
 *             the oldest), by id
 *
 * This is the leveled front of every scored candidate whenever that front is not empty: an
 * unpromoted candidate off `base` is dominated at level 0 by a member of `base` (by transitivity
 * among unpromoted ones), which meets everyone at level 0 too, so it ≻-dominates whatever the
 * dropped one does and the dropped one itself. (The level-0 front of ALL candidates would not do:
 * a promoted candidate that dominates an unpromoted one at level 0 may meet a third, promoted
 * candidate only at a higher level, where the unpromoted one would still have beaten it at 0.)
 * When a cycle empties the leveled front, leveledBest counts beaters among `members` only. A
 * failed promotion takes its candidate off the front (failures are data, never front members:
 * STYLE.md 9), while the levels it passed still count against others. With nothing promoted this
 * is `base` itself.
 */
export function leveledRunFront<M extends RunFrontMember>(base: readonly M[], promoted: readonly M[]): M[] {
  if (promoted.length === 0) return [...base];
  const byId = new Map<number, M>(base.map((m) => [m.id, m]));
  for (const m of promoted) byId.set(m.id, m);
  const members = [...byId.values()].sort((a, b) => a.id - b.id);
  const best = new Map<string, M>();
  for (const m of leveledBest(members).map((i) => members[i])) {
    if (m.failed) continue;
    const kept = best.get(m.key);
    if (kept === undefined || highestLevel(m) > highestLevel(kept)) best.set(m.key, m);
  }
  return [...best.values()].sort((a, b) => a.id - b.id);
}

/**
 * Who is evaluated at the next level after a settled batch: on rung ℓ's Pareto front (every
 * candidate measured at ℓ, by its level-ℓ scores), at highest level ℓ below `topLevel`, not in
 * `promoted` (ids already promoted or being promoted); at most `k`, highest ℓ first, then by id,
 * and at most `quota[ℓ]` from rung ℓ (absent = no limit; see promotionQuota).
 */
export function promotionChoice(members: readonly Leveled[], topLevel: number, k: number, promoted: ReadonlySet<number> = new Set(), quota: readonly number[] = []): Leveled[] {
  const chosen: Leveled[] = [];
  for (let level = topLevel - 1; level >= 0 && chosen.length < k; level--) {
    const room = Math.min(k - chosen.length, quota[level] ?? Infinity);
    if (room <= 0) continue;
    const rung = members.filter((m) => highestLevel(m) >= level);
    const eligible = paretoFront(rung.map((m) => m.levels[level]))
      .map((i) => rung[i])
      .filter((m) => highestLevel(m) === level && !promoted.has(m.id))
      .sort((a, b) => a.id - b.id);
    chosen.push(...eligible.slice(0, room));
  }
  return chosen;
}

/**
 * ASHA's reduction factor η (Li et al. 2020) as a quota per rung: rung ℓ may send a candidate to
 * level ℓ + 1 only while fewer than ⌊reached[ℓ] / η⌋ candidates have been evaluated there, so each
 * level holds at most a 1/η share of the one below and the promotions' cost stays a bounded share
 * of the run's however often the front changes. `reached[ℓ]` counts the candidates evaluated at
 * level ℓ, whether they passed or failed there (`reached[0]`: every scored candidate); the result
 * has one entry per rung below the top: quota[ℓ] = max(0, ⌊reached[ℓ] / η⌋ − reached[ℓ + 1]).
 */
export function promotionQuota(reached: readonly number[], topLevel: number, reduction: number): number[] {
  return Array.from({ length: topLevel }, (_, level) => Math.max(0, Math.floor((reached[level] ?? 0) / reduction) - (reached[level + 1] ?? 0)));
}
