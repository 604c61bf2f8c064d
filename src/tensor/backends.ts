/**
 * The tfjs backends, one descriptor each (STYLE.md 15): its name and what it is. Adding a
 * backend is an entry here plus its loader in backend.ts (the LOADERS table, typed by this list,
 * so a backend without a loader does not compile). The config's and the CLI's backend choices,
 * 'auto''s order and doctor's list derive from BACKEND_DESCRIPTORS.
 *
 * A file of its own without tfjs or zod: the CLI's --backend option needs it at start-up.
 */

/** A tfjs backend evonorm can activate. */
export interface BackendDescriptor<N extends string = string> {
  /** tfjs's name for it, and the word configs and --backend use. */
  readonly name: N;
  /** One line for help texts and the README. */
  readonly summary: string;
}

/** Every backend, in the order 'auto' tries them (fastest first). */
export const BACKEND_DESCRIPTORS = [
  { name: 'tensorflow', summary: 'native TensorFlow through @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (optional dependencies)' },
  { name: 'wasm', summary: 'tfjs-backend-wasm with evonorm\'s SIMD training kernels' },
  { name: 'cpu', summary: 'tfjs\'s plain JavaScript backend' },
] as const satisfies readonly BackendDescriptor[];

/** A backend's name. */
export type BackendName = (typeof BACKEND_DESCRIPTORS)[number]['name'];

/** The backends 'auto' tries, in order. */
export const BACKEND_NAMES: readonly BackendName[] = BACKEND_DESCRIPTORS.map((b) => b.name);

/** The tfjs backends a config may ask for: 'auto' or one of the backends. */
export const BACKENDS = ['auto', ...BACKEND_NAMES] as readonly ['auto', ...BackendName[]];

/** A backend as requested by a person or config. */
export type BackendRequest = 'auto' | BackendName;
