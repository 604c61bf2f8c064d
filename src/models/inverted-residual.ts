/**
 * The inverted residual block of MobileNetV2 (Sandler et al. 2018), and with squeeze-and-
 * excitation the MBConv block of EfficientNet (Tan & Le 2019):
 *
 *   [conv1×1 expand → site]   (skipped when the expansion is 1)
 *   depthwise k×k/stride → site
 *   [squeeze-and-excitation]  (EfficientNet only)
 *   conv1×1 project → affine  (a BN without activation in the originals)
 *   + x when stride is 1 and the channel count is unchanged
 */
import type { NetBuilder, SeActivation } from './builder.js';
import { chain, type FeatureShape, type Op, residual } from './op.js';

export interface InvertedResidualSpec {
  /** Expanded channels = input channels × expansion. */
  readonly expansion: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
  /** Squeeze-and-excitation, if any: bottleneck channels and its activation. */
  readonly se?: { readonly reduced: number; readonly act: SeActivation };
}

/** Builds one inverted residual (MBConv) block; site names are prefixed with `name`. */
export function invertedResidual(b: NetBuilder, input: FeatureShape, spec: InvertedResidualSpec, name: string): Op {
  const ops: Op[] = [];
  let shape = input;
  if (spec.expansion !== 1) {
    const expand = b.conv(shape, input.c * spec.expansion, 1, 1);
    ops.push(expand, b.site(expand.out, `${name}/expand`));
    shape = expand.out;
  }
  const dw = b.depthwise(shape, spec.kernel, spec.stride);
  ops.push(dw, b.site(dw.out, `${name}/depthwise`));
  if (spec.se) ops.push(b.squeezeExcite(dw.out, spec.se.reduced, spec.se.act));
  const project = b.conv(dw.out, spec.outChannels, 1, 1);
  ops.push(project, b.affine(project.out));
  const body = chain(input, ops);
  return spec.stride === 1 && input.c === spec.outChannels ? residual(body, null) : body;
}
