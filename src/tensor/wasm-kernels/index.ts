/**
 * Training kernels the tfjs wasm backend lacks (conv filter/input gradients, depthwise
 * gradients), built from the backend's own fast forward kernels (XNNPACK convolutions).
 */
import * as tf from '@tensorflow/tfjs';
import { convGradOptions } from './conv-geometry.js';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterWasm } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputWasm } from './depthwise-backprop-input.js';
import { conv2dForwardWasm } from './conv2d-forward.js';
import { depthwiseForwardWasm } from './depthwise-forward.js';
import { identityWasm } from './identity.js';

export { convGradOptions, conv2dBackpropFilterWasm, conv2dBackpropInputWasm, depthwiseBackpropFilterWasm, depthwiseBackpropInputWasm };

/** Kernels this module registers for backend 'wasm' (replacing wasm's own where it has one). */
export const WASM_TRAINING_KERNELS: ReadonlyArray<{ kernelName: string; kernelFunc: tf.KernelFunc }> = [
  { kernelName: 'Conv2DBackpropFilter', kernelFunc: conv2dBackpropFilterWasm },
  { kernelName: 'Conv2DBackpropInput', kernelFunc: conv2dBackpropInputWasm },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', kernelFunc: depthwiseBackpropFilterWasm },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', kernelFunc: depthwiseBackpropInputWasm },
];

/**
 * Kernels of tfjs-wasm this module wraps: the wrapper runs a SIMD kernel where one applies and
 * the wrapped (original) kernel otherwise.
 */
export const WASM_WRAPPED_KERNELS: ReadonlyArray<{ kernelName: string; wrap: (original: tf.KernelFunc) => tf.KernelFunc }> = [
  { kernelName: 'Conv2D', wrap: conv2dForwardWasm },
  { kernelName: 'DepthwiseConv2dNative', wrap: depthwiseForwardWasm },
  { kernelName: 'Identity', wrap: identityWasm },
];

let registered = false;

/** Registers the wasm training kernels with tfjs; calling it again does nothing. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const { kernelName, kernelFunc } of WASM_TRAINING_KERNELS) {
    // Unregister first: re-registering an existing kernel makes tfjs print a warning.
    if (tf.getKernel(kernelName, 'wasm') !== undefined) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  for (const { kernelName, wrap } of WASM_WRAPPED_KERNELS) {
    const original = tf.getKernel(kernelName, 'wasm');
    if (original === undefined) continue;
    tf.unregisterKernel(kernelName, 'wasm');
    // The original's setupFunc binds its wasm function when a backend instance initialises.
    tf.registerKernel({ ...original, kernelFunc: wrap(original.kernelFunc) });
  }
  registered = true;
}

export { evonormS0, registerEvonormS0, simdEvonormS0Active } from './evonorm-s0.js';
export { bnReluTrain, registerBnRelu, simdBnReluActive } from './bn-relu.js';
