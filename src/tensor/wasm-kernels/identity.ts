/**
 * tfjs-wasm's Identity kernel, sharing the input's data instead of copying it. tfjs's engine runs
 * Identity to clone every tensor a gradient saves (saveTensorsForBackwardMode: a conv's input and
 * filter, a fused BN-ReLU's x and y, …), and tfjs-wasm's Identity copies the whole buffer there:
 * about 5% of a resnet training step. Tensors are immutable and no kernel writes into its inputs
 * (tfjs-wasm's Reshape already shares data the same way, with a reference count), so the clone
 * can share: one more reference to the same heap buffer, freed when the last tensor goes. The
 * cpu backend's Identity shares the same way. With the 'step-calls' family off (or SIMD off) the
 * original copying kernel runs.
 */
import type * as tf from '@tensorflow/tfjs';
import { simdFamilyEnabled } from './simd/simd-module.js';

interface RefCounted {
  incRef(dataId: object): void;
}

/** Wraps tfjs-wasm's Identity (`original`) into the sharing one above. */
export function identityWasm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: tf.TensorInfo }).x;
    if (x.dtype === 'string' || !simdFamilyEnabled('step-calls')) return original(args);
    (args.backend as unknown as RefCounted).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
