/**
 * PyTorch code for a layer graph: one self-contained file (only `torch` imported) with an
 * `nn.Module` for NCHW input, following timm's EvoNorm layers where they apply: parameters
 * `weight` (γ), `bias` (β), `v0`/`v1` (trainable vectors), one `running_mean`/`running_var`
 * buffer per batch statistic, constructor arguments eps, groups, group_size and momentum
 * defaulting to the values the layer was scored with; train vs eval via `module.train()/eval()`.
 * Values are kept in broadcastable shapes: (1,1,1,1) constants, (1,C,1,1) parameters.
 */
import { OPS } from '../graph/ops.js';
import { activationCode } from '../graph/activations.js';
import { AXES, axisKind, nchwDims, type AggregationAxes } from '../graph/axes.js';
import { PYTHON_GROUPS_HELPER, docLines, classNameOf, resolvedOptions, type ExportMeta } from './meta.js';
import { elementwiseCode, planLayer, type PlanStep } from './plan.js';
import type { LayerGraph } from '../graph/types.js';

/** Dimensions reduced by each aggregation, NCHW. */
/** A reduce axis's dimensions as a Python tuple in NCHW order, e.g. '(2, 3)'. */
const dimsOf = (axes: AggregationAxes): string => `(${nchwDims(AXES[axes].dims).join(', ')})`;

/** The Python source of the layer's module; the class is `classNameOf(meta)`. */
export function torchSource(graph: LayerGraph, meta: ExportMeta = {}): string {
  const plan = planLayer(graph, 'torch');
  const o = resolvedOptions(meta);
  const name = classNameOf(meta);
  const doc = docLines(plan, meta, 'NCHW (N, C, H, W)');
  const out: string[] = [];
  out.push(`"""${doc[0]}`, ...doc.slice(1).map((l) => l), '"""', 'import torch', '', '');
  if (plan.usesSignPlus) {
    out.push('def _sign_plus(a):', '    """1 where a >= 0, else -1 (no gradient)."""', '    return 1 - 2 * (a < 0).to(a.dtype)', '', '');
  }
  out.push(
    ...PYTHON_GROUPS_HELPER,
    '',
    '',
    `class ${name}(torch.nn.Module):`,
    `    """${plan.formula.replaceAll('\\', '\\\\')}`,
    '',
    '    See the module docstring for the numerics and the moving-statistics convention.',
    '    """',
    '',
    `    def __init__(self, num_features, eps=${py(o.epsilon)}, groups=${o.groups}, group_size=${o.groupSize ?? 'None'}, momentum=${py(o.momentum)}):`,
    '        super().__init__()',
    '        self.num_features = num_features',
    '        self.eps = eps',
    '        self.groups = _groups(num_features, groups, group_size)',
    '        self.momentum = momentum',
    '        self.weight = torch.nn.Parameter(torch.ones(num_features))',
    '        self.bias = torch.nn.Parameter(torch.zeros(num_features))',
  );
  for (const v of plan.vectors) out.push(`        self.${v} = torch.nn.Parameter(torch.${v === 'v1' ? 'ones' : 'zeros'}(num_features))`);
  for (const b of plan.batchStats) out.push(`        self.register_buffer('${b.buffer}', torch.${b.statistic === 'var' ? 'ones' : 'zeros'}(num_features))`);
  out.push('', '    def forward(self, x):', '        c = self.num_features');
  if (plan.inputs.has('zero')) out.push('        zero = x.new_zeros((1, 1, 1, 1))');
  if (plan.inputs.has('one')) out.push('        one = x.new_ones((1, 1, 1, 1))');
  for (const v of plan.vectors) out.push(`        ${v} = self.${v}.view(1, c, 1, 1)`);
  for (const step of plan.steps) out.push(`        ${step.id} = ${stepCode(step)}  # ${step.id}: ${step.comment}`);
  out.push(`        y = ${plan.output} * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)`);
  if (plan.activation) out.push(`        y = ${activationCode(plan.activation, 'torch', 'y')}`);
  out.push('        return y if y.shape == x.shape else y.expand_as(x).contiguous()');
  if (plan.usesGroups) {
    out.push(
      '',
      '    def _group_stat(self, a, x, var):',
      '        """Mean or variance of a over each group of channels and H, W, per sample: (N, C, 1, 1)."""',
      '        n, c, h, w = x.shape',
      '        g = a.expand_as(x).reshape(n, self.groups, c // self.groups, h, w)',
      '        s = g.var(dim=(2, 3, 4), unbiased=False, keepdim=True) if var else g.mean(dim=(2, 3, 4), keepdim=True)',
      '        return s.expand(n, self.groups, c // self.groups, 1, 1).reshape(n, c, 1, 1)',
    );
  }
  if (plan.batchStats.length > 0) {
    out.push(
      '',
      '    def _batch_stat(self, a, x, var, buffer):',
      '        """Training: the batch statistic over (N, H, W), updating the buffer; eval: the buffer."""',
      '        running = getattr(self, buffer)',
      '        if not self.training:',
      '            return running.view(1, -1, 1, 1)',
      '        a = a.expand_as(x)',
      '        s = a.var(dim=(0, 2, 3), unbiased=False, keepdim=True) if var else a.mean(dim=(0, 2, 3), keepdim=True)',
      '        with torch.no_grad():',
      '            running.mul_(self.momentum).add_((1 - self.momentum) * s.detach().reshape(-1))',
      '        return s',
    );
  }
  return `${out.join('\n')}\n`;
}

function stepCode(step: PlanStep): string {
  const spec = OPS[step.op];
  if (spec.kind === 'elementwise') return elementwiseCode(step, 'torch', { eps: 'self.eps', signPlus: '_sign_plus' });
  const a = step.args[0]!;
  const variance = spec.statistic === 'var';
  if (axisKind(spec.axes) === 'batch') return `self._batch_stat(${a}, x, var=${variance ? 'True' : 'False'}, buffer='${step.batchStat!.buffer}')`;
  if (axisKind(spec.axes) === 'group') return `self._group_stat(${a}, x, var=${variance ? 'True' : 'False'})`;
  const dims = dimsOf(spec.axes!);
  const full = a === 'x' ? 'x' : `${a}.expand_as(x)`;
  return variance ? `${full}.var(dim=${dims}, unbiased=False, keepdim=True)` : `${full}.mean(dim=${dims}, keepdim=True)`;
}

/** A number as a Python literal. */
export function py(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}
