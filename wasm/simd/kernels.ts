// SIMD kernels for the tfjs wasm backend, in AssemblyScript (compiled by scripts/build-simd.mjs).
//
// The module imports tfjs-wasm's own WebAssembly.Memory as env.memory, so every argument named
// like a tensor is a byte offset into tfjs's heap (backend.getMemoryOffset(dataId)) and the
// kernels read and write tensors in place. It must never own memory: no data segments, no
// runtime allocations, no strings (a data segment would overwrite tfjs's heap at its base).
// The build checks the output has no data section.
//
// Layout: NHWC tensors seen as [m, c] (m = n·h·w rows of c channels). Channels go 4 to a v128
// lane group; the last c % 4 channels of a row take a scalar path. Per-channel sums accumulate in
// float64 (a caller-supplied scratch of float64 per channel), element-wise passes in float32.

// ---- per-channel float64 accumulation ----

/** acc[k] += Σ_rows x[row·c + k] (acc: c float64 at `acc`). */
function addRows(x: usize, m: i32, c: i32, acc: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  let p = x;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const v = v128.load(p + (<usize>k << 2));
      const a = acc + (<usize>k << 3);
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
      v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
    }
    for (; k < c; k++) {
      const a = acc + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + <f64>load<f32>(p + (<usize>k << 2)));
    }
    p += rowBytes;
  }
}

/** acc[k] += Σ_rows (x[row·c + k] − mean[k])², the difference and square in float32. */
function addSquares(x: usize, mean: usize, m: i32, c: i32, acc: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  let p = x;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const e = f32x4.sub(v128.load(p + (<usize>k << 2)), v128.load(mean + (<usize>k << 2)));
      const v = f32x4.mul(e, e);
      const a = acc + (<usize>k << 3);
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
      v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
    }
    for (; k < c; k++) {
      const e = load<f32>(p + (<usize>k << 2)) - load<f32>(mean + (<usize>k << 2));
      const a = acc + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + <f64>(e * e));
    }
    p += rowBytes;
  }
}

function zeroF64(acc: usize, c: i32): void {
  memory.fill(acc, 0, <usize>c << 3);
}

/** out[k] = Σ_rows x[row·c + k] as float32 (float64 sums); scratch: c float64. */
export function channel_sum(x: usize, m: i32, c: i32, out: usize, scratch: usize): void {
  zeroF64(scratch, c);
  addRows(x, m, c, scratch);
  for (let k = 0; k < c; k++) store<f32>(out + (<usize>k << 2), <f32>load<f64>(scratch + (<usize>k << 3)));
}

/** Σ of p contiguous floats at x, in float64. */
function sumContiguous(x: usize, p: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  const p4 = p & ~3;
  let i = 0;
  for (; i < p4; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < p; i++) s += <f64>load<f32>(x + (<usize>i << 2));
  return s;
}

/**
 * x seen as [outer, p, inner] summed over its middle axis: out[o, k] = Σ_j x[o, j, k], as
 * float32 from float64 sums. scratch: inner float64.
 */
export function sum_middle(x: usize, outer: i32, p: i32, inner: i32, out: usize, scratch: usize): void {
  const block = <usize>p * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * block;
    const dst = out + (<usize>o * <usize>inner << 2);
    if (inner === 1) {
      store<f32>(dst, <f32>sumContiguous(src, p));
    } else {
      channel_sum(src, p, inner, dst, scratch);
    }
  }
}

// ---- per-channel affine y = x·γ + β (the proxies' plain affine after a residual branch) ----

/** y = x·γ + β per channel, rounded as the op-by-op mul then add. */
export function affine_forward(x: usize, gamma: usize, beta: usize, m: i32, c: i32, y: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      v128.store(y + p + o, f32x4.add(f32x4.mul(v128.load(x + p + o), v128.load(gamma + o)), v128.load(beta + o)));
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      store<f32>(y + p + o, load<f32>(x + p + o) * load<f32>(gamma + o) + load<f32>(beta + o));
    }
    p += rowBytes;
  }
}

/**
 * Gradients of affine_forward: dx = dy·γ, dγ = Σ_rows dy·x, dβ = Σ_rows dy (float64 sums of the
 * float32 products). scratch: 2·c float64.
 */
export function affine_backward(dy: usize, x: usize, gamma: usize, m: i32, c: i32, dx: usize, dgamma: usize, dbeta: usize, scratch: usize): void {
  const sg = scratch;
  const sb = scratch + (<usize>c << 3);
  zeroF64(scratch, 2 * c);
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      const g = v128.load(dy + p + o);
      v128.store(dx + p + o, f32x4.mul(g, v128.load(gamma + o)));
      const gx = f32x4.mul(g, v128.load(x + p + o));
      const a = sg + (<usize>k << 3);
      v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(gx)));
      v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(gx, gx, 2, 3, 0, 1))), 16);
      const b = sb + (<usize>k << 3);
      v128.store(b, f64x2.add(v128.load(b), f64x2.promote_low_f32x4(g)));
      v128.store(b, f64x2.add(v128.load(b, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 0, 1))), 16);
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      const g = load<f32>(dy + p + o);
      store<f32>(dx + p + o, g * load<f32>(gamma + o));
      const a = sg + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + <f64>(g * load<f32>(x + p + o)));
      const b = sb + (<usize>k << 3);
      store<f64>(b, load<f64>(b) + <f64>g);
    }
    p += rowBytes;
  }
  for (let k = 0; k < c; k++) {
    store<f32>(dgamma + (<usize>k << 2), <f32>load<f64>(sg + (<usize>k << 3)));
    store<f32>(dbeta + (<usize>k << 2), <f32>load<f64>(sb + (<usize>k << 3)));
  }
}

