/**
 * Code export of layer graphs: PyTorch (nn.Module, NCHW), Keras 3 (keras.layers.Layer, NHWC)
 * and tfjs (tf.layers.Layer source, NHWC), all from one plan (src/export/plan.ts) of the live
 * nodes with shared subexpressions computed once, one line per node with a comment naming it.
 */
import type { LayerGraph } from '../graph/types.js';
import { EvonormError } from '../util/errors.js';
import { kerasSource } from './keras.js';
import { classNameOf, type ExportMeta } from './meta.js';
import { tfjsSource } from './tfjs.js';
import { torchSource } from './torch.js';

export { planLayer, type LayerPlan, type PlanStep, type BatchStat } from './plan.js';
export { className, classNameOf, layerClassName, DEFAULT_EXPORT_OPTIONS, type ExportLayerOptions, type ExportMeta, type LayerIdentity } from './meta.js';
export { torchSource } from './torch.js';
export { kerasSource } from './keras.js';
export { tfjsSource } from './tfjs.js';

/** Code formats (json is written by src/run/export/export-run.ts and `show --json`). */
export const CODE_FORMATS = ['pytorch', 'keras', 'tfjs'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];
/** Formats of `evonorm export --format`. */
export const EXPORT_FORMATS = ['json', ...CODE_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File extension of each code format. */
export const CODE_EXTENSION: Readonly<Record<CodeFormat, string>> = { pytorch: '.py', keras: '.py', tfjs: '.mjs' };

export interface GeneratedCode {
  readonly format: CodeFormat;
  readonly className: string;
  readonly source: string;
}

/** The layer's source code in `format` (BAD_GRAPH naming the op when it cannot be exported). */
export function generateCode(graph: LayerGraph, format: CodeFormat, meta: ExportMeta = {}): GeneratedCode {
  const source = format === 'pytorch' ? torchSource(graph, meta) : format === 'keras' ? kerasSource(graph, meta) : tfjsSource(graph, meta);
  return { format, className: classNameOf(meta), source };
}

/** Checks a --format value (BAD_INPUT, exit 3, listing the formats). */
export function parseFormat<F extends string>(value: string, formats: readonly F[]): F {
  if ((formats as readonly string[]).includes(value)) return value as F;
  throw new EvonormError('BAD_INPUT', `unknown --format "${value}" (expected one of: ${formats.join(', ')})`);
}
