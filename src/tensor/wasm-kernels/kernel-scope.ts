/**
 * A scope for composing wasm kernels inside a kernel function: it runs the wasm backend's own
 * registered kernels on TensorInfos, makes free reshaped views, and frees every intermediate.
 *
 * Kernel functions receive and return raw TensorInfos (no engine tensors), so intermediates are
 * released with backend.disposeData rather than tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { runJsKernel } from './js-kernel.js';

type TensorInfo = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;

/** Runs registered 'wasm' kernels and disposes their outputs unless kept. */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(private readonly backend: tf.KernelBackend) {}

  /** Runs the wasm backend's kernel `name`; the result is freed by dispose() unless kept. */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
    const config = tf.getKernel(name, 'wasm');
    if (config === undefined) throw new Error(`wasm kernel ${name} is not registered`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs }) as TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** Runs a plain-JS kernel over the wasm heap (see js-kernel.ts); its outputs are freed by dispose(). */
  js(inputs: TensorInfo[], outShapes: number[][], compute: (ins: Float32Array[], outs: Float32Array[]) => void): TensorInfo[] {
    const outs = runJsKernel(this.backend, 'wasm', inputs, outShapes, compute);
    this.temps.push(...outs);
    return outs;
  }

  /** Makes the scope free `t` (an intermediate made outside run()) on dispose(). */
  adopt(t: TensorInfo): TensorInfo {
    this.temps.push(t);
    return t;
  }

  /** A reshaped view of x sharing its data (valid while x lives; never disposed separately). */
  view(x: TensorInfo, shape: number[]): TensorInfo {
    return { dataId: x.dataId, shape, dtype: x.dtype };
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Pads with zeros where a pad is positive and crops where it is negative. */
  padOrCrop(x: TensorInfo, pads: Array<[number, number]>): TensorInfo {
    let cur = x;
    if (pads.some(([a, b]) => a < 0 || b < 0)) {
      const begin = pads.map(([a]) => Math.max(0, -a));
      const size = x.shape.map((d, i) => d - begin[i]! - Math.max(0, -pads[i]![1]));
      cur = this.run('Slice', { x: cur }, { begin, size });
    }
    if (pads.some(([a, b]) => a > 0 || b > 0)) {
      const paddings = pads.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]);
      cur = this.run('PadV2', { x: cur }, { paddings, constantValue: 0 });
    }
    return cur;
  }

  /** Keeps `out` alive past dispose(); returns it for the engine. */
  keep(out: TensorInfo): TensorInfo {
    const i = this.temps.lastIndexOf(out);
    if (i >= 0) this.temps.splice(i, 1);
    else this.backend.incRef(out.dataId); // a view of an input or of a temp: own a reference
    return out;
  }

  /** Frees every intermediate not kept. */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Runs `body` with a fresh scope, disposing its intermediates afterwards (also on throw). */
export function withScope(backend: object, body: (s: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend as tf.KernelBackend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
