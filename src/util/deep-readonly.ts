/**
 * DeepReadonly<T>: T with every property and array, at every depth, read-only. For types
 * inferred from zod schemas (z.output gives mutable ones) that describe immutable values, such
 * as the evolver state (src/search/state-schema.ts).
 */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
