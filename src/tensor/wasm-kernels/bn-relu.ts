/**
 * A fused BN-ReLU op for training mode, with its own forward and gradient kernels on wasm and
 * cpu: a few JS passes over the heap instead of ~40 tfjs kernels per site (forward, backward and
 * the moving-average bookkeeping), which dominated the bn-relu proxies on wasm (ISSUE 11).
 *
 *   mean_c, var_c over (n, h, w) of channel c  (biased variance, float64 sums)
 *   r_c = 1/√(var_c + eps),  x̂ = (x − mean_c)·r_c,  y = max(x̂·γ + β, 0)
 * Backward (M = n·h·w, dz = dy·[y > 0]):
 *   dβ = Σ dz,  dγ = Σ dz·x̂,  dx = γ·r/M · (M·dz − Σ dz − x̂·Σ dz·x̂)
 *
 * The op returns [y, mean [C], var [C]]; the caller updates moving averages from mean and var
 * (no gradient flows into them, as in GraphLayer's batch aggregations). Two outputs rather than
 * one [2, C] tensor: unstacking it cost an Unpack call per site.
 *
 * Given the moving averages as inputs too (movingMean, movingVar, any shape of C elements, and
 * attr momentum μ), the same call also returns them updated, [y, mean, var, μ·m + (1 − μ)·mean,
 * μ·v + (1 − μ)·var] in float32 with the roundings of the op-by-op mul, mul, add: one call per site
 * instead of 1 + 8 (two reshapes, four multiplies, two adds; issue 18, session 4).
 */
import * as tf from '@tensorflow/tfjs';
import { runJsKernel } from './js-kernel.js';
import { reshapeIfNeeded } from './reshape-if-needed.js';
import { simdKernels } from './simd/index.js';

export const BN_RELU = 'BatchNormReluTrain';
export const BN_RELU_GRAD = 'BatchNormReluTrainGrad';

interface Dims {
  m: number; // n·h·w
  c: number;
  eps: number;
}

function dims(x: tf.TensorInfo, eps: number): Dims {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  return { m: n * h * w, c, eps };
}

// Each pass is its own small function with every array allocated before it: V8 then optimises
// whole, fully-profiled loops (one big function with several loops was compiled on-stack mid-way
// and deoptimised at every call on reaching its later, never-run parts: 1 → 10–20 ms per call).

/** sum[k] = Σ_rows x[row·c + k]. */
function channelSums(x: Float32Array, m: number, c: number, sum: Float64Array): void {
  for (let o = 0; o < m * c; o += c) for (let k = 0; k < c; k++) sum[k] = sum[k]! + x[o + k]!;
}

/** sq[k] = Σ_rows (x[row·c + k] − mean[k])². */
function channelSquares(x: Float32Array, mean: Float64Array, m: number, c: number, sq: Float64Array): void {
  for (let o = 0; o < m * c; o += c) {
    for (let k = 0; k < c; k++) {
      const e = x[o + k]! - mean[k]!;
      sq[k] = sq[k]! + e * e;
    }
  }
}

/** y = max(x·scale + shift, 0) per channel. */
function affineRelu(x: Float32Array, scale: Float64Array, shift: Float64Array, m: number, c: number, y: Float32Array): void {
  for (let o = 0; o < m * c; o += c) {
    for (let k = 0; k < c; k++) {
      const z = x[o + k]! * scale[k]! + shift[k]!;
      y[o + k] = z > 0 ? z : 0;
    }
  }
}

/** dz = dy where y > 0, else 0 (into dz); sdz[k] = Σ dz, sdzx[k] = Σ dz·(x − mean). */
function maskedSums(dy: Float32Array, x: Float32Array, y: Float32Array, mean: Float64Array, m: number, c: number, dz: Float32Array, sdz: Float64Array, sdzx: Float64Array): void {
  for (let o = 0; o < m * c; o += c) {
    for (let k = 0; k < c; k++) {
      const g = y[o + k]! > 0 ? dy[o + k]! : 0;
      dz[o + k] = g;
      sdz[k] = sdz[k]! + g;
      sdzx[k] = sdzx[k]! + g * (x[o + k]! - mean[k]!);
    }
  }
}

/** dx = a·dz − b − e·x per channel, in place over dz. */
function inputGrad(dz: Float32Array, x: Float32Array, a: Float64Array, b: Float64Array, e: Float64Array, m: number, c: number): void {
  for (let o = 0; o < m * c; o += c) {
    for (let k = 0; k < c; k++) dz[o + k] = a[k]! * dz[o + k]! - b[k]! - e[k]! * x[o + k]!;
  }
}

/** batch mean and var per channel; y = relu((x − mean)·r·γ + β). */
export function bnReluForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, d: Dims, y: Float32Array, meanOut: Float32Array, varOut: Float32Array): void {
  const { m, c } = d;
  const sum = new Float64Array(c);
  const mean = new Float64Array(c);
  const sq = new Float64Array(c);
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  channelSums(x, m, c, sum);
  for (let k = 0; k < c; k++) mean[k] = sum[k]! / m;
  channelSquares(x, mean, m, c, sq);
  for (let k = 0; k < c; k++) {
    const v = sq[k]! / m;
    meanOut[k] = mean[k]!;
    varOut[k] = v;
    const r = 1 / Math.sqrt(v + d.eps);
    scale[k] = r * gamma[k]!;
    shift[k] = beta[k]! - mean[k]! * r * gamma[k]!;
  }
  affineRelu(x, scale, shift, m, c, y);
}

