/**
 * Runs a kernel written in plain JS over Float32Arrays on the wasm or cpu backend without
 * copies: on wasm the arrays are views of the wasm heap, on cpu the backend's own arrays.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}
interface CpuLike {
  data: { get(id: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/**
 * Computes `outShapes.length` float32 outputs from float32 inputs with `compute`.
 * @param backendName 'wasm' or 'cpu': how to reach the backend's memory
 */
export function runJsKernel(
  backend: object,
  backendName: 'wasm' | 'cpu',
  inputs: tf.TensorInfo[],
  outShapes: number[][],
  compute: (ins: Float32Array[], outs: Float32Array[]) => void,
): tf.TensorInfo[] {
  for (const t of inputs) if (t.dtype !== 'float32') throw new Error(`JS kernel needs float32 inputs, got ${t.dtype}`);
  if (backendName === 'wasm') {
    const b = backend as WasmLike;
    // Allocate every output before taking views: a malloc may grow (and detach) the heap.
    const outs = outShapes.map((shape) => b.makeOutput(shape, 'float32'));
    compute(inputs.map((t) => b.typedArrayFromHeap(t)), outs.map((t) => b.typedArrayFromHeap(t)));
    return outs;
  }
  const b = backend as CpuLike;
  const ins = inputs.map((t) => b.data.get(t.dataId).values as Float32Array);
  const outs = outShapes.map((shape) => new Float32Array(shape.reduce((a, d) => a * d, 1)));
  compute(ins, outs);
  return outs.map((values, i) => b.makeTensorInfo(outShapes[i]!, 'float32', values));
}
