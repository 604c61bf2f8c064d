/**
 * Normalization-activation layer run-1079, exported by evonorm 0.1.0.
 *
 * Formula:  x / max(mean_instance(abs(x)), sigmoid(x))
 * Layer:    y = g(x) * weight + bias   (g: the formula's graph, weight = gamma, bias = beta)
 * Source:   run run, candidate 1079, objectives resnet=0.8406, mobilenetv2=0.8208, efficientnet=0.8374
 * Scored with: eps=0.00001, groups=32, momentum=0.9.
 *
 * Input layout NHWC (channels last); every parameter and buffer has one value per channel.
 * Numerics (as evonorm's GraphLayer): sqrt(a) = sign(a) * sqrt(|a| + eps) and log(a) = sign(a) * log(|a| + eps),
 * with sign(a) = 1 for a >= 0 and -1 otherwise; every variance is biased (divides by the count).
 * No batch statistics: training and inference compute the same function.
 */
import * as tf from '@tensorflow/tfjs';

/** Groups used for C channels (as evonorm's effectiveGroups): C / groupSize when given, else groups capped so every group keeps >= 2 channels; then lowered to a divisor of C. */
function groupsFor(channels, groups, groupSize) {
  let g = groupSize ? Math.floor(channels / groupSize) : Math.min(groups, Math.floor(channels / 2));
  g = Math.max(1, Math.min(g, channels));
  while (channels % g !== 0) g -= 1;
  return g;
}

/** x / max(mean_instance(abs(x)), sigmoid(x)) */
export class Candidate1079 extends tf.layers.Layer {
  static className = 'Candidate1079';

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
      const n0 = tf.sigmoid(x); // n0: sigmoid(x)
      const n1 = tf.abs(x); // n1: abs(x)
      const n2 = tf.mean(tf.broadcastTo(n1, x.shape), [1, 2], true); // n2: mean_instance(abs(x))
      const n6 = tf.maximum(n2, n0); // n6: max(mean_instance(abs(x)), sigmoid(x))
      const n7 = tf.div(x, n6); // n7: x / max(mean_instance(abs(x)), sigmoid(x))
      let y = tf.add(tf.mul(n7, this.weight.read().reshape([1, 1, 1, c])), this.bias.read().reshape([1, 1, 1, c]));
      return tf.broadcastTo(y, x.shape);
    });
  }

  getConfig() {
    return { ...super.getConfig(), eps: this.eps, groups: this.groups, groupSize: this.groupSize, momentum: this.momentum };
  }
}

tf.serialization.registerClass(Candidate1079);
export default Candidate1079;
