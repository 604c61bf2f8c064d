/**
 * The layer-graph DSL (no tfjs): op table, graph type, expression syntax (parse/print), JSON
 * file format, validation, canonical form, structural hash and structural family, Graphviz and node table, the
 * zoo of known layers, and resolution of a layer spec (zoo name, file or expression).
 */
export * from './ops.js';
export * from './types.js';
export { ACTIVATIONS, activationCode, type ActivationSpec } from './activations.js';
export { AXES, axisKind, nchwDims, type AxisSpec, type NhwcDim } from './axes.js';
export { nodeName } from './names.js';
export { validateGraph, assertValidGraph, DEFAULT_MAX_NODES } from './validate.js';
export type { GraphIssue, GraphIssueCode, ValidateOptions } from './validate.js';
export { canonicalize, canonicalHash, structuralKey } from './canonical.js';
export { structuralFamily, FAMILY_SEPARATOR } from './family.js';
export { parseExpression } from './parse.js';
export { printExpression } from './print.js';
export {
  graphToJson,
  graphFromJson,
  readLayerJson,
  upgradeLayerJson,
  layerJsonOptions,
  LayerJsonSchema,
  LayerJsonV1Schema,
  LayerJsonV2Schema,
  LayerJsonNodeSchema,
  LayerJsonOptionsSchema,
  DEFAULT_LAYER_JSON_OPTIONS,
  LAYER_FORMAT,
  LAYER_FORMAT_VERSION,
  LAYER_FORMAT_VERSIONS,
} from './json.js';
export type { LayerJson, LayerJsonV1, LayerJsonV2, LayerJsonOptions, LayerFile, GraphToJsonExtras } from './json.js';
export { toDot } from './dot.js';
export { liveNodes } from './live.js';
export { nonNegativeNodes } from './nonnegative.js';
export { nodeTable, formatNodeTable, NODE_TABLE_HEADER } from './table.js';
export { ZOO, ZOO_NAMES, zooLayer, isZooName } from './zoo.js';
export type { ZooEntry } from './zoo.js';
export { resolveLayer } from './resolve.js';
export type { ResolvedLayer } from './resolve.js';
