/** What every generator needs besides the plan: names, layer options, provenance, shared prose. */
import { DEFAULT_EPSILON, DEFAULT_GROUPS } from '../graph/ops.js';
import type { LayerPlan } from './plan.js';

/**
 * The numeric options the layer was scored with (defaults as src/tensor/layer-options.ts).
 * `groupSize`, when set, is the number of channels per group and overrides `groups`.
 */
export interface ExportLayerOptions {
  readonly epsilon: number;
  readonly groups: number;
  readonly groupSize?: number;
  readonly momentum: number;
}

export const DEFAULT_EXPORT_OPTIONS: ExportLayerOptions = { epsilon: DEFAULT_EPSILON, groups: DEFAULT_GROUPS, momentum: 0.9 };

export interface ExportMeta {
  /** The layer's name (zoo name, `<run>-<candidate>`, file name); absent for a bare expression. */
  readonly name?: string;
  /** Where it comes from, for the docstring: e.g. "run quick, candidate 17" or "zoo layer evonorm-s0". */
  readonly source?: string;
  readonly options?: Partial<ExportLayerOptions>;
  /** evonorm's version, for the docstring. */
  readonly version?: string;
  /** The class name (default: className(name)); a run's export names it after the layer (layerClassName). */
  readonly className?: string;
}

/**
 * A class name from a layer name: `evonorm-s0` → `EvoNormS0` (the paper's spelling), `bn-relu` →
 * `BnRelu`, `my-layer` → `MyLayer`; default EvoNormLayer.
 */
export function className(name: string | undefined): string {
  const parts = (name ?? '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('').replace(/^Evonorm/, 'EvoNorm');
  if (pascal === '') return 'EvoNormLayer';
  return /^[A-Za-z]/.test(pascal) ? pascal : `Layer${pascal}`;
}

/** What names a layer of a run's export (its front.json entry and layer file). */
export interface LayerIdentity {
  /** The layer file's name, e.g. `<run>-<candidate id>`. */
  readonly name?: string;
  /** The candidate's id in its run. */
  readonly candidateId?: number;
  /** front.json's mark of a layer equal to a zoo layer: "seed = bn-relu", "= evonorm-b0"; null or "" otherwise. */
  readonly knownLayer?: string | null;
}

/**
 * The class name of a layer, after the layer rather than its run: a zoo layer's own name
 * (`EvoNormB0`), else `Candidate<id>` for a run's candidate, else className(name).
 */
export function layerClassName(layer: LayerIdentity): string {
  const zoo = /=\s*(\S+)\s*$/.exec(layer.knownLayer ?? '')?.[1];
  if (zoo !== undefined) return className(zoo);
  if (layer.candidateId !== undefined && Number.isSafeInteger(layer.candidateId)) return `Candidate${layer.candidateId}`;
  return className(layer.name);
}

/** The class a generator writes: `meta.className` when given, else className(meta.name). */
export function classNameOf(meta: ExportMeta): string {
  return meta.className ?? className(meta.name);
}

/** The options with defaults filled in. */
export function resolvedOptions(meta: ExportMeta): ExportLayerOptions {
  const o = { ...DEFAULT_EXPORT_OPTIONS, ...stripUndefined(meta.options ?? {}) };
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The documentation shared by every generated file (plain text lines): formula, source, the
 * numerics and the moving-statistics convention. `layout` names the tensor layout.
 */
export function docLines(plan: LayerPlan, meta: ExportMeta, layout: string): string[] {
  const o = resolvedOptions(meta);
  const lines = [
    `Normalization-activation layer ${meta.name ?? '(expression)'}, exported by evonorm${meta.version ? ` ${meta.version}` : ''}.`,
    '',
    `Formula:  ${plan.formula}`,
    `Layer:    y = g(x) * weight + bias${plan.activation ? `, then ${plan.activation}(y)` : ''}   (g: the formula's graph, weight = gamma, bias = beta)`,
  ];
  if (meta.source) lines.push(`Source:   ${meta.source}`);
  lines.push(
    `Scored with: eps=${o.epsilon}, groups=${o.groups}${o.groupSize !== undefined ? `, group_size=${o.groupSize}` : ''}, momentum=${o.momentum}.`,
    '',
    `Input layout ${layout}; every parameter and buffer has one value per channel.`,
    'Numerics (as evonorm\'s GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),',
    'with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).',
  );
  if (plan.usesGroups) {
    lines.push('Groups: consecutive channels; `groups` is lowered to the largest divisor of C that is <= groups',
      'and leaves at least 2 channels per group;',
      '`group_size` (channels per group), when given, sets groups = C // group_size (lowered the same way).');
  }
  if (plan.batchStats.length > 0) {
    lines.push(
      'Batch statistics (over N, H, W): training uses the batch statistic and updates its moving buffer',
      '  m <- momentum * m + (1 - momentum) * batch_statistic   (no gradient; variances biased),',
      'inference uses the buffers (initial values: means 0, variances 1). Note: this momentum weighs the',
      'OLD value, so momentum=0.9 is torch.nn.BatchNorm2d(momentum=0.1); and BatchNorm2d updates',
      'running_var with the unbiased batch variance, this layer with the biased one (what it normalises with).',
      `Buffers: ${plan.batchStats.map((b) => `${b.buffer} (${b.statistic} of ${b.step})`).join(', ')}.`,
    );
  } else {
    lines.push('No batch statistics: training and inference compute the same function.');
  }
  return lines;
}

/**
 * The generated Python helper `_groups(channels, groups, group_size)`: the groups a layer uses for
 * C channels, by the rule of src/tensor/layer-options.ts effectiveGroups (shared by the PyTorch
 * and Keras generators; the tfjs generator writes the same rule in JavaScript).
 */
export const PYTHON_GROUPS_HELPER: readonly string[] = [
  'def _groups(channels, groups, group_size=None):',
  '    """Groups used for C channels (as evonorm\'s effectiveGroups): C // group_size when given, else',
  '    groups capped so every group keeps >= 2 channels; then lowered to a divisor of C."""',
  '    g = channels // group_size if group_size else min(groups, channels // 2)',
  '    g = max(1, min(g, channels))',
  '    while channels % g:',
  '        g -= 1',
  '    return g',
];
