/** The tfjs backends a config may ask for (a file of its own: the CLI's --backend option needs it at start-up, without zod). */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
