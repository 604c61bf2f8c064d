/**
 * A data set, as a descriptor (STYLE.md 15): its config section's schema and what the rest of
 * the system asks of it. The list is in datasets.ts; the config schema (config.ts), the loader
 * (load.ts), manifests and rerank's checks all go through it.
 */
import type { z } from 'zod';
import type { Rng } from '../util/rng.js';
import type { ImagesPerClass } from './config-fields.js';
import type { ImageDataset } from './types.js';

/** What the held-out test split of a config is, for manifests (null: the config has none). */
export interface HeldOut {
  readonly split: 'test';
  readonly rule: string;
}

export interface DatasetDescriptor<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  readonly name: N;
  /** The config section (strict; `name` a literal). */
  readonly schema: S;
  /** About how many images per class a config leaves, for the config's checks. */
  imagesPerClass(config: z.output<S>): ImagesPerClass;
  /** The raw data (scaled to its usual range, not yet resized or normalised); the test split only `withTest`. */
  load(config: z.output<S>, rng: Rng, withTest: boolean): ImageDataset;
  /** The held-out test split of a config, in words (null: none). */
  heldOut(config: z.output<S>): HeldOut | null;
  /** Why rerank cannot score a config on a held-out split (null: it can). */
  noHeldOut(config: z.output<S>): string | null;
  /** Why a search must refuse a config (it would select on the held-out split; null: fine). Default: never. */
  searchProblem?(config: z.output<S>): string | null;
  /** Throws MISSING_FILE when the files a config needs are not on this machine (`who` starts the message). Default: nothing to check. */
  checkFiles?(config: z.output<S>, who: string): void;
}
