/**
 * tfjs code for a layer graph: standalone JavaScript (an ES module importing only
 * @tensorflow/tfjs) with a `tf.layers.Layer` subclass for NHWC input, registered for
 * serialisation, with the weights of the PyTorch export (`weight`, `bias`, `v0`/`v1`,
 * non-trainable `running_mean`/`running_var`) and train/inference via `apply(x, {training})`.
 * For users who want a file; the library's own layer class lives in src/tensor/.
 */
import { OPS } from '../graph/ops.js';
import { activationCode } from '../graph/activations.js';
import { AXES, axisKind, type AggregationAxes } from '../graph/axes.js';
import type { LayerGraph } from '../graph/types.js';
import { classNameOf, docLines, resolvedOptions, type ExportMeta } from './meta.js';
import { elementwiseCode, planLayer, type PlanStep } from './plan.js';

/** A reduce axis's dimensions as a JavaScript array (NHWC), e.g. '[1, 2]'. */
const dimsOf = (axes: AggregationAxes): string => `[${AXES[axes].dims.join(', ')}]`;

/** camelCase of a buffer name: running_var_n3 → runningVarN3. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The JavaScript source; the class is `classNameOf(meta)`, also the default export. */
export function tfjsSource(graph: LayerGraph, meta: ExportMeta = {}): string {
  const plan = planLayer(graph, 'tfjs');
  const o = resolvedOptions(meta);
  const name = classNameOf(meta);
  const doc = docLines(plan, meta, 'NHWC (channels last)');
  const out: string[] = ['/**', ...doc.map((l) => ` * ${l}`.trimEnd()), ' */', "import * as tf from '@tensorflow/tfjs';", ''];
  if (plan.usesSignPlus) out.push('/** 1 where a >= 0, else -1 (no gradient). */', 'function signPlus(a) {', '  return tf.sub(1, tf.mul(tf.step(tf.neg(a)), 2));', '}', '');
  out.push(
    '/** Groups used for C channels (as evonorm\'s effectiveGroups): C / groupSize when given, else groups capped so every group keeps >= 2 channels; then lowered to a divisor of C. */',
    'function groupsFor(channels, groups, groupSize) {',
    '  let g = groupSize ? Math.floor(channels / groupSize) : Math.min(groups, Math.floor(channels / 2));',
    '  g = Math.max(1, Math.min(g, channels));',
    '  while (channels % g !== 0) g -= 1;',
    '  return g;',
    '}',
    '',
    `/** ${plan.formula} */`,
    `export class ${name} extends tf.layers.Layer {`,
    `  static className = '${name}';`,
    '',
    '  constructor(config = {}) {',
    '    super(config);',
    `    this.eps = config.eps ?? ${o.epsilon};`,
    `    this.groups = config.groups ?? ${o.groups};`,
    `    this.groupSize = config.groupSize ?? ${o.groupSize ?? 'null'};`,
    `    this.momentum = config.momentum ?? ${o.momentum};`,
    '  }',
    '',
    '  build(inputShape) {',
    '    const c = inputShape[inputShape.length - 1];',
    '    this.numFeatures = c;',
    '    this.groupsUsed = groupsFor(c, this.groups, this.groupSize);',
    "    this.weight = this.addWeight('weight', [c], 'float32', tf.initializers.ones());",
    "    this.bias = this.addWeight('bias', [c], 'float32', tf.initializers.zeros());",
  );
  for (const v of plan.vectors) out.push(`    this.${v} = this.addWeight('${v}', [c], 'float32', tf.initializers.${v === 'v1' ? 'ones' : 'zeros'}());`);
  for (const b of plan.batchStats) out.push(`    this.${camel(b.buffer)} = this.addWeight('${b.buffer}', [c], 'float32', tf.initializers.${b.statistic === 'var' ? 'ones' : 'zeros'}(), undefined, false);`);
  out.push(
    '    this.built = true;',
    '  }',
    '',
    '  computeOutputShape(inputShape) {',
    '    return inputShape;',
    '  }',
    '',
    '  call(inputs, kwargs = {}) {',
    '    return tf.tidy(() => {',
    '      const x = Array.isArray(inputs) ? inputs[0] : inputs;',
    '      const training = kwargs.training === true;',
    '      const c = this.numFeatures;',
  );
  if (plan.inputs.has('zero')) out.push('      const zero = tf.zeros([1, 1, 1, 1]);');
  if (plan.inputs.has('one')) out.push('      const one = tf.ones([1, 1, 1, 1]);');
  for (const v of plan.vectors) out.push(`      const ${v} = this.${v}.read().reshape([1, 1, 1, c]);`);
  for (const step of plan.steps) out.push(`      const ${step.id} = ${stepCode(step)}; // ${step.id}: ${step.comment}`);
  out.push(`      let y = tf.add(tf.mul(${plan.output}, this.weight.read().reshape([1, 1, 1, c])), this.bias.read().reshape([1, 1, 1, c]));`);
  if (plan.activation) out.push(`      y = ${activationCode(plan.activation, 'tfjs', 'y')};`);
  out.push('      return tf.broadcastTo(y, x.shape);', '    });', '  }');
  if (plan.usesGroups) {
    out.push(
      '',
      '  /** Mean or variance of a over each group of channels and H, W, per sample: [N, 1, 1, C]. */',
      '  groupStat(a, x, variance) {',
      '    const [n, h, w] = x.shape;',
      '    const g = this.groupsUsed;',
      '    const per = this.numFeatures / g;',
      '    const grouped = tf.broadcastTo(a, x.shape).reshape([n, h, w, g, per]);',
      '    const s = variance ? tf.moments(grouped, [1, 2, 4], true).variance : tf.mean(grouped, [1, 2, 4], true);',
      '    return tf.broadcastTo(s, [n, 1, 1, g, per]).reshape([n, 1, 1, this.numFeatures]);',
      '  }',
    );
  }
  if (plan.batchStats.length > 0) {
    out.push(
      '',
      '  /** Training: the batch statistic over (N, H, W), updating the moving weight; inference: the weight. */',
      '  batchStat(a, x, variance, running, training) {',
      '    if (!training) return running.read().reshape([1, 1, 1, this.numFeatures]);',
      '    const full = tf.broadcastTo(a, x.shape);',
      '    const s = variance ? tf.moments(full, [0, 1, 2], true).variance : tf.mean(full, [0, 1, 2], true);',
      '    const m = this.momentum;',
      '    running.write(tf.add(tf.mul(running.read(), m), tf.mul(s.reshape([this.numFeatures]), 1 - m)));',
      '    return s;',
      '  }',
    );
  }
  out.push(
    '',
    '  getConfig() {',
    '    return { ...super.getConfig(), eps: this.eps, groups: this.groups, groupSize: this.groupSize, momentum: this.momentum };',
    '  }',
    '}',
    '',
    `tf.serialization.registerClass(${name});`,
    `export default ${name};`,
  );
  return `${out.join('\n')}\n`;
}

function stepCode(step: PlanStep): string {
  const spec = OPS[step.op];
  if (spec.kind === 'elementwise') return elementwiseCode(step, 'tfjs', { eps: 'this.eps', signPlus: 'signPlus' });
  const a = step.args[0]!;
  const variance = spec.statistic === 'var';
  if (axisKind(spec.axes) === 'batch') return `this.batchStat(${a}, x, ${variance}, this.${camel(step.batchStat!.buffer)}, training)`;
  if (axisKind(spec.axes) === 'group') return `this.groupStat(${a}, x, ${variance})`;
  const full = a === 'x' ? 'x' : `tf.broadcastTo(${a}, x.shape)`;
  return variance ? `tf.moments(${full}, ${dimsOf(spec.axes!)}, true).variance` : `tf.mean(${full}, ${dimsOf(spec.axes!)}, true)`;
}