// ---- fused BN-ReLU (training mode), see src/tensor/wasm-kernels/bn-relu.ts ----

/**
 * mean, var (biased) per channel over the m rows; y = max((x − mean)·γ·r + β, 0), r = 1/√(var + eps).
 * scratch: 2·c float64 then 2·c float32 (sum, squares, a = γ·r, mean as float32).
 */
export function bn_relu_forward(
  x: usize, gamma: usize, beta: usize, m: i32, c: i32, eps: f64,
  y: usize, meanOut: usize, varOut: usize, scratch: usize,
): void {
  const sum = scratch;
  const sq = scratch + (<usize>c << 3);
  const a = scratch + (<usize>c << 4);
  zeroF64(sum, 2 * c);
  addRows(x, m, c, sum);
  for (let k = 0; k < c; k++) store<f32>(meanOut + (<usize>k << 2), <f32>(load<f64>(sum + (<usize>k << 3)) / <f64>m));
  addSquares(x, meanOut, m, c, sq);
  for (let k = 0; k < c; k++) {
    const v = load<f64>(sq + (<usize>k << 3)) / <f64>m;
    store<f32>(varOut + (<usize>k << 2), <f32>v);
    store<f32>(a + (<usize>k << 2), <f32>(<f64>load<f32>(gamma + (<usize>k << 2)) / Math.sqrt(v + eps)));
  }
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  const zero = f32x4.splat(0);
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      const z = f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p + o), v128.load(meanOut + o)), v128.load(a + o)), v128.load(beta + o));
      v128.store(y + p + o, v128.and(z, f32x4.gt(z, zero)));
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      const z = (load<f32>(x + p + o) - load<f32>(meanOut + o)) * load<f32>(a + o) + load<f32>(beta + o);
      store<f32>(y + p + o, z > 0 ? z : 0);
    }
    p += rowBytes;
  }
}

/**
 * Gradients of bn_relu_forward (M = m, dz = dy·[y > 0], x̂ = (x − mean)·r):
 *   dβ = Σ dz,  dγ = r·Σ dz·(x − mean),  dx = γ·r · (dz − Σdz/M − r²/M·Σdz·(x − mean) · (x − mean))
 * γ·r multiplies last: where var ≈ 0, r ≈ 1/√eps is large and a float32 difference of two
 * terms each scaled by it would lose digits.
 * dz is written into dx first, then dx overwritten in place.
 * scratch: 2·c float64 then 3·c float32 (Σdz, Σdz·(x − mean), and per-channel a, b, e).
 */
export function bn_relu_backward(
  dy: usize, x: usize, y: usize, gamma: usize, mean: usize, variance: usize, m: i32, c: i32, eps: f64,
  dx: usize, dgamma: usize, dbeta: usize, scratch: usize,
): void {
  const sdz = scratch;
  const sdzx = scratch + (<usize>c << 3);
  const fa = scratch + (<usize>c << 4);
  const fb = fa + (<usize>c << 2);
  const fe = fb + (<usize>c << 2);
  zeroF64(sdz, 2 * c);
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  const zero = f32x4.splat(0);
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      const g = v128.and(v128.load(dy + p + o), f32x4.gt(v128.load(y + p + o), zero));
      v128.store(dx + p + o, g);
      const gx = f32x4.mul(g, f32x4.sub(v128.load(x + p + o), v128.load(mean + o)));
      const s = sdz + (<usize>k << 3);
      v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(g)));
      v128.store(s, f64x2.add(v128.load(s, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 0, 1))), 16);
      const t = sdzx + (<usize>k << 3);
      v128.store(t, f64x2.add(v128.load(t), f64x2.promote_low_f32x4(gx)));
      v128.store(t, f64x2.add(v128.load(t, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(gx, gx, 2, 3, 0, 1))), 16);
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      const g: f32 = load<f32>(y + p + o) > 0 ? load<f32>(dy + p + o) : 0;
      store<f32>(dx + p + o, g);
      const s = sdz + (<usize>k << 3);
      store<f64>(s, load<f64>(s) + <f64>g);
      const t = sdzx + (<usize>k << 3);
      store<f64>(t, load<f64>(t) + <f64>(g * (load<f32>(x + p + o) - load<f32>(mean + o))));
    }
    p += rowBytes;
  }
  for (let k = 0; k < c; k++) {
    const o = <usize>k << 2;
    const rk = 1 / Math.sqrt(<f64>load<f32>(variance + o) + eps);
    const gk = <f64>load<f32>(gamma + o);
    const sd = load<f64>(sdz + (<usize>k << 3));
    const sdx = load<f64>(sdzx + (<usize>k << 3));
    store<f32>(dbeta + o, <f32>sd);
    store<f32>(dgamma + o, <f32>(sdx * rk));
    store<f32>(fa + o, <f32>(gk * rk));
    store<f32>(fb + o, <f32>(sd / <f64>m));
    store<f32>(fe + o, <f32>((rk * rk * sdx) / <f64>m));
  }
  p = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      const xc = f32x4.sub(v128.load(x + p + o), v128.load(mean + o));
      const v = f32x4.sub(f32x4.sub(v128.load(dx + p + o), v128.load(fb + o)), f32x4.mul(v128.load(fe + o), xc));
      v128.store(dx + p + o, f32x4.mul(v128.load(fa + o), v));
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      const xc = load<f32>(x + p + o) - load<f32>(mean + o);
      store<f32>(dx + p + o, load<f32>(fa + o) * (load<f32>(dx + p + o) - load<f32>(fb + o) - load<f32>(fe + o) * xc));
    }
    p += rowBytes;
  }
}

/** Bytes of scratch the kernels above need for c channels (the largest of them). */
export function scratch_bytes(c: i32): i32 {
  return 16 * c + 12 * c + 16;
}
