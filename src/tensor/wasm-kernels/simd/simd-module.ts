/**
 * Loads the SIMD kernel module (wasm/simd/kernels.ts, built into module-bytes.ts) once per
 * tfjs-wasm backend instance, importing that backend's own WebAssembly.Memory so the kernels
 * read and write tensors in place at their heap offsets (backend.getMemoryOffset(dataId)).
 *
 * Memory growth: a malloc (a new output, the scratch) may grow the heap. The Memory object stays
 * the same and offsets stay valid, so the module needs nothing; only JS typed-array views detach,
 * and none are kept here. Callers allocate every output and the scratch before calling a kernel.
 *
 * Off when EVONORM_SIMD=0 (or setSimdEnabled(false)), when the engine lacks WebAssembly SIMD, or
 * when the backend's memory cannot be reached; the JS kernels then run as before.
 */
import type * as tf from '@tensorflow/tfjs';
import { SIMD_WASM_BASE64 } from './module-bytes.js';

/** The module's exports (pointers are byte offsets into tfjs's heap; see wasm/simd/kernels.ts). */
interface SimdExports {
  channel_sum(x: number, m: number, c: number, out: number, scratch: number): void;
  sum_middle(x: number, outer: number, p: number, inner: number, out: number, scratch: number): void;
  bn_relu_forward(x: number, gamma: number, beta: number, m: number, c: number, eps: number, y: number, mean: number, variance: number, scratch: number): void;
  bn_relu_backward(
    dy: number, x: number, y: number, gamma: number, mean: number, variance: number, m: number, c: number, eps: number,
    dx: number, dgamma: number, dbeta: number, scratch: number,
  ): void;
  scratch_bytes(c: number): number;
  moving_average(old: number, batch: number, n: number, mu: number, rest: number, out: number): void;
  evonorm_s0_forward(
    x: number, v1: number, gamma: number, beta: number, n: number, hw: number, c: number, groups: number, eps: number,
    y: number, s: number, stats: number, scratch: number,
  ): void;
  evonorm_s0_backward(
    dy: number, x: number, s: number, v1: number, gamma: number, stats: number, n: number, hw: number, c: number, groups: number,
    dx: number, dv1: number, dgamma: number, dbeta: number, scratch: number,
  ): void;
  evonorm_s0_scratch_bytes(c: number): number;
  moments_middle(x: number, outer: number, p: number, inner: number, invCount: number, mean: number, variance: number, scratch: number): void;
  maxmin_forward(a: number, b: number, outer: number, p: number, inner: number, aSmall: number, bSmall: number, isMin: number, y: number): void;
  maxmin_backward(
    a: number, b: number, dy: number, outer: number, p: number, inner: number, aSmall: number, bSmall: number, isMin: number,
    da: number, db: number, scratch: number,
  ): void;
  maxmin_scratch_bytes(p: number, inner: number): number;
  signed_unary_forward(x: number, n: number, eps: number, op: number, signed: number, y: number): void;
  signed_unary_backward(x: number, dy: number, n: number, eps: number, op: number, signed: number, dx: number): void;
  sgd_step(w: number, v: number, g: number, n: number, lr: number, mu: number, nesterov: number, l2: number, dec: number, wOut: number, vOut: number): void;
  moments_middle_grad(x: number, mean: number, dstat: number, outer: number, p: number, inner: number, scale: number, dx: number, scratch: number): void;
  affine_forward(x: number, gamma: number, beta: number, m: number, c: number, y: number): void;
  residual_forward(x: number, gamma: number, beta: number, s: number, sgamma: number, sbeta: number, m: number, c: number, skipAffine: number, relu: number, y: number): void;
  residual_backward(
    dy: number, x: number, gamma: number, beta: number, s: number, sgamma: number, sbeta: number, m: number, c: number, skipAffine: number, relu: number,
    dx: number, dgamma: number, dbeta: number, ds: number, dsgamma: number, dsbeta: number, scratch: number,
  ): void;
  affine_backward(dy: number, x: number, gamma: number, m: number, c: number, dx: number, dgamma: number, dbeta: number, scratch: number): void;
  affine_backward_rows(dy: number, x: number, gamma: number, m: number, c: number, dx: number, dgamma: number, dbeta: number, scratch: number): void;
  conv2d_filter_grad(
    x: number, dy: number, n: number, h: number, w: number, ci: number, oh: number, ow: number, co: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, dW: number, scratch: number,
  ): void;
  conv2d_input_grad(
    dy: number, w: number, n: number, h: number, wd: number, ci: number, oh: number, ow: number, co: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, dx: number, wt: number,
  ): void;
  depthwise_filter_grad(
    x: number, dy: number, n: number, h: number, w: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, dW: number, scratch: number,
  ): void;
  depthwise_input_grad(
    dy: number, w: number, n: number, h: number, wd: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, dx: number,
  ): void;
  conv2d_forward(
    x: number, w: number, n: number, h: number, wd: number, ci: number, oh: number, ow: number, co: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, out: number, zeros: number,
  ): void;
  depthwise_forward(
    x: number, w: number, n: number, h: number, wd: number, c: number, oh: number, ow: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number, out: number,
  ): void;
}

