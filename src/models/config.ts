/**
 * The proxy-network config: the zod schema is the single source of truth (STYLE.md 2); strict
 * objects, discriminated on `arch`, every field with its meaning and default. It is derived from
 * the network descriptors (src/models/networks.ts): a new network needs no line here.
 */
import { z } from 'zod';
import { NETWORKS, type NetworkDescriptor } from './networks.js';

export { ResNetConfigSchema, MobileNetV2ConfigSchema, EfficientNetConfigSchema } from './networks.js';

/** The schemas of a tuple of descriptors, as a tuple (what discriminatedUnion takes). */
type SchemasOf<T> = { -readonly [I in keyof T]: T[I] extends { readonly schema: infer S } ? S : never };

/** The config schema of a list of network descriptors: one of their schemas, picked by `arch`. */
export function networksSchema<const T extends readonly [NetworkDescriptor, ...NetworkDescriptor[]]>(networks: T) {
  return z
    .discriminatedUnion('arch', networks.map((n) => n.schema) as unknown as SchemasOf<T>)
    .describe(`A proxy network on which candidate layers are trained: ${networks.map((n) => n.arch).join(', ')}.`);
}

/** One proxy architecture and its size; `arch` selects the rest of the fields. */
export const ModelConfigSchema = networksSchema(NETWORKS);

/** A validated model config (defaults filled in). */
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
/** A model config as written by a person (defaults optional). */
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