/** dx, dγ, dβ from dy, x, y (for the ReLU mask), γ and the forward's batch mean and var. */
export function bnReluBackward(
  dy: Float32Array, x: Float32Array, y: Float32Array, gamma: Float32Array, batchMean: Float32Array, batchVar: Float32Array, d: Dims,
  dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
): void {
  const { m, c } = d;
  const mean = new Float64Array(c);
  const sdz = new Float64Array(c);
  const sdzx = new Float64Array(c);
  const a = new Float64Array(c); // γ·r
  const b = new Float64Array(c); // γ·r/M·Σdz − mean·e
  const e = new Float64Array(c); // γ·r³/M·Σdz·(x − mean)
  for (let k = 0; k < c; k++) mean[k] = batchMean[k]!;
  maskedSums(dy, x, y, mean, m, c, dx, sdz, sdzx);
  for (let k = 0; k < c; k++) {
    const rk = 1 / Math.sqrt(batchVar[k]! + d.eps);
    dbeta[k] = sdz[k]!;
    dgamma[k] = sdzx[k]! * rk;
    a[k] = gamma[k]! * rk;
    e[k] = (gamma[k]! * rk * rk * rk * sdzx[k]!) / m;
    b[k] = (gamma[k]! * rk * sdz[k]!) / m - mean[k]! * e[k]!;
  }
  inputGrad(dx, x, a, b, e, m, c);
}

/**
 * out = μ·old + (1 − μ)·batch per element, rounded as tfjs's float32 mul(old, μ), mul(batch, 1 − μ)
 * and add (a float32 product or sum computed in float64 and rounded once is the float32 result).
 */
export function movingAverage(old: Float32Array, batch: Float32Array, momentum: number, out: Float32Array): void {
  const mu = Math.fround(momentum);
  const rest = Math.fround(1 - momentum);
  for (let k = 0; k < out.length; k++) out[k] = Math.fround(Math.fround(old[k]! * mu) + Math.fround(batch[k]! * rest));
}

interface ForwardAttrs {
  eps: number;
  /** Set when the moving averages are inputs (movingMean, movingVar) to update. */
  momentum?: number;
}

function forwardFor(backendName: 'wasm' | 'cpu'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, gamma, beta, movingMean, movingVar } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo> & Partial<Record<'movingMean' | 'movingVar', tf.TensorInfo>>;
    const { eps, momentum } = attrs as unknown as ForwardAttrs;
    const d = dims(x, eps);
    const moving = movingMean !== undefined && movingVar !== undefined && momentum !== undefined ? { mean: movingMean, variance: movingVar, momentum } : undefined;
    const simd = backendName === 'wasm' ? simdKernels(backend) : undefined;
    if (simd !== undefined) {
      // Every allocation before the call (a malloc may grow the heap; offsets stay valid).
      const outs = [simd.output(x.shape), simd.output([d.c]), simd.output([d.c])];
      if (moving) outs.push(simd.output(moving.mean.shape), simd.output(moving.variance.shape));
      const scratch = simd.scratch(simd.k.scratch_bytes(d.c));
      const [y, mean, variance] = outs.map((t) => simd.ptr(t));
      simd.k.bn_relu_forward(simd.ptr(x), simd.ptr(gamma), simd.ptr(beta), d.m, d.c, d.eps, y!, mean!, variance!, scratch);
      if (moving) {
        const mu = Math.fround(moving.momentum);
        const rest = Math.fround(1 - moving.momentum);
        simd.k.moving_average(simd.ptr(moving.mean), mean!, d.c, mu, rest, simd.ptr(outs[3]!));
        simd.k.moving_average(simd.ptr(moving.variance), variance!, d.c, mu, rest, simd.ptr(outs[4]!));
      }
      return outs;
    }
    if (moving) {
      return runJsKernel(
        backend, backendName, [x, gamma, beta, moving.mean, moving.variance], [x.shape, [d.c], [d.c], moving.mean.shape, moving.variance.shape],
        ([xa, ga, ba, mm, mv], [ya, mo, vo, mmo, mvo]) => {
          bnReluForward(xa!, ga!, ba!, d, ya!, mo!, vo!);
          movingAverage(mm!, mo!, moving.momentum, mmo!);
          movingAverage(mv!, vo!, moving.momentum, mvo!);
        });
    }
    return runJsKernel(backend, backendName, [x, gamma, beta], [x.shape, [d.c], [d.c]], ([xa, ga, ba], [ya, mo, vo]) =>
      bnReluForward(xa!, ga!, ba!, d, ya!, mo!, vo!));
  };
}