/** The few WebAssembly JS API members used here (the project's lib settings omit its types). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface WasmBackendLike {
  wasm: { asm?: { memory?: object }; wasmExports?: { memory?: object }; _malloc(n: number): number; _free(p: number): void };
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** The SIMD kernels bound to one wasm backend. */
export class SimdKernels {
  private scratchPtr = 0;
  private scratchSize = 0;

  constructor(private readonly backend: WasmBackendLike, readonly k: SimdExports) {}

  /** Byte offset of a float32 tensor's data in the heap. */
  ptr(t: tf.TensorInfo): number {
    if (t.dtype !== 'float32') throw new Error(`SIMD kernel needs float32, got ${t.dtype}`);
    return this.backend.getMemoryOffset(t.dataId) >>> 0;
  }

  /** A new float32 output tensor on the heap (allocate all before taking pointers into a kernel call). */
  output(shape: number[]): tf.TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  /** A scratch area of at least `bytes` bytes, 16-aligned, reused across calls (grown by free + malloc). */
  scratch(bytes: number): number {
    if (bytes > this.scratchSize) {
      if (this.scratchPtr !== 0) this.backend.wasm._free(this.scratchPtr);
      const size = Math.max(bytes, 2 * this.scratchSize, 4096);
      this.scratchPtr = this.backend.wasm._malloc(size + 16) >>> 0;
      if (this.scratchPtr === 0) throw new Error(`SIMD scratch: malloc(${size}) failed`);
      this.scratchSize = size;
    }
    return (this.scratchPtr + 15) & ~15;
  }
}

let enabled = process.env.EVONORM_SIMD !== '0';

/**
 * Families of SIMD kernels that can be turned off alone, to compare them with the paths they
 * replace: 'conv' (Conv2D, its two gradients, the three depthwise kernels), 'evonorm-s0' (the
 * fused EvoNorm-S0 at every size), 'graph-ops' (mean and variance over instance, batch or layer of
 * graph layers, max and min with a broadcast statistic, log and sqrt with sign⁺, and their gradients; issue 18,
 * session 3), 'step-calls' (fewer kernel calls per training step, issue 18, session 4: the moving
 * averages folded into the fused BN-ReLU call, the residual join affine + add + ReLU as one call
 * each way). EVONORM_SIMD_OFF=conv,evonorm-s0 turns them off at start.
 */
export const SIMD_FAMILIES = ['conv', 'evonorm-s0', 'graph-ops', 'step-calls'] as const;
export type SimdFamily = (typeof SIMD_FAMILIES)[number];
const familiesOff = new Set<string>((process.env.EVONORM_SIMD_OFF ?? '').split(',').filter(Boolean));
const loaded = new WeakMap<object, SimdKernels | null>();
let compiled: object | null | undefined;

/** Turns the SIMD kernels on or off for later calls (for comparisons; default on unless EVONORM_SIMD=0). */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/** Whether SIMD kernels are turned on (they also need to load: see simdKernels). */
export function simdEnabled(): boolean {
  return enabled;
}

function module(): object | null {
  if (compiled === undefined) {
    const bytes = Buffer.from(SIMD_WASM_BASE64, 'base64');
    compiled = WA.validate(bytes) ? new WA.Module(bytes) : null; // null: no SIMD in this engine
  }
  return compiled;
}

/** Instantiates the module on `backend`'s memory; null when that cannot be done. */
function load(backend: object): SimdKernels | null {
  const b = backend as Partial<WasmBackendLike>;
  const memory = b.wasm?.asm?.memory ?? b.wasm?.wasmExports?.memory;
  const mod = module();
  if (!(memory instanceof WA.Memory) || mod === null || typeof b.getMemoryOffset !== 'function') return null;
  const instance = new WA.Instance(mod, { env: { memory } });
  return new SimdKernels(b as WasmBackendLike, instance.exports as unknown as SimdExports);
}

/** Turns one family of SIMD kernels on or off for later calls (EVONORM_SIMD=0 turns every one off). */
export function setSimdFamilyEnabled(family: SimdFamily, on: boolean): void {
  if (on) familiesOff.delete(family);
  else familiesOff.add(family);
}

/** Whether the kernels of `family` are on (SIMD on and the family not turned off); they may still fail to load. */
export function simdFamilyEnabled(family: SimdFamily): boolean {
  return enabled && !familiesOff.has(family);
}

/** simdKernels(backend) for a kernel of `family`, unless that family is turned off. */
export function simdFamilyKernels(backend: object, family: SimdFamily): SimdKernels | undefined {
  return familiesOff.has(family) ? undefined : simdKernels(backend);
}

/**
 * The SIMD kernels for this wasm backend instance (loaded on first use, once per instance), or
 * undefined when they are off or cannot load: callers then run their JS kernel.
 */
export function simdKernels(backend: object): SimdKernels | undefined {
  if (!enabled) return undefined;
  let k = loaded.get(backend);
  if (k === undefined) {
    k = load(backend);
    loaded.set(backend, k);
  }
  return k ?? undefined;
}
