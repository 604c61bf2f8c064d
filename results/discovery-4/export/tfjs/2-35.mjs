/**
 * Normalization-activation layer run-35, exported by evonorm 0.1.0.
 *
 * Formula:  x / max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))
 * Layer:    y = g(x) * weight + bias   (g: the formula's graph, weight = gamma, bias = beta)
 * Source:   run run, candidate 35, objectives resnet=0.8334, mobilenetv2=0.8324, efficientnet=0.8384
 * Scored with: eps=0.00001, groups=32, momentum=0.9.
 *
 * Input layout NHWC (channels last); every parameter and buffer has one value per channel.
 * Numerics (as evonorm's GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),
 * with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).
 * Batch statistics (over N, H, W): training uses the batch statistic and updates its moving buffer
 *   m <- momentum * m + (1 - momentum) * batch_statistic   (no gradient; variances biased),
 * inference uses the buffers (initial values: means 0, variances 1). Note: this momentum weighs the
 * OLD value, so momentum=0.9 is torch.nn.BatchNorm2d(momentum=0.1); and BatchNorm2d updates
 * running_var with the unbiased batch variance, this layer with the biased one (what it normalises with).
 * Buffers: running_var (var of n0).
 */
import * as tf from '@tensorflow/tfjs';

/** Groups used for C channels (as evonorm's effectiveGroups): C / groupSize when given, else groups capped so every group keeps >= 2 channels; then lowered to a divisor of C. */
function groupsFor(channels, groups, groupSize) {
  let g = groupSize ? Math.floor(channels / groupSize) : Math.min(groups, Math.floor(channels / 2));
  g = Math.max(1, Math.min(g, channels));
  while (channels % g !== 0) g -= 1;
  return g;
}

/** x / max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x))) */
export class Candidate35 extends tf.layers.Layer {
  static className = 'Candidate35';

  constructor(config = {}) {
    super(config);
    this.eps = config.eps ?? 0.00001;
    this.groups = config.groups ?? 32;
    this.groupSize = config.groupSize ?? null;
    this.momentum = config.momentum ?? 0.9;
  }

  build(inputShape) {
    const c = inputShape[inputShape.length - 1];
    this.numFeatures = c;
    this.groupsUsed = groupsFor(c, this.groups, this.groupSize);
    this.weight = this.addWeight('weight', [c], 'float32', tf.initializers.ones());
    this.bias = this.addWeight('bias', [c], 'float32', tf.initializers.zeros());
    this.v1 = this.addWeight('v1', [c], 'float32', tf.initializers.ones());
    this.runningVar = this.addWeight('running_var', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  computeOutputShape(inputShape) {
    return inputShape;
  }

  call(inputs, kwargs = {}) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const training = kwargs.training === true;
      const c = this.numFeatures;
      const v1 = this.v1.read().reshape([1, 1, 1, c]);
      const n0 = this.batchStat(x, x, true, this.runningVar, training); // n0: var_batch(x)
      const n1 = tf.sqrt(tf.add(n0, this.eps)); // n1: sqrt(var_batch(x))
      const n2 = tf.mul(v1, x); // n2: v1 * x
      const n3 = tf.moments(x, [1, 2], true).variance; // n3: var_instance(x)
      const n4 = tf.sigmoid(n3); // n4: sigmoid(var_instance(x))
      const n5 = tf.add(n2, n4); // n5: v1 * x + sigmoid(var_instance(x))
      const n6 = tf.maximum(n1, n5); // n6: max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))
      const n7 = tf.div(x, n6); // n7: x / max(sqrt(var_batch(x)), v1 * x + sigmoid(var_instance(x)))
      let y = tf.add(tf.mul(n7, this.weight.read().reshape([1, 1, 1, c])), this.bias.read().reshape([1, 1, 1, c]));
      return tf.broadcastTo(y, x.shape);
    });
  }

  /** Training: the batch statistic over (N, H, W), updating the moving weight; inference: the weight. */
  batchStat(a, x, variance, running, training) {
    if (!training) return running.read().reshape([1, 1, 1, this.numFeatures]);
    const full = tf.broadcastTo(a, x.shape);
    const s = variance ? tf.moments(full, [0, 1, 2], true).variance : tf.mean(full, [0, 1, 2], true);
    const m = this.momentum;
    running.write(tf.add(tf.mul(running.read(), m), tf.mul(s.reshape([this.numFeatures]), 1 - m)));
    return s;
  }

  getConfig() {
    return { ...super.getConfig(), eps: this.eps, groups: this.groups, groupSize: this.groupSize, momentum: this.momentum };
  }
}

tf.serialization.registerClass(Candidate35);
export default Candidate35;
