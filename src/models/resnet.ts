/**
 * A scaled-down ResNet (He et al. 2016), the paper's ResNet-50 proxy:
 *
 *   stem: conv3×3/2 → site
 *   stage i (stride 1, 2, 2, …; widths base·2^i·width):
 *     basic block:      conv3×3 → site → conv3×3 → affine           (+ shortcut)
 *     bottleneck block: conv1×1 → site → conv3×3 → site → conv1×1(×4) → affine (+ shortcut)
 *     shortcut: identity, or conv1×1/stride → affine when the shape changes
 *     after the add: ReLU (ResNet v1) or nothing (`postAddActivation`)
 *   head: global average pool → dense
 *
 * As in the paper, the last convolution of each residual branch gets a plain per-channel affine,
 * not a norm-activation site (a BN there has no activation after it).
 */
import * as tf from '@tensorflow/tfjs';
import type { NetBuilder } from './builder.js';
import { chain, type FeatureShape, type Op, residual } from './op.js';
import { buildProxyModel, type ModelOptions, type ProxyModel } from './proxy-model.js';
import { scaleChannels, scaleDepth, withDefaults } from './scale.js';
import { RESNET_DEFAULTS, type ResNetExtras } from './networks.js';

export { RESNET_DEFAULTS, type ResNetExtras };

/** Output channels of a bottleneck block relative to its inner width (as in ResNet-50). */
const BOTTLENECK_EXPANSION = 4;

export type ResNetOptions = ModelOptions & Partial<ResNetExtras>;

/** Builds the scaled-down ResNet described above. */
export function resnet(options: ResNetOptions): ProxyModel {
  const o = withDefaults(RESNET_DEFAULTS, options);
  return buildProxyModel('resnet', options, (b, input) => {
    const ops: Op[] = [];
    const stem = b.conv(input, scaleChannels(o.baseChannels, o.width), 3, 2);
    ops.push(stem, b.site(stem.out, 'stem'));
    let shape = stem.out;
    o.stageBlocks.forEach((n, i) => {
      const inner = scaleChannels(o.baseChannels * 2 ** i, o.width);
      for (let j = 0; j < scaleDepth(n, o.depth); j++) {
        const stride = i > 0 && j === 0 ? 2 : 1;
        const name = `stage${i + 1}/block${j + 1}`;
        const block = residualBlock(b, shape, inner, stride, name, o);
        ops.push(block);
        shape = block.out;
      }
    });
    return chain(input, ops);
  });
}

/** One basic or bottleneck block with its shortcut. */
function residualBlock(
  b: NetBuilder,
  input: FeatureShape,
  inner: number,
  stride: number,
  name: string,
  o: ResNetExtras,
): Op {
  const branch: Op[] = [];
  if (o.block === 'basic') {
    const c1 = b.conv(input, inner, 3, stride);
    const c2 = b.conv(c1.out, inner, 3, 1);
    branch.push(c1, b.site(c1.out, `${name}/conv1`), c2, b.affine(c2.out));
  } else {
    const c1 = b.conv(input, inner, 1, 1);
    const c2 = b.conv(c1.out, inner, 3, stride);
    const c3 = b.conv(c2.out, inner * BOTTLENECK_EXPANSION, 1, 1);
    branch.push(c1, b.site(c1.out, `${name}/conv1`), c2, b.site(c2.out, `${name}/conv2`), c3, b.affine(c3.out));
  }
  const body = chain(input, branch);
  const sameShape = stride === 1 && input.c === body.out.c;
  let shortcut: Op | null = null;
  if (!sameShape) {
    const proj = b.conv(input, body.out.c, 1, stride);
    shortcut = chain(input, [proj, b.affine(proj.out)]);
  }
  return residual(body, shortcut, o.postAddActivation === 'relu' ? (x) => tf.relu(x) : undefined);
}
