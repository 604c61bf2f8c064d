/**
 * The run's seeded random generator: the only source of randomness in evonorm (STYLE.md 7).
 * Alea (from seedrandom) with savable state, so a checkpoint can restore it exactly. Named
 * child streams are derived from the seed path, so adding draws to one stream never shifts
 * another (AutoML-Zero random_generator.h; evosax explicit keys).
 */
import seedrandom from 'seedrandom';
import { z } from 'zod';

/** zod schema of the opaque, JSON-serialisable generator state (part of the evolver state). */
export const RngStateSchema = z.strictObject({
  /** The seed path of the stream (child streams append `/name`). */
  path: z.string(),
  /** Open: whatever alea's state() returned (an object of numbers today). */
  alea: z.custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object'),
});
/** Opaque, JSON-serialisable generator state. */
export type RngState = Readonly<z.output<typeof RngStateSchema>>;

type AleaPrng = seedrandom.PRNG & { state(): object };

export class Rng {
  private constructor(
    /** Seed path: the run seed, then the names of the child streams, joined by '/'. */
    readonly path: string,
    private readonly prng: AleaPrng,
  ) {}

  /** A generator for a run seed (any integer or string). */
  static fromSeed(seed: number | string): Rng {
    const path = String(seed);
    return new Rng(path, seedrandom.alea(path, { state: true }) as AleaPrng);
  }

  /** Restores a generator saved with `state()`; it continues exactly where it was. */
  static fromState(state: RngState): Rng {
    // The typings only admit `state: true`; alea also takes a saved state object.
    const restore = { state: state.alea } as unknown as { state: true };
    return new Rng(state.path, seedrandom.alea('', restore) as AleaPrng);
  }

  /** An independent stream named `name`, derived from this one's seed path (not its state). */
  child(name: string): Rng {
    return Rng.fromSeed(`${this.path}/${name}`);
  }

  /** The state to save in a checkpoint. */
  state(): RngState {
    return { path: this.path, alea: this.prng.state() };
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.prng() * n);
  }

  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick from an empty array');
    return items[this.int(items.length)];
  }

  /** A new array with the items in random order (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** `k` distinct items drawn uniformly without replacement (k ≤ length). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffled(items).slice(0, Math.min(k, items.length));
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.prng();
    const v = this.prng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A 31-bit positive integer seed for tfjs initialisers (tfjs treats seed 0 as unseeded). */
  tfSeed(): number {
    return 1 + this.int(2 ** 31 - 2);
  }
}
