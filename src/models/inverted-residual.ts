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
import { affineResidual, chain, type FeatureShape, type Op } from './op.js';
import { scaleChannels, scaleDepth } from './scale.js';

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
  ops.push(project);
  const affine = b.affine(project.out);
  // With the identity shortcut, the closing affine and the add run as one residual join.
  if (spec.stride === 1 && input.c === spec.outChannels) return affineResidual(chain(input, ops), affine, null, null, false);
  return chain(input, [...ops, affine]);
}

/** One stage of an inverted-residual network at width = depth = 1. */
export interface InvertedResidualStage {
  /** Expansion of its blocks; null takes the network's configured expansion. */
  readonly expand: number | null;
  readonly kernel: number;
  readonly channels: number;
  readonly blocks: number;
  /** Stride of the stage's first block (the others use 1). */
  readonly stride: number;
}

export interface InvertedResidualBodySpec {
  readonly stemChannels: number;
  readonly headChannels: number;
  readonly expansion: number;
  readonly width: number;
  readonly depth: number;
  readonly stages: readonly InvertedResidualStage[];
  /** Squeeze-and-excitation of a block given its input channels (EfficientNet), or none. */
  readonly se?: (inChannels: number) => InvertedResidualSpec['se'];
}

/**
 * The body MobileNetV2 and EfficientNet share: conv3×3/2 stem → site, the stages of inverted
 * residual blocks (scaled by width and depth), conv1×1 head → site.
 */
export function invertedResidualBody(b: NetBuilder, input: FeatureShape, spec: InvertedResidualBodySpec): Op {
  const stem = b.conv(input, scaleChannels(spec.stemChannels, spec.width), 3, 2);
  const ops: Op[] = [stem, b.site(stem.out, 'stem')];
  let shape = stem.out;
  spec.stages.forEach((stage, i) => {
    for (let j = 0; j < scaleDepth(stage.blocks, spec.depth); j++) {
      const block = invertedResidual(b, shape, {
        expansion: stage.expand ?? spec.expansion,
        outChannels: scaleChannels(stage.channels, spec.width),
        kernel: stage.kernel,
        stride: j === 0 ? stage.stride : 1,
        se: spec.se?.(shape.c),
      }, `stage${i + 1}/block${j + 1}`);
      ops.push(block);
      shape = block.out;
    }
  });
  const head = b.conv(shape, scaleChannels(spec.headChannels, spec.width), 1, 1);
  ops.push(head, b.site(head.out, 'head'));
  return chain(input, ops);
}
