/**
 * Keras 3 code for a layer graph: a `keras.layers.Layer` subclass for channels-last (NHWC)
 * input, registered for serialisation, with the weights of the PyTorch export (`weight`, `bias`,
 * `v0`/`v1`, non-trainable `running_mean`/`running_var`), the same train/inference behaviour
 * (`training` argument of call) and `get_config`. Only `keras` is imported (keras.ops).
 */
import { OPS } from '../graph/ops.js';
import { activationCode } from '../graph/activations.js';
import { AXES, axisKind, type AggregationAxes } from '../graph/axes.js';
import type { LayerGraph } from '../graph/types.js';
import { PYTHON_GROUPS_HELPER, classNameOf, docLines, resolvedOptions, type ExportMeta } from './meta.js';
import { elementwiseCode, planLayer, type PlanStep } from './plan.js';
import { py } from './torch.js';

/** Axes reduced by each aggregation, NHWC. */
/** A reduce axis's dimensions as a Python tuple (NHWC), e.g. '(1, 2)'. */
const dimsOf = (axes: AggregationAxes): string => `(${AXES[axes].dims.join(', ')})`;

/** The Python source of the Keras layer; the class is `classNameOf(meta)`. */
export function kerasSource(graph: LayerGraph, meta: ExportMeta = {}): string {
  const plan = planLayer(graph, 'keras');
  const o = resolvedOptions(meta);
  const name = classNameOf(meta);
  const doc = docLines(plan, meta, 'NHWC (channels last)');
  const out: string[] = [`"""${doc[0]}`, ...doc.slice(1), '"""', 'import keras', 'from keras import ops', '', ''];
  if (plan.usesSignPlus) {
    out.push('def _sign_plus(a):', '    """1 where a >= 0, else -1 (no gradient)."""', '    return 1 - 2 * ops.cast(a < 0, a.dtype)', '', '');
  }
  out.push(
    ...PYTHON_GROUPS_HELPER,
    '',
    '',
    '@keras.saving.register_keras_serializable(package="evonorm")',
    `class ${name}(keras.layers.Layer):`,
    `    """${plan.formula}`,
    '',
    '    See the module docstring for the numerics and the moving-statistics convention.',
    '    """',
    '',
    `    def __init__(self, eps=${py(o.epsilon)}, groups=${o.groups}, group_size=${o.groupSize ?? 'None'}, momentum=${py(o.momentum)}, **kwargs):`,
    '        super().__init__(**kwargs)',
    '        self.eps = eps',
    '        self.groups = groups',
    '        self.group_size = group_size',
    '        self.momentum = momentum',
    '',
    '    def build(self, input_shape):',
    '        c = input_shape[-1]',
    '        self.num_features = c',
    '        self.groups_used = _groups(c, self.groups, self.group_size)',
    '        self.weight = self.add_weight(name="weight", shape=(c,), initializer="ones")',
    '        self.bias = self.add_weight(name="bias", shape=(c,), initializer="zeros")',
  );
  for (const v of plan.vectors) out.push(`        self.${v} = self.add_weight(name="${v}", shape=(c,), initializer="${v === 'v1' ? 'ones' : 'zeros'}")`);
  for (const b of plan.batchStats) out.push(`        self.${b.buffer} = self.add_weight(name="${b.buffer}", shape=(c,), initializer="${b.statistic === 'var' ? 'ones' : 'zeros'}", trainable=False)`);
  out.push('', '    def call(self, x, training=False):', '        c = self.num_features');
  if (plan.inputs.has('zero')) out.push('        zero = ops.zeros((1, 1, 1, 1), dtype=x.dtype)');
  if (plan.inputs.has('one')) out.push('        one = ops.ones((1, 1, 1, 1), dtype=x.dtype)');
  for (const v of plan.vectors) out.push(`        ${v} = ops.reshape(self.${v}, (1, 1, 1, c))`);
  for (const step of plan.steps) out.push(`        ${step.id} = ${stepCode(step)}  # ${step.id}: ${step.comment}`);
  out.push(`        y = ${plan.output} * ops.reshape(self.weight, (1, 1, 1, c)) + ops.reshape(self.bias, (1, 1, 1, c))`);
  if (plan.activation) out.push(`        y = ${activationCode(plan.activation, 'keras', 'y')}`);
  out.push(plan.steps.length === 0 || plan.output === 'x' ? '        return y' : '        return y + ops.zeros_like(x)  # to the shape of x (a statistic may be constant over H, W)');
  if (plan.usesGroups) {
    out.push(
      '',
      '    def _group_stat(self, a, x, var):',
      '        """Mean or variance of a over each group of channels and H, W, per sample: (N, 1, 1, C)."""',
      '        shape = ops.shape(x)',
      '        g = self.groups_used',
      '        per = self.num_features // g',
      '        grouped = ops.reshape(a + ops.zeros_like(x), (-1, shape[1], shape[2], g, per))',
      '        s = ops.var(grouped, axis=(1, 2, 4), keepdims=True) if var else ops.mean(grouped, axis=(1, 2, 4), keepdims=True)',
      '        s = s + ops.zeros((1, 1, 1, 1, per), dtype=s.dtype)',
      '        return ops.reshape(s, (-1, 1, 1, self.num_features))',
    );
  }
  if (plan.batchStats.length > 0) {
    out.push(
      '',
      '    def _batch_stat(self, a, x, var, running, training):',
      '        """Training: the batch statistic over (N, H, W), updating the moving weight; inference: the weight."""',
      '        if not training:',
      '            return ops.reshape(running, (1, 1, 1, self.num_features))',
      '        full = a + ops.zeros_like(x)',
      '        s = ops.var(full, axis=(0, 1, 2), keepdims=True) if var else ops.mean(full, axis=(0, 1, 2), keepdims=True)',
      '        running.assign(self.momentum * running + (1 - self.momentum) * ops.reshape(ops.stop_gradient(s), (self.num_features,)))',
      '        return s',
    );
  }
  out.push(
    '',
    '    def compute_output_shape(self, input_shape):',
    '        return input_shape',
    '',
    '    def get_config(self):',
    '        config = super().get_config()',
    '        config.update({"eps": self.eps, "groups": self.groups, "group_size": self.group_size, "momentum": self.momentum})',
    '        return config',
  );
  return `${out.join('\n')}\n`;
}

function stepCode(step: PlanStep): string {
  const spec = OPS[step.op];
  if (spec.kind === 'elementwise') return elementwiseCode(step, 'keras', { eps: 'self.eps', signPlus: '_sign_plus' }).replaceAll('keras.ops.', 'ops.');
  const a = step.args[0]!;
  const variance = spec.statistic === 'var';
  const flag = variance ? 'True' : 'False';
  if (axisKind(spec.axes) === 'batch') return `self._batch_stat(${a}, x, var=${flag}, running=self.${step.batchStat!.buffer}, training=training)`;
  if (axisKind(spec.axes) === 'group') return `self._group_stat(${a}, x, var=${flag})`;
  const full = a === 'x' ? 'x' : `${a} + ops.zeros_like(x)`;
  return `ops.${variance ? 'var' : 'mean'}(${full}, axis=${dimsOf(spec.axes!)}, keepdims=True)`;
}
