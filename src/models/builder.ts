/**
 * NetBuilder: makes the variable-owning layers of a proxy network (convolutions, depthwise
 * convolutions, per-channel affines, norm-activation sites, squeeze-and-excitation, the
 * classifier head), keeps every variable and site it made, and counts multiply-adds per example
 * analytically from the layer shapes as it goes.
 *
 * Multiply-adds count convolutions, depthwise convolutions, SE's 1×1 convolutions and the dense
 * head; element-wise work (affines, activations, residual adds, pooling) and the norm-activation
 * sites are not counted, since a site's cost depends on the candidate layer.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';
import type { NormActFactory, NormActSite } from './types.js';
import { constantVariable, heNormalVariable } from './init.js';
import { type AffineOp, type FeatureShape, type Op, sameOutSize } from './op.js';
import { channelAffine } from '../tensor/wasm-kernels/simd/index.js';

/** Activation used inside squeeze-and-excitation's bottleneck. */
export type SeActivation = 'swish' | 'relu';

export class NetBuilder {
  /** Weight-decayed kernels (convolution and dense weights). */
  private readonly kernelVars: tf.Variable[] = [];
  /** Every other variable the builder made (affine γ/β, biases); sites keep their own. */
  private readonly otherVars: tf.Variable[] = [];
  private readonly siteList: NormActSite[] = [];
  private madds = 0;

  constructor(
    private readonly rng: Rng,
    private readonly normAct: NormActFactory,
  ) {}

  /** A 'same'-padded k×k convolution without bias (a norm or affine follows it). */
  conv(input: FeatureShape, outC: number, k: number, stride: number, bias = false): Op {
    const kernel = this.kernel([k, k, input.c, outC], k * k * input.c);
    const b = bias ? this.other(constantVariable([outC], 0)) : null;
    const out = { h: sameOutSize(input.h, stride), w: sameOutSize(input.w, stride), c: outC };
    this.madds += out.h * out.w * k * k * input.c * outC;
    return {
      out,
      apply: (x) => {
        const y = tf.conv2d(x, kernel as tf.Tensor4D, stride, 'same');
        return b === null ? y : tf.add(y, b);
      },
    };
  }

  /** A 'same'-padded k×k depthwise convolution (channel multiplier 1), no bias. */
  depthwise(input: FeatureShape, k: number, stride: number): Op {
    const kernel = this.kernel([k, k, input.c, 1], k * k);
    const out = { h: sameOutSize(input.h, stride), w: sameOutSize(input.w, stride), c: input.c };
    this.madds += out.h * out.w * k * k * input.c;
    return { out, apply: (x) => tf.depthwiseConv2d(x, kernel as tf.Tensor4D, stride, 'same') };
  }

  /**
   * A plain per-channel affine x·γ + β (γ = 1, β = 0): the paper's BN without activation. One
   * SIMD kernel each way on wasm (channelAffine; the same values as the mul and add it replaces).
   */
  affine(input: FeatureShape): AffineOp {
    const gamma = this.other(constantVariable([input.c], 1));
    const beta = this.other(constantVariable([input.c], 0));
    return { out: input, gamma, beta, apply: (x) => channelAffine(x, gamma, beta) };
  }

  /** A norm-activation site from the factory (where BN-ReLU would stand); `name` is unique. */
  site(input: FeatureShape, name: string): Op {
    const site = this.normAct(input.c, name);
    this.siteList.push(site);
    return { out: input, apply: (x, training) => site.apply(x, training) };
  }

  /**
   * Squeeze-and-excitation: global average pool, 1×1 reduce to `reduced` channels (with bias)
   * and `act`, 1×1 expand back (with bias), sigmoid, and the input scaled by that gate.
   */
  squeezeExcite(input: FeatureShape, reduced: number, act: SeActivation): Op {
    const pooled = { h: 1, w: 1, c: input.c };
    const reduce = this.conv(pooled, reduced, 1, 1, true);
    const expand = this.conv(reduce.out, input.c, 1, 1, true);
    return {
      out: input,
      apply: (x, training) => {
        const s = tf.mean(x, [1, 2], true) as tf.Tensor4D;
        const r = reduce.apply(s, training);
        const a = act === 'swish' ? tf.mul(r, tf.sigmoid(r)) : tf.relu(r);
        return tf.mul(x, tf.sigmoid(expand.apply(a as tf.Tensor4D, training)));
      },
    };
  }

  /** The classifier: global average pool, then a dense layer with bias to `numClasses` logits. */
  head(input: FeatureShape, numClasses: number): (x: tf.Tensor4D) => tf.Tensor2D {
    const weights = this.kernel([input.c, numClasses], input.c);
    const bias = this.other(constantVariable([numClasses], 0));
    this.madds += input.c * numClasses;
    return (x) => tf.add(tf.matMul(tf.mean(x, [1, 2]) as tf.Tensor2D, weights as tf.Tensor2D), bias);
  }

  /** Multiply-adds per example of everything built so far. */
  multiplyAdds(): number {
    return this.madds;
  }

  /** The sites built so far, in build order. */
  sites(): readonly NormActSite[] {
    return this.siteList;
  }

  /** The weight-decayed kernels (convolution and dense weights). */
  kernels(): tf.Variable[] {
    return this.kernelVars.slice();
  }

  /** All trainable variables: the builder's own, then each site's (read fresh from the site). */
  trainableVariables(): tf.Variable[] {
    return [...this.kernelVars, ...this.otherVars, ...this.siteList.flatMap((s) => s.trainableVariables())];
  }

  /** Frees every variable and site built so far. */
  dispose(): void {
    for (const v of [...this.kernelVars, ...this.otherVars]) v.dispose();
    for (const s of this.siteList) s.dispose();
    this.kernelVars.length = 0;
    this.otherVars.length = 0;
    this.siteList.length = 0;
  }

  private kernel(shape: number[], fanIn: number): tf.Variable {
    const v = heNormalVariable(shape, fanIn, this.rng);
    this.kernelVars.push(v);
    return v;
  }

  private other(v: tf.Variable): tf.Variable {
    this.otherVars.push(v);
    return v;
  }
}
