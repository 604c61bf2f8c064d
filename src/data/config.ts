/**
 * The config file's `dataset` section: one zod schema per data set (its descriptor's, datasets.ts),
 * a discriminated union on `name`. The schema is the single source of truth (STYLE.md 2): types
 * come from it, objects are strict so a typo fails, every field says its meaning, unit and default.
 */
import { z } from 'zod';
import { MIN_TRAIN_PER_CLASS, MIN_VALIDATION_PER_CLASS } from './config-fields.js';
import type { DatasetDescriptor } from './descriptor.js';
import { DATASETS, datasetOf } from './datasets.js';

export { AugmentConfigSchema, MAX_IMAGE_SIZE, MIN_TRAIN_PER_CLASS, MIN_VALIDATION_PER_CLASS } from './config-fields.js';
export { IDX_VALIDATION_SIZE } from './idx-config.js';
export { Cifar10ConfigSchema, SyntheticConfigSchema } from './datasets.js';
export type { AugmentConfig } from './config-fields.js';

export const MnistConfigSchema = DATASETS[0].schema;
export const FashionMnistConfigSchema = DATASETS[1].schema;

/** The schemas of a tuple of descriptors, as a tuple (what discriminatedUnion takes). */
type SchemasOf<T> = { -readonly [I in keyof T]: T[I] extends { readonly schema: infer S } ? S : never };

/** The `dataset` section's schema over a list of data sets: one of their sections, picked by `name`, that leaves enough images per class. */
export function datasetsSchema<const T extends readonly [DatasetDescriptor, ...DatasetDescriptor[]]>(datasets: T) {
  return z
    .discriminatedUnion('name', datasets.map((d) => d.schema) as unknown as SchemasOf<T>)
    .superRefine((config, ctx) => {
      const descriptor = datasets.find((d) => d.name === (config as { name: string }).name)!;
      const { train, validation, trainField, validationField } = descriptor.imagesPerClass(config as never);
      if (train < MIN_TRAIN_PER_CLASS) ctx.addIssue({ code: 'custom', path: [trainField], message: `leaves about ${train} training image(s) per class; at least ${MIN_TRAIN_PER_CLASS} are needed` });
      if (validation < MIN_VALIDATION_PER_CLASS) ctx.addIssue({ code: 'custom', path: [validationField], message: `leaves about ${validation} validation image(s) per class; at least ${MIN_VALIDATION_PER_CLASS} are needed` });
    })
    .describe('The image classification data set that candidates are trained and validated on.');
}

export const DatasetConfigSchema = datasetsSchema(DATASETS);

/** The descriptor of a validated config's data set. */
export function descriptorOf(config: DatasetConfig): DatasetDescriptor {
  return datasetOf(config.name);
}

/** A validated dataset section, defaults filled in. */
export type DatasetConfig = z.output<typeof DatasetConfigSchema>;
/** A dataset section as written in a config file (defaults optional). */
export type DatasetConfigInput = z.input<typeof DatasetConfigSchema>;
