/**
 * A scaled-down ResNet (He et al. 2016), the paper's ResNet-50 proxy:
 *
 *   stem: conv3×3/2 → site
 *   stage i (stride 1, 2, 2, …; widths base·2^i·width):
 *     basic block:      conv3×3 → site → conv3×3 → affine           (+ shortcut)
 *     bottleneck block: conv1×1 → site → conv3×3 → site → conv1×1(×4) → affine (+ shortcut)
 *     shortcut: identity, or conv1×1/stride → affine when the shape changes
 *     after the add: ReLU (ResNet v1) or nothing (`postAddActivation`)
 *     (the two affines, the add and the ReLU run as one residual join: op.ts affineResidual)
 *   head: global average pool → dense
 *
 * As in the paper, the last convolution of each residual branch gets a plain per-channel affine,
 * not a norm-activation site (a BN there has no activation after it).
 */
import type { NetBuilder } from './builder.js';
import { affineResidual, chain, type FeatureShape, type Op } from './op.js';
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

/**
 * One basic or bottleneck block with its shortcut. The branch's and the shortcut's closing affines
 * and the add (and ReLU) form one residual join (affineResidual); the variables are made in the
 * same order as chaining them would (convolutions, then each affine after its convolution).
 */
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
    branch.push(c1, b.site(c1.out, `${name}/conv1`), c2);
  } else {
    const c1 = b.conv(input, inner, 1, 1);
    const c2 = b.conv(c1.out, inner, 3, stride);
    const c3 = b.conv(c2.out, inner * BOTTLENECK_EXPANSION, 1, 1);
    branch.push(c1, b.site(c1.out, `${name}/conv1`), c2, b.site(c2.out, `${name}/conv2`), c3);
  }
  const body = chain(input, branch);
  const bodyAffine = b.affine(body.out);
  const sameShape = stride === 1 && input.c === body.out.c;
  if (sameShape) return affineResidual(body, bodyAffine, null, null, o.postAddActivation === 'relu');
  const proj = b.conv(input, body.out.c, 1, stride);
  return affineResidual(body, bodyAffine, proj, b.affine(proj.out), o.postAddActivation === 'relu');
}
