/**
 * One proxy network's training step as src/train/train.ts runs it (batch 64, label smoothing 0.1,
 * SGD Nesterov momentum 0.9, weight decay 5e-4 on kernels, MNIST batches), for the speed scripts
 * (scripts/bench-proxies.ts, scripts/bench-profile.ts), with the kernel variants they compare,
 * and the thread CPU clock they measure with.
 *
 * A layer name "<name>/<variant>" picks a variant (switches set before every step, since the
 * scripts interleave nets of different variants):
 *   ops         the layer op by op, without its fused kernel
 *   before      without issue 11's kernels (fused BN-ReLU, fused SGD step, 1×1 conv gradients)
 *   conv-old    without the 1×1 conv gradient paths only
 *   nosimd      every SIMD wasm kernel off (as EVONORM_SIMD=0)
 *   nosimd2     the second batch of SIMD kernels off (issue 18, session 2: the 'conv' and
 *               'evonorm-s0' families), the first batch on: the kernels of main before it
 *   nosimd3     the third batch off (issue 18, session 3: the 'graph-ops' family), the rest on
 *   nosimd4     the fourth off (issue 18, session 4: the 'step-calls' family, fewer calls per step)
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../src/data/index.js';
import type { LayerGraph } from '../src/graph/types.js';
import { ModelConfigSchema } from '../src/models/config.js';
import type { ProxyModel } from '../src/models/proxy-model.js';
import { buildModel } from '../src/models/registry.js';
import { graphNormAct } from '../src/tensor/norm-act.js';
import { convGradOptions } from '../src/tensor/wasm-kernels/index.js';
import { SIMD_FAMILIES, setSimdEnabled, setSimdFamilyEnabled, type SimdFamily } from '../src/tensor/wasm-kernels/simd/index.js';
import { BatchSampler, channelStats, crossEntropy, makeBatch, MomentumSgd } from '../src/train/index.js';
import { Rng } from '../src/util/rng.js';

export const BATCH = 64;
export const LR = 0.05;
export const SGD = { momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
export const SMOOTHING = 0.1;
export const VARIANTS = ['ops', 'before', 'conv-old', 'nosimd', 'nosimd2', 'nosimd3', 'nosimd4'] as const;
/** The SIMD families each /nosimdN variant turns off. */
const FAMILIES_OFF: Readonly<Record<string, readonly SimdFamily[]>> = { nosimd2: ['conv', 'evonorm-s0'], nosimd3: ['graph-ops'], nosimd4: ['step-calls'] };

/** A built tfjs network with its optimizer and batch sampler, reused across repetitions. */
export interface TfjsNet {
  readonly model: ProxyModel;
  readonly sgd: MomentumSgd;
  /** Sets the variant's switches (step() does it too). */
  select(): void;
  /** One training step; returns the loss. */
  step(): number;
  dispose(): void;
}

/** The net of `arch` with `graph` at its sites; `name` is the layer name with its variant. */
export function tfjsNet(dataset: ImageDataset, arch: string, name: string, graph: LayerGraph): TfjsNet {
  const [base, variant] = name.split('/');
  if (variant !== undefined && !(VARIANTS as readonly string[]).includes(variant)) throw new Error(`unknown variant /${variant} (known: ${VARIANTS.join(', ')})`);
  const rng = Rng.fromSeed('bench-proxies').child(`${arch}/${base}`);
  const normAct = graphNormAct(graph);
  const model = buildModel(ModelConfigSchema.parse({ arch }), [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, rng.child('init'));
  if (variant === 'ops' || (variant === 'before' && base === 'bn-relu')) for (const l of normAct.layers) l.useFusedKernels = false;
  const vars = model.trainableVariables();
  const sgd = new MomentumSgd(vars, model.kernels(), SGD);
  if (variant === 'before') sgd.useFusedKernel = false;
  const sampler = new BatchSampler(dataset.train.count, rng.child('batches'));
  const stats = channelStats(dataset.train, dataset.channels);
  const select = (): void => {
    convGradOptions.unpadded1x1 = variant !== 'before' && variant !== 'conv-old';
    setSimdEnabled(variant !== 'nosimd');
    for (const f of SIMD_FAMILIES) setSimdFamilyEnabled(f, !(FAMILIES_OFF[variant ?? '']?.includes(f) ?? false));
  };
  const step = (): number => {
    const indices = sampler.next(BATCH);
    select();
    return tf.tidy(() => {
      const batch = makeBatch(dataset.train, indices, model.inputShape, stats);
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(batch.images, true), batch.labels, SMOOTHING), vars);
      sgd.apply(grads, LR);
      return (value as tf.Scalar).dataSync()[0]!;
    });
  };
  return {
    model, sgd, select, step,
    dispose: () => {
      sgd.dispose();
      model.dispose();
    },
  };
}

/**
 * CPU time of this thread in ns (Linux: /proc/thread-self/schedstat, its first field; NaN
 * elsewhere). src/util/thread-cpu.ts reads /proc/thread-self/stat, whose 10 ms ticks are too
 * coarse for runs of a few hundred ms.
 */
export function threadCpuNs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}