function backwardFor(backendName: 'wasm' | 'cpu'): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, x, y, gamma, mean, variance } = inputs as Record<'dy' | 'x' | 'y' | 'gamma' | 'mean' | 'variance', tf.TensorInfo>;
    const d = dims(x, (attrs as unknown as { eps: number }).eps);
    const simd = backendName === 'wasm' ? simdKernels(backend) : undefined;
    if (simd !== undefined) {
      const outs = [simd.output(x.shape), simd.output([d.c]), simd.output([d.c])];
      const scratch = simd.scratch(simd.k.scratch_bytes(d.c));
      const [dx, dgamma, dbeta] = outs.map((t) => simd.ptr(t));
      const p = (t: tf.TensorInfo): number => simd.ptr(t);
      simd.k.bn_relu_backward(p(dy), p(x), p(y), p(gamma), p(mean), p(variance), d.m, d.c, d.eps, dx!, dgamma!, dbeta!, scratch);
      return outs;
    }
    return runJsKernel(backend, backendName, [dy, x, y, gamma, mean, variance], [x.shape, [d.c], [d.c]], ([g, xa, ya, ga, ma, va], [dx, dga, db]) =>
      bnReluBackward(g!, xa!, ya!, ga!, ma!, va!, d, dx!, dga!, db!));
  };
}

/**
 * Whether the fused BN-ReLU runs as SIMD wasm on the active backend. Its SIMD passes beat the
 * op-by-op layer at every site size measured (scripts/bench-simd.ts), so GraphLayer then uses it
 * whatever the size, not only up to BN_RELU_MAX_SIZE (the JS kernel's limit).
 */
export function simdBnReluActive(): boolean {
  return tf.getBackend() === 'wasm' && simdKernels(tf.backend()) !== undefined;
}

let registered = false;

/** Registers the fused BN-ReLU kernels (wasm and cpu) and its gradient; idempotent. */
export function registerBnRelu(): void {
  if (registered) return;
  const configs: tf.KernelConfig[] = [
    { kernelName: BN_RELU, backendName: 'wasm', kernelFunc: forwardFor('wasm') },
    { kernelName: BN_RELU, backendName: 'cpu', kernelFunc: forwardFor('cpu') },
    { kernelName: BN_RELU_GRAD, backendName: 'wasm', kernelFunc: backwardFor('wasm') },
    { kernelName: BN_RELU_GRAD, backendName: 'cpu', kernelFunc: backwardFor('cpu') },
  ];
  for (const k of configs) if (tf.getKernel(k.kernelName, k.backendName) === undefined) tf.registerKernel(k);
  if (tf.getGradient(BN_RELU) === undefined) {
    tf.registerGradient({
      kernelName: BN_RELU,
      inputsToSave: ['x', 'gamma', 'beta'],
      outputsToSave: [true, true, true],
      gradFunc: (dy, saved, attrs) => {
        const [x, gamma, beta, y, mean, variance] = saved as tf.Tensor[];
        const [dx, dgamma, dbeta] = tf.engine().runKernel(
          BN_RELU_GRAD, { dy: (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor, x: x!, y: y!, gamma: gamma!, mean: mean!, variance: variance! }, attrs,
        ) as tf.Tensor[];
        return {
          x: () => dx!,
          gamma: () => reshapeIfNeeded(dgamma!, gamma!.shape),
          beta: () => reshapeIfNeeded(dbeta!, beta!.shape),
        };
      },
    });
  }
  registered = true;
}

/** The moving averages bnReluTrain updates in the same call (see the module comment). */
export interface BnReluMoving {
  /** Moving mean and variance, C elements each (any shape; the updated values keep it). */
  readonly mean: tf.Tensor;
  readonly variance: tf.Tensor;
  /** μ of μ·moving + (1 − μ)·batch. */
  readonly momentum: number;
}

/**
 * BN-ReLU of an NHWC tensor with batch statistics (training mode): max((x − μ)/√(σ² + eps)·γ + β, 0),
 * μ, σ² per channel over (n, h, w). Returns y and the batch mean and (biased) variance [C]
 * for the caller's moving averages (they carry no gradient); with `moving`, also those moving
 * averages updated from them (`movingMean`, `movingVariance`, for the caller to assign).
 * @param gamma @param beta per-channel parameters with C elements (any shape)
 */
export function bnReluTrain(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5, moving?: BnReluMoving): {
  y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D; movingMean?: tf.Tensor; movingVariance?: tf.Tensor;
} {
  const c = x.shape[3];
  for (const p of [gamma, beta, ...(moving ? [moving.mean, moving.variance] : [])]) if (p.size !== c) throw new Error(`bnReluTrain: parameter of size ${p.size}, want ${c}`);
  registerBnRelu();
  if (moving) {
    const inputs = { x, gamma, beta, movingMean: moving.mean, movingVar: moving.variance };
    const [y, mean, variance, movingMean, movingVariance] = tf.engine().runKernel(BN_RELU, inputs, { eps, momentum: moving.momentum } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D, movingMean: movingMean!, movingVariance: movingVariance! };
  }
  const [y, mean, variance] = tf.engine().runKernel(BN_RELU, { x, gamma, beta }, { eps } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
