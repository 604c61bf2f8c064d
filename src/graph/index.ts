/** The layer-graph DSL: op table, graph type, validation, canonical form and structural hash. */
export * from './ops.js';
export * from './types.js';
export { nodeName } from './names.js';
export { validateGraph, assertValidGraph, DEFAULT_MAX_NODES } from './validate.js';
export type { GraphIssue, GraphIssueCode, ValidateOptions } from './validate.js';
export { canonicalize, canonicalHash, structuralKey } from './canonical.js';
