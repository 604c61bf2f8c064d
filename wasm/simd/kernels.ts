// SIMD kernels for the tfjs wasm backend, in AssemblyScript (compiled by scripts/build-simd.ts).
//
// The module imports tfjs-wasm's own WebAssembly.Memory as env.memory, so every argument named
// like a tensor is a byte offset into tfjs's heap (backend.getMemoryOffset(dataId)) and the
// kernels read and write tensors in place. It must never own memory: no data segments, no
// runtime allocations, no strings (a data segment would overwrite tfjs's heap at its base).
// The build checks the output has no data section.
//
// Layout: NHWC tensors seen as [m, c] (m = n·h·w rows of c channels). Channels go 4 to a v128
// lane group; the last c % 4 channels of a row take a scalar path. Per-channel sums: float32
// partial sums over blocks of 16 rows, added into float64 totals (a caller-supplied scratch of
// float64 per channel); element-wise passes in float32.

// ---- per-channel float64 accumulation ----
//
// Sums run over blocks of BLOCK rows: within a block each 4-channel group is summed in float32
// registers down the rows (the block is a few KiB, in L1), then added to the float64 totals.
// So the inner loop is a load and an add per 4 elements, and a float32 partial sum spans at most
// BLOCK terms (its rounding, ~√BLOCK ulp, stays far below the 1e-5 the tests allow).

const BLOCK: i32 = 16;

/** acc[0..3] (float64) += the 4 float32 lanes of v. */
// @ts-ignore: decorator
@inline function flush(acc: usize, v: v128): void {
  v128.store(acc, f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(v)));
  v128.store(acc, f64x2.add(v128.load(acc, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
}

/** acc[k] += Σ_rows x[row·c + k] (acc: c float64 at `acc`). */
function addRows(x: usize, m: i32, c: i32, acc: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  for (let r0 = 0; r0 < m; r0 += BLOCK) {
    const rn = min(BLOCK, m - r0);
    const base = x + <usize>r0 * rowBytes;
    for (let k = 0; k < c4; k += 4) {
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let p = base + (<usize>k << 2);
      let r = 0;
      for (; r + 1 < rn; r += 2) {
        s0 = f32x4.add(s0, v128.load(p));
        s1 = f32x4.add(s1, v128.load(p + rowBytes));
        p += rowBytes << 1;
      }
      if (r < rn) s0 = f32x4.add(s0, v128.load(p));
      flush(acc + (<usize>k << 3), f32x4.add(s0, s1));
    }
    for (let k = c4; k < c; k++) {
      let t: f32 = 0;
      let p = base + (<usize>k << 2);
      for (let r = 0; r < rn; r++) {
        t += load<f32>(p);
        p += rowBytes;
      }
      const a = acc + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + <f64>t);
    }
  }
}

/** acc[k] += Σ_rows (x[row·c + k] − mean[k])², the difference and square in float32. */
function addSquares(x: usize, mean: usize, m: i32, c: i32, acc: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  for (let r0 = 0; r0 < m; r0 += BLOCK) {
    const rn = min(BLOCK, m - r0);
    const base = x + <usize>r0 * rowBytes;
    for (let k = 0; k < c4; k += 4) {
      const mu = v128.load(mean + (<usize>k << 2));
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let p = base + (<usize>k << 2);
      let r = 0;
      for (; r + 1 < rn; r += 2) {
        const e0 = f32x4.sub(v128.load(p), mu);
        const e1 = f32x4.sub(v128.load(p + rowBytes), mu);
        s0 = f32x4.add(s0, f32x4.mul(e0, e0));
        s1 = f32x4.add(s1, f32x4.mul(e1, e1));
        p += rowBytes << 1;
      }
      if (r < rn) {
        const e0 = f32x4.sub(v128.load(p), mu);
        s0 = f32x4.add(s0, f32x4.mul(e0, e0));
      }
      flush(acc + (<usize>k << 3), f32x4.add(s0, s1));
    }
    for (let k = c4; k < c; k++) {
      const mu = load<f32>(mean + (<usize>k << 2));
      let t: f32 = 0;
      let p = base + (<usize>k << 2);
      for (let r = 0; r < rn; r++) {
        const e = load<f32>(p) - mu;
        t += e * e;
        p += rowBytes;
      }
      const a = acc + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + <f64>t);
    }
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
  for (let r0 = 0; r0 < m; r0 += BLOCK) {
    const rn = min(BLOCK, m - r0);
    const off = <usize>r0 * rowBytes;
    for (let k = 0; k < c4; k += 4) {
      const o = off + (<usize>k << 2);
      const gm = v128.load(gamma + (<usize>k << 2));
      let tg = f32x4.splat(0);
      let tb = f32x4.splat(0);
      let p = o;
      for (let r = 0; r < rn; r++) {
        const g = v128.load(dy + p);
        v128.store(dx + p, f32x4.mul(g, gm));
        tg = f32x4.add(tg, f32x4.mul(g, v128.load(x + p)));
        tb = f32x4.add(tb, g);
        p += rowBytes;
      }
      flush(sg + (<usize>k << 3), tg);
      flush(sb + (<usize>k << 3), tb);
    }
    for (let k = c4; k < c; k++) {
      const gm = load<f32>(gamma + (<usize>k << 2));
      let tg: f32 = 0;
      let tb: f32 = 0;
      let p = off + (<usize>k << 2);
      for (let r = 0; r < rn; r++) {
        const g = load<f32>(dy + p);
        store<f32>(dx + p, g * gm);
        tg += g * load<f32>(x + p);
        tb += g;
        p += rowBytes;
      }
      const a = sg + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + <f64>tg);
      const b = sb + (<usize>k << 3);
      store<f64>(b, load<f64>(b) + <f64>tb);
    }
  }
  for (let k = 0; k < c; k++) {
    store<f32>(dgamma + (<usize>k << 2), <f32>load<f64>(sg + (<usize>k << 3)));
    store<f32>(dbeta + (<usize>k << 2), <f32>load<f64>(sb + (<usize>k << 3)));
  }
}

/** acc[k] += Σ_rows fl(a·b)[row·c + k], in addRows's order (so equal to addRows over the stored products). */
function addRowsProduct(a: usize, b: usize, m: i32, c: i32, acc: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  for (let r0 = 0; r0 < m; r0 += BLOCK) {
    const rn = min(BLOCK, m - r0);
    const off = <usize>r0 * rowBytes;
    for (let k = 0; k < c4; k += 4) {
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let p = off + (<usize>k << 2);
      let r = 0;
      for (; r + 1 < rn; r += 2) {
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a + p), v128.load(b + p)));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a + p + rowBytes), v128.load(b + p + rowBytes)));
        p += rowBytes << 1;
      }
      if (r < rn) s0 = f32x4.add(s0, f32x4.mul(v128.load(a + p), v128.load(b + p)));
      flush(acc + (<usize>k << 3), f32x4.add(s0, s1));
    }
    for (let k = c4; k < c; k++) {
      let t: f32 = 0;
      let p = off + (<usize>k << 2);
      for (let r = 0; r < rn; r++) {
        t += load<f32>(a + p) * load<f32>(b + p);
        p += rowBytes;
      }
      const q = acc + (<usize>k << 3);
      store<f64>(q, load<f64>(q) + <f64>t);
    }
  }
}

/**
 * Gradients of affine_forward summed as a graph layer's op-by-op affine does (GraphLayer: a
 * broadcast mul and add whose gradients sum with channel_sum): dx = dy·γ, dγ = channel_sum(fl(dy·x)),
 * dβ = channel_sum(dy), so equal to them bit for bit (c ≥ 2; sum_middle sums c = 1 another way).
 * scratch: c float64.
 */
export function affine_backward_rows(dy: usize, x: usize, gamma: usize, m: i32, c: i32, dx: usize, dgamma: usize, dbeta: usize, scratch: usize): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      v128.store(dx + p + o, f32x4.mul(v128.load(dy + p + o), v128.load(gamma + o)));
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      store<f32>(dx + p + o, load<f32>(dy + p + o) * load<f32>(gamma + o));
    }
    p += rowBytes;
  }
  channel_sum(dy, m, c, dbeta, scratch);
  zeroF64(scratch, c);
  addRowsProduct(dy, x, m, c, scratch);
  for (let k = 0; k < c; k++) store<f32>(dgamma + (<usize>k << 2), <f32>load<f64>(scratch + (<usize>k << 3)));
}

// ---- residual join y = act(x·γ + β + skip'), skip' = s·γs + βs or s (src/tensor/wasm-kernels/simd/residual-join.ts) ----

/**
 * ReLU as tfjs-wasm's (XNNPACK's integer max): the float's bits as int32, max with 0, so a
 * negative sign (−0, −NaN, any x < 0) gives +0 and +NaN stays.
 */
// @ts-ignore: decorator
@inline function reluV(z: v128): v128 {
  return i32x4.max_s(z, i32x4.splat(0));
}

// @ts-ignore: decorator
@inline function reluS(z: f32): f32 {
  return reinterpret<i32>(z) < 0 ? <f32>0 : z;
}

/** tfjs's Step of the ReLU gradient: 1 where z > 0, z itself where z is NaN, else 0. */
// @ts-ignore: decorator
@inline function stepV(z: v128): v128 {
  const zero = f32x4.splat(0);
  return v128.bitselect(f32x4.splat(1), v128.bitselect(z, zero, f32x4.ne(z, z)), f32x4.gt(z, zero));
}

// @ts-ignore: decorator
@inline function stepS(z: f32): f32 {
  return z > 0 ? <f32>1 : z != z ? z : <f32>0;
}

/** z = fl(fl(x·γ) + β) + skip' of 4 channels at byte offsets p (row) + o (channel). */
// @ts-ignore: decorator
@inline function joinV(x: usize, gamma: usize, beta: usize, s: usize, sgamma: usize, sbeta: usize, skipAffine: i32, p: usize, o: usize): v128 {
  const t = f32x4.add(f32x4.mul(v128.load(x + p + o), v128.load(gamma + o)), v128.load(beta + o));
  let u = v128.load(s + p + o);
  if (skipAffine) u = f32x4.add(f32x4.mul(u, v128.load(sgamma + o)), v128.load(sbeta + o));
  return f32x4.add(t, u);
}

// @ts-ignore: decorator
@inline function joinS(x: usize, gamma: usize, beta: usize, s: usize, sgamma: usize, sbeta: usize, skipAffine: i32, p: usize, o: usize): f32 {
  const t: f32 = load<f32>(x + p + o) * load<f32>(gamma + o) + load<f32>(beta + o);
  let u = load<f32>(s + p + o);
  if (skipAffine) u = u * load<f32>(sgamma + o) + load<f32>(sbeta + o);
  return t + u;
}

/**
 * y = act(fl(fl(x·γ) + β) + skip') with skip' = fl(fl(s·γs) + βs) when skipAffine, else s; act =
 * ReLU when relu ≠ 0, else none: the op-by-op affine(s), add and ReLU with the same float32 roundings.
 */
export function residual_forward(
  x: usize, gamma: usize, beta: usize, s: usize, sgamma: usize, sbeta: usize, m: i32, c: i32, skipAffine: i32, relu: i32, y: usize,
): void {
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  let p: usize = 0;
  for (let r = 0; r < m; r++) {
    let k = 0;
    for (; k < c4; k += 4) {
      const o = <usize>k << 2;
      const z = joinV(x, gamma, beta, s, sgamma, sbeta, skipAffine, p, o);
      v128.store(y + p + o, relu ? reluV(z) : z);
    }
    for (; k < c; k++) {
      const o = <usize>k << 2;
      const z = joinS(x, gamma, beta, s, sgamma, sbeta, skipAffine, p, o);
      store<f32>(y + p + o, relu ? reluS(z) : z);
    }
    p += rowBytes;
  }
}

/**
 * Gradients of residual_forward: dz = dy·step(z) with the pre-activation z recomputed (tfjs's
 * ReLU gradient, NaN included), or dz = dy without ReLU; then affine_backward on each side:
 * dx = dz·γ, dγ = Σ dz·x, dβ = Σ dz, ds = dz·γs, dγs = Σ dz·s, dβs = Σ dz (float64 sums), or ds = dz
 * without a skip affine. dz is formed in ds. scratch: 2·c float64.
 */
export function residual_backward(
  dy: usize, x: usize, gamma: usize, beta: usize, s: usize, sgamma: usize, sbeta: usize, m: i32, c: i32, skipAffine: i32, relu: i32,
  dx: usize, dgamma: usize, dbeta: usize, ds: usize, dsgamma: usize, dsbeta: usize, scratch: usize,
): void {
  let dz = dy;
  if (relu) {
    const c4 = c & ~3;
    const rowBytes = <usize>c << 2;
    let p: usize = 0;
    for (let r = 0; r < m; r++) {
      let k = 0;
      for (; k < c4; k += 4) {
        const o = <usize>k << 2;
        const z = joinV(x, gamma, beta, s, sgamma, sbeta, skipAffine, p, o);
        v128.store(ds + p + o, f32x4.mul(v128.load(dy + p + o), stepV(z)));
      }
      for (; k < c; k++) {
        const o = <usize>k << 2;
        const z = joinS(x, gamma, beta, s, sgamma, sbeta, skipAffine, p, o);
        store<f32>(ds + p + o, load<f32>(dy + p + o) * stepS(z));
      }
      p += rowBytes;
    }
    dz = ds;
  }
  affine_backward(dz, x, gamma, m, c, dx, dgamma, dbeta, scratch);
  if (skipAffine) affine_backward(dz, s, sgamma, m, c, ds, dsgamma, dsbeta, scratch);
  else if (!relu) memory.copy(ds, dy, <usize>m * <usize>c << 2);
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
  for (let r0 = 0; r0 < m; r0 += BLOCK) {
    const rn = min(BLOCK, m - r0);
    const off = <usize>r0 * rowBytes;
    for (let k = 0; k < c4; k += 4) {
      const mu = v128.load(mean + (<usize>k << 2));
      let t1 = f32x4.splat(0);
      let t2 = f32x4.splat(0);
      let p = off + (<usize>k << 2);
      for (let r = 0; r < rn; r++) {
        const g = v128.and(v128.load(dy + p), f32x4.gt(v128.load(y + p), zero));
        v128.store(dx + p, g);
        t1 = f32x4.add(t1, g);
        t2 = f32x4.add(t2, f32x4.mul(g, f32x4.sub(v128.load(x + p), mu)));
        p += rowBytes;
      }
      flush(sdz + (<usize>k << 3), t1);
      flush(sdzx + (<usize>k << 3), t2);
    }
    for (let k = c4; k < c; k++) {
      const mu = load<f32>(mean + (<usize>k << 2));
      let t1: f32 = 0;
      let t2: f32 = 0;
      let p = off + (<usize>k << 2);
      for (let r = 0; r < rn; r++) {
        const g: f32 = load<f32>(y + p) > 0 ? load<f32>(dy + p) : 0;
        store<f32>(dx + p, g);
        t1 += g;
        t2 += g * (load<f32>(x + p) - mu);
        p += rowBytes;
      }
      const s1 = sdz + (<usize>k << 3);
      store<f64>(s1, load<f64>(s1) + <f64>t1);
      const s2 = sdzx + (<usize>k << 3);
      store<f64>(s2, load<f64>(s2) + <f64>t2);
    }
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
  let p: usize = 0;
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

/**
 * out = fl(fl(old·μ) + fl(batch·(1 − μ))) over n floats: a moving average updated as tfjs's
 * float32 mul, mul and add (mu and rest are μ and 1 − μ rounded to float32 by the caller).
 */
export function moving_average(old: usize, batch: usize, n: i32, mu: f32, rest: f32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(old + o) * mu + load<f32>(batch + o) * rest);
  }
}

/** Bytes of scratch the kernels above need for c channels (the largest of them). */
export function scratch_bytes(c: i32): i32 {
  return 16 * c + 12 * c + 16;
}

// ---- convolutions (NHWC; filters [kh, kw, ci, co], depthwise [kh, kw, c, 1]) ----
//
// Geometry of the call in progress, set by each exported conv kernel (wasm globals: no data
// segment). Input [n, h, w, ci], output (or output gradient) [n, oh, ow, co]; a tap (a, b) reads
// input row y·sh + a·dh − pt and column x·sw + b·dw − pl for output pixel (y, x), and is skipped
// (zero padding) outside [0, h) × [0, w).

let gN: i32 = 0;
let gH: i32 = 0;
let gW: i32 = 0;
let gCi: i32 = 0;
let gOH: i32 = 0;
let gOW: i32 = 0;
let gCo: i32 = 0;
let gSH: i32 = 1;
let gSW: i32 = 1;

// @ts-ignore: decorator
@inline function setGeometry(n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, sh: i32, sw: i32): void {
  gN = n; gH = h; gW = w; gCi = ci; gOH = oh; gOW = ow; gCo = co; gSH = sh; gSW = sw;
}

/** First output index y ≥ 0 whose input index y·s + off is ≥ 0. */
// @ts-ignore: decorator
@inline function firstValid(off: i32, s: i32): i32 {
  return off >= 0 ? 0 : (s - 1 - off) / s;
}

/** One past the last output index y < out whose input index y·s + off is < size. */
// @ts-ignore: decorator
@inline function endValid(off: i32, s: i32, size: i32, out: i32): i32 {
  const last = size - 1 - off;
  return last < 0 ? 0 : min(out, last / s + 1);
}

/** Rows summed in float32 registers before they are added to the float64 totals. */
const CONV_FLUSH: i32 = 256;

/**
 * Filter gradient of one tap for 4 input channels × 8 output channels: acc (float64, rows of co)
 * += Σ_pixels x[pixel@tap, c0..c0+3] ⊗ dy[pixel, o0..o0+7].
 */
function fgTap4x8(x: usize, dy: usize, offA: i32, offB: i32, c0: i32, o0: i32, acc: usize): void {
  const ci = gCi;
  const co = gCo;
  const y0 = firstValid(offA, gSH);
  const y1 = endValid(offA, gSH, gH, gOH);
  const x0 = firstValid(offB, gSW);
  const x1 = endValid(offB, gSW, gW, gOW);
  if (y0 >= y1 || x0 >= x1) return;
  const xStep = <usize>(gSW * ci) << 2;
  const dStep = <usize>co << 2;
  const row = <usize>co << 3;
  let a0 = f32x4.splat(0); let a1 = f32x4.splat(0); let a2 = f32x4.splat(0); let a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0); let a5 = f32x4.splat(0); let a6 = f32x4.splat(0); let a7 = f32x4.splat(0);
  let count = 0;
  for (let nn = 0; nn < gN; nn++) {
    for (let y = y0; y < y1; y++) {
      let px = x + ((<usize>((nn * gH + y * gSH + offA) * gW + x0 * gSW + offB) * <usize>ci + <usize>c0) << 2);
      let pd = dy + ((<usize>((nn * gOH + y) * gOW + x0) * <usize>co + <usize>o0) << 2);
      for (let j = x0; j < x1; j++) {
        const d0 = v128.load(pd);
        const d1 = v128.load(pd, 16);
        const s0 = v128.load32_splat(px);
        const s1 = v128.load32_splat(px, 4);
        const s2 = v128.load32_splat(px, 8);
        const s3 = v128.load32_splat(px, 12);
        a0 = f32x4.add(a0, f32x4.mul(s0, d0));
        a1 = f32x4.add(a1, f32x4.mul(s0, d1));
        a2 = f32x4.add(a2, f32x4.mul(s1, d0));
        a3 = f32x4.add(a3, f32x4.mul(s1, d1));
        a4 = f32x4.add(a4, f32x4.mul(s2, d0));
        a5 = f32x4.add(a5, f32x4.mul(s2, d1));
        a6 = f32x4.add(a6, f32x4.mul(s3, d0));
        a7 = f32x4.add(a7, f32x4.mul(s3, d1));
        px += xStep;
        pd += dStep;
      }
      count += x1 - x0;
    }
    if (count >= CONV_FLUSH || nn === gN - 1) {
      flush(acc, a0); flush(acc + 32, a1);
      flush(acc + row, a2); flush(acc + row + 32, a3);
      flush(acc + 2 * row, a4); flush(acc + 2 * row + 32, a5);
      flush(acc + 3 * row, a6); flush(acc + 3 * row + 32, a7);
      a0 = f32x4.splat(0); a1 = f32x4.splat(0); a2 = f32x4.splat(0); a3 = f32x4.splat(0);
      a4 = f32x4.splat(0); a5 = f32x4.splat(0); a6 = f32x4.splat(0); a7 = f32x4.splat(0);
      count = 0;
    }
  }
}

/** fgTap4x8 for 1 input channel × 4 output channels (the remainders of ci % 4 and co % 8). */
function fgTap1x4(x: usize, dy: usize, offA: i32, offB: i32, c0: i32, o0: i32, acc: usize): void {
  const ci = gCi;
  const co = gCo;
  const y0 = firstValid(offA, gSH);
  const y1 = endValid(offA, gSH, gH, gOH);
  const x0 = firstValid(offB, gSW);
  const x1 = endValid(offB, gSW, gW, gOW);
  if (y0 >= y1 || x0 >= x1) return;
  const xStep = <usize>(gSW * ci) << 2;
  const dStep = <usize>co << 2;
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let count = 0;
  for (let nn = 0; nn < gN; nn++) {
    for (let y = y0; y < y1; y++) {
      let px = x + ((<usize>((nn * gH + y * gSH + offA) * gW + x0 * gSW + offB) * <usize>ci + <usize>c0) << 2);
      let pd = dy + ((<usize>((nn * gOH + y) * gOW + x0) * <usize>co + <usize>o0) << 2);
      let j = x0;
      for (; j + 1 < x1; j += 2) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(px), v128.load(pd)));
        a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(px + xStep), v128.load(pd + dStep)));
        px += xStep << 1;
        pd += dStep << 1;
      }
      if (j < x1) a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(px), v128.load(pd)));
      count += x1 - x0;
    }
    if (count >= CONV_FLUSH || nn === gN - 1) {
      flush(acc, f32x4.add(a0, a1));
      a0 = f32x4.splat(0);
      a1 = f32x4.splat(0);
      count = 0;
    }
  }
}

/** fgTap4x8 for 1 input channel × 1 output channel (scalar; co % 4 remainders). */
function fgTap1x1(x: usize, dy: usize, offA: i32, offB: i32, c0: i32, o0: i32, acc: usize): void {
  const ci = gCi;
  const co = gCo;
  const y0 = firstValid(offA, gSH);
  const y1 = endValid(offA, gSH, gH, gOH);
  const x0 = firstValid(offB, gSW);
  const x1 = endValid(offB, gSW, gW, gOW);
  if (y0 >= y1 || x0 >= x1) return;
  const xStep = <usize>(gSW * ci) << 2;
  const dStep = <usize>co << 2;
  let t: f32 = 0;
  let count = 0;
  for (let nn = 0; nn < gN; nn++) {
    for (let y = y0; y < y1; y++) {
      let px = x + ((<usize>((nn * gH + y * gSH + offA) * gW + x0 * gSW + offB) * <usize>ci + <usize>c0) << 2);
      let pd = dy + ((<usize>((nn * gOH + y) * gOW + x0) * <usize>co + <usize>o0) << 2);
      for (let j = x0; j < x1; j++) {
        t += load<f32>(px) * load<f32>(pd);
        px += xStep;
        pd += dStep;
      }
      count += x1 - x0;
    }
    if (count >= CONV_FLUSH || nn === gN - 1) {
      store<f64>(acc, load<f64>(acc) + <f64>t);
      t = 0;
      count = 0;
    }
  }
}

/**
 * Conv2DBackpropFilter: dW[a, b, c, o] = Σ_{n, y, x} x[n, y·sh + a·dh − pt, x·sw + b·dw − pl, c] ·
 * dy[n, y, x, o], float32 products summed in float32 over at most CONV_FLUSH pixels, then in
 * float64. x [n, h, w, ci], dy [n, oh, ow, co], dw [kh, kw, ci, co]; scratch: kh·kw·ci·co float64.
 */
export function conv2d_filter_grad(
  x: usize, dy: usize, n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, dw: usize, scratch: usize,
): void {
  setGeometry(n, h, w, ci, oh, ow, co, sh, sw);
  const total = kh * kw * ci * co;
  zeroF64(scratch, total);
  const ci4 = ci & ~3;
  const co8 = co & ~7;
  const co4 = co & ~3;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const offA = a * dh - pt;
      const offB = b * dwl - pl;
      const tap = scratch + (<usize>((a * kw + b) * ci * co) << 3);
      for (let c = 0; c < ci; c++) {
        if (c < ci4 && (c & 3) === 0) {
          for (let o = 0; o < co8; o += 8) fgTap4x8(x, dy, offA, offB, c, o, tap + (<usize>(c * co + o) << 3));
        }
        // 4 output channels at a time where 8 do not fit, and every output channel of the last ci % 4 inputs.
        for (let o = c < ci4 ? co8 : 0; o < co4; o += 4) fgTap1x4(x, dy, offA, offB, c, o, tap + (<usize>(c * co + o) << 3));
        for (let o = co4; o < co; o++) fgTap1x1(x, dy, offA, offB, c, o, tap + (<usize>(c * co + o) << 3));
      }
    }
  }
  for (let i = 0; i < total; i++) store<f32>(dw + (<usize>i << 2), <f32>load<f64>(scratch + (<usize>i << 3)));
}

/**
 * Conv2DBackpropInput: dx[n, iy, ix, c] = Σ over taps (a, b) and output pixels (y, x) with
 * iy = y·sh + a·dh − pt, ix = x·sw + b·dw − pl of Σ_o dy[n, y, x, o]·W[a, b, c, o]. Each block
 * of 4 output pixels computes its 4 × 8-channel contributions for a tap in registers (a sum over
 * o in float32, as a forward conv does) and adds them into dx. wt: the filter transposed to
 * [kh, kw, co, ci] (the caller's scratch, filled here from w); dx is zeroed first unless every
 * output pixel maps to exactly one input pixel (1×1, stride 1, no padding), where it is stored.
 * Needs ci % 4 == 0.
 */
export function conv2d_input_grad(
  dy: usize, w: usize, n: i32, h: i32, wd: i32, ci: i32, oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, dx: usize, wt: usize,
): void {
  setGeometry(n, h, wd, ci, oh, ow, co, sh, sw);
  // wt[a, b, o, c] = w[a, b, c, o]
  for (let t = 0; t < kh * kw; t++) {
    const src = w + (<usize>(t * ci * co) << 2);
    const dst = wt + (<usize>(t * ci * co) << 2);
    for (let c = 0; c < ci; c++) {
      for (let o = 0; o < co; o++) store<f32>(dst + (<usize>(o * ci + c) << 2), load<f32>(src + (<usize>(c * co + o) << 2)));
    }
  }
  const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1 && pt === 0 && pl === 0 && oh === h && ow === wd;
  if (!direct) memory.fill(dx, 0, <usize>n * <usize>h * <usize>wd * <usize>ci << 2);
  const pixels = n * oh * ow;
  let p = 0;
  for (; p + 4 <= pixels; p += 4) igBlock(dy, p, 4, kh, kw, dh, dwl, pt, pl, dx, wt, direct);
  for (; p < pixels; p++) igBlock(dy, p, 1, kh, kw, dh, dwl, pt, pl, dx, wt, direct);
}

/** Where output pixel p of the current geometry lands in the input for a tap at offsets (0, 0): row and column bases. */
// @ts-ignore: decorator
@inline function pixelBase(p: i32): i64 {
  const x = p % gOW;
  const q = p / gOW;
  const y = q % gOH;
  const nn = q / gOH;
  // packed: image (high 32 bits), row y·sh, column x·sw (16 bits each; the sizes are < 32768)
  return (<i64>nn << 32) | (<i64>(y * gSH) << 16) | <i64>(x * gSW);
}

/** Adds (or stores, when `direct`) v into dx at input pixel (nn, iy, ix), channel c, if inside. */
// @ts-ignore: decorator
@inline function scatter(dx: usize, base: i64, offA: i32, offB: i32, c: i32, v: v128, direct: bool): void {
  const iy = <i32>((base >> 16) & 0xffff) + offA;
  const ix = <i32>(base & 0xffff) + offB;
  if (<u32>iy < <u32>gH && <u32>ix < <u32>gW) {
    const ptr = dx + ((<usize>(((<i32>(base >> 32)) * gH + iy) * gW + ix) * <usize>gCi + <usize>c) << 2);
    v128.store(ptr, direct ? v : f32x4.add(v128.load(ptr), v));
  }
}

/** dx contributions of `count` (4 or 1) consecutive output pixels from p, every tap and channel. */
function igBlock(dy: usize, p: i32, count: i32, kh: i32, kw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, dx: usize, wt: usize, direct: bool): void {
  const ci = gCi;
  const co = gCo;
  const ci8 = ci & ~7;
  const b0 = pixelBase(p);
  const b1 = count > 1 ? pixelBase(p + 1) : b0;
  const b2 = count > 1 ? pixelBase(p + 2) : b0;
  const b3 = count > 1 ? pixelBase(p + 3) : b0;
  const dRow = <usize>co << 2;
  const d0 = dy + (<usize>p * dRow);
  const wRow = <usize>ci << 2;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const offA = a * dh - pt;
      const offB = b * dwl - pl;
      const tapW = wt + (<usize>((a * kw + b) * co) * wRow);
      let c = 0;
      for (; c < ci8; c += 8) {
        let a0 = f32x4.splat(0); let a1 = f32x4.splat(0); let a2 = f32x4.splat(0); let a3 = f32x4.splat(0);
        let a4 = f32x4.splat(0); let a5 = f32x4.splat(0); let a6 = f32x4.splat(0); let a7 = f32x4.splat(0);
        let pw = tapW + (<usize>c << 2);
        let pd = d0;
        if (count === 4) {
          for (let o = 0; o < co; o++) {
            const w0 = v128.load(pw);
            const w1 = v128.load(pw, 16);
            const s0 = v128.load32_splat(pd);
            const s1 = v128.load32_splat(pd + dRow);
            const s2 = v128.load32_splat(pd + 2 * dRow);
            const s3 = v128.load32_splat(pd + 3 * dRow);
            a0 = f32x4.add(a0, f32x4.mul(s0, w0));
            a1 = f32x4.add(a1, f32x4.mul(s0, w1));
            a2 = f32x4.add(a2, f32x4.mul(s1, w0));
            a3 = f32x4.add(a3, f32x4.mul(s1, w1));
            a4 = f32x4.add(a4, f32x4.mul(s2, w0));
            a5 = f32x4.add(a5, f32x4.mul(s2, w1));
            a6 = f32x4.add(a6, f32x4.mul(s3, w0));
            a7 = f32x4.add(a7, f32x4.mul(s3, w1));
            pw += wRow;
            pd += 4;
          }
          scatter(dx, b0, offA, offB, c, a0, direct); scatter(dx, b0, offA, offB, c + 4, a1, direct);
          scatter(dx, b1, offA, offB, c, a2, direct); scatter(dx, b1, offA, offB, c + 4, a3, direct);
          scatter(dx, b2, offA, offB, c, a4, direct); scatter(dx, b2, offA, offB, c + 4, a5, direct);
          scatter(dx, b3, offA, offB, c, a6, direct); scatter(dx, b3, offA, offB, c + 4, a7, direct);
        } else {
          for (let o = 0; o < co; o++) {
            const s0 = v128.load32_splat(pd);
            a0 = f32x4.add(a0, f32x4.mul(s0, v128.load(pw)));
            a1 = f32x4.add(a1, f32x4.mul(s0, v128.load(pw, 16)));
            pw += wRow;
            pd += 4;
          }
          scatter(dx, b0, offA, offB, c, a0, direct); scatter(dx, b0, offA, offB, c + 4, a1, direct);
        }
      }
      for (; c < ci; c += 4) {
        let a0 = f32x4.splat(0); let a2 = f32x4.splat(0); let a4 = f32x4.splat(0); let a6 = f32x4.splat(0);
        let pw = tapW + (<usize>c << 2);
        let pd = d0;
        for (let o = 0; o < co; o++) {
          const w0 = v128.load(pw);
          a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(pd), w0));
          if (count === 4) {
            a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(pd + dRow), w0));
            a4 = f32x4.add(a4, f32x4.mul(v128.load32_splat(pd + 2 * dRow), w0));
            a6 = f32x4.add(a6, f32x4.mul(v128.load32_splat(pd + 3 * dRow), w0));
          }
          pw += wRow;
          pd += 4;
        }
        scatter(dx, b0, offA, offB, c, a0, direct);
        if (count === 4) {
          scatter(dx, b1, offA, offB, c, a2, direct);
          scatter(dx, b2, offA, offB, c, a4, direct);
          scatter(dx, b3, offA, offB, c, a6, direct);
        }
      }
    }
  }
}

// ---- depthwise convolutions (channel multiplier 1), row by row ----

/**
 * DepthwiseConv2dNativeBackpropFilter (multiplier 1): dW[a, b, c] = Σ_{n, y, x}
 * x[n, y·sh + a·dh − pt, x·sw + b·dw − pl, c]·dy[n, y, x, c]. Per image, each output row adds its
 * float32 sums into float32 per-tap totals, which are added into float64 totals after the image.
 * x [n, h, w, c], dy [n, oh, ow, c], dw [kh, kw, c]; scratch: kh·kw·c float64 then kh·kw·c float32.
 */
export function depthwise_filter_grad(
  x: usize, dy: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, dw: usize, scratch: usize,
): void {
  const taps = kh * kw * c;
  const acc64 = scratch;
  const acc32 = scratch + (<usize>taps << 3);
  zeroF64(acc64, taps);
  const c4 = c & ~3;
  const pix = <usize>c << 2;
  const xStep = <usize>sw * pix;
  for (let nn = 0; nn < n; nn++) {
    memory.fill(acc32, 0, <usize>taps << 2);
    for (let y = 0; y < oh; y++) {
      const dRow = dy + (<usize>((nn * oh + y) * ow) * pix);
      for (let a = 0; a < kh; a++) {
        const iy = y * sh + a * dh - pt;
        if (<u32>iy >= <u32>h) continue;
        const xRow = x + (<usize>((nn * h + iy) * w) * pix);
        for (let b = 0; b < kw; b++) {
          const offB = b * dwl - pl;
          const x0 = firstValid(offB, sw);
          const x1 = endValid(offB, sw, w, ow);
          if (x0 >= x1) continue;
          const tap = acc32 + (<usize>((a * kw + b) * c) << 2);
          const xStart = xRow + <usize>(x0 * sw + offB) * pix;
          const dStart = dRow + <usize>x0 * pix;
          let k = 0;
          for (; k < c4; k += 4) {
            const o = <usize>k << 2;
            let s0 = f32x4.splat(0);
            let s1 = f32x4.splat(0);
            let px = xStart + o;
            let pd = dStart + o;
            let j = x0;
            for (; j + 1 < x1; j += 2) {
              s0 = f32x4.add(s0, f32x4.mul(v128.load(px), v128.load(pd)));
              s1 = f32x4.add(s1, f32x4.mul(v128.load(px + xStep), v128.load(pd + pix)));
              px += xStep << 1;
              pd += pix << 1;
            }
            if (j < x1) s0 = f32x4.add(s0, f32x4.mul(v128.load(px), v128.load(pd)));
            v128.store(tap + o, f32x4.add(v128.load(tap + o), f32x4.add(s0, s1)));
          }
          for (; k < c; k++) {
            const o = <usize>k << 2;
            let t: f32 = 0;
            let px = xStart + o;
            let pd = dStart + o;
            for (let j = x0; j < x1; j++) {
              t += load<f32>(px) * load<f32>(pd);
              px += xStep;
              pd += pix;
            }
            store<f32>(tap + o, load<f32>(tap + o) + t);
          }
        }
      }
    }
    addF32ToF64(acc32, acc64, taps);
  }
  for (let i = 0; i < taps; i++) store<f32>(dw + (<usize>i << 2), <f32>load<f64>(acc64 + (<usize>i << 3)));
}

/** acc64[i] += acc32[i] for i < count. */
function addF32ToF64(acc32: usize, acc64: usize, count: i32): void {
  const c4 = count & ~3;
  let i = 0;
  for (; i < c4; i += 4) flush(acc64 + (<usize>i << 3), v128.load(acc32 + (<usize>i << 2)));
  for (; i < count; i++) {
    const a = acc64 + (<usize>i << 3);
    store<f64>(a, load<f64>(a) + <f64>load<f32>(acc32 + (<usize>i << 2)));
  }
}

/**
 * DepthwiseConv2dNativeBackpropInput (multiplier 1): dx[n, iy, ix, c] = Σ over taps and output
 * pixels (y, x) with iy = y·sh + a·dh − pt, ix = x·sw + b·dw − pl of dy[n, y, x, c]·W[a, b, c].
 * dy [n, oh, ow, c], w [kh, kw, c], dx [n, h, w, c] (written whole).
 */
export function depthwise_input_grad(
  dy: usize, wf: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, dx: usize,
): void {
  memory.fill(dx, 0, <usize>n * <usize>h * <usize>w * <usize>c << 2);
  const pix = <usize>c << 2;
  for (let nn = 0; nn < n; nn++) {
    for (let y = 0; y < oh; y++) {
      const dRow = dy + (<usize>((nn * oh + y) * ow) * pix);
      for (let a = 0; a < kh; a++) {
        const iy = y * sh + a * dh - pt;
        if (<u32>iy >= <u32>h) continue;
        const xRow = dx + (<usize>((nn * h + iy) * w) * pix);
        depthwiseRow(dRow, xRow, wf + (<usize>(a * kw * c) << 2), w, c, ow, kw, sw, dwl, pl, true);
      }
    }
  }
}

/**
 * DepthwiseConv2dNative (multiplier 1): y[n, y, x, c] = Σ_{a, b} x[n, y·sh + a·dh − pt,
 * x·sw + b·dw − pl, c]·W[a, b, c] (zero outside). x [n, h, w, c], w [kh, kw, c], out [n, oh, ow, c].
 */
export function depthwise_forward(
  x: usize, wf: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, out: usize,
): void {
  memory.fill(out, 0, <usize>n * <usize>oh * <usize>ow * <usize>c << 2);
  const pix = <usize>c << 2;
  for (let nn = 0; nn < n; nn++) {
    for (let y = 0; y < oh; y++) {
      const oRow = out + (<usize>((nn * oh + y) * ow) * pix);
      for (let a = 0; a < kh; a++) {
        const iy = y * sh + a * dh - pt;
        if (<u32>iy >= <u32>h) continue;
        const xRow = x + (<usize>((nn * h + iy) * w) * pix);
        depthwiseRow(oRow, xRow, wf + (<usize>(a * kw * c) << 2), w, c, ow, kw, sw, dwl, pl, false);
      }
    }
  }
}

/**
 * One filter row (kw taps, weights wRow [kw, c]) between an output row `o` (ow pixels) and an
 * input row `i` (w pixels): forward, o[x] += Σ_b i[x·sw + b·dw − pl]·W[b]; backward (`toInput`),
 * i[x·sw + b·dw − pl] += o[x]·W[b].
 */
function depthwiseRow(o: usize, i: usize, wRow: usize, w: i32, c: i32, ow: i32, kw: i32, sw: i32, dwl: i32, pl: i32, toInput: bool): void {
  const c4 = c & ~3;
  const pix = <usize>c << 2;
  const iStep = <usize>sw * pix;
  for (let b = 0; b < kw; b++) {
    const offB = b * dwl - pl;
    const x0 = firstValid(offB, sw);
    const x1 = endValid(offB, sw, w, ow);
    if (x0 >= x1) continue;
    const oStart = o + <usize>x0 * pix;
    const iStart = i + <usize>(x0 * sw + offB) * pix;
    const wb = wRow + (<usize>(b * c) << 2);
    let k = 0;
    for (; k < c4; k += 4) {
      const off = <usize>k << 2;
      const wv = v128.load(wb + off);
      let po = oStart + off;
      let pi = iStart + off;
      if (toInput) {
        for (let j = x0; j < x1; j++) {
          v128.store(pi, f32x4.add(v128.load(pi), f32x4.mul(v128.load(po), wv)));
          po += pix;
          pi += iStep;
        }
      } else {
        for (let j = x0; j < x1; j++) {
          v128.store(po, f32x4.add(v128.load(po), f32x4.mul(v128.load(pi), wv)));
          po += pix;
          pi += iStep;
        }
      }
    }
    for (; k < c; k++) {
      const off = <usize>k << 2;
      const wv = load<f32>(wb + off);
      let po = oStart + off;
      let pi = iStart + off;
      for (let j = x0; j < x1; j++) {
        if (toInput) store<f32>(pi, load<f32>(pi) + load<f32>(po) * wv);
        else store<f32>(po, load<f32>(po) + load<f32>(pi) * wv);
        po += pix;
        pi += iStep;
      }
    }
  }
}

// ---- Conv2D forward ----

/** The input pixel a tap reads for an output pixel (packed base, see pixelBase), or `zeros` when it is padding. */
// @ts-ignore: decorator
@inline function tapInput(x: usize, base: i64, offA: i32, offB: i32, zeros: usize): usize {
  const iy = <i32>((base >> 16) & 0xffff) + offA;
  const ix = <i32>(base & 0xffff) + offB;
  if (<u32>iy < <u32>gH && <u32>ix < <u32>gW) return x + (<usize>(((<i32>(base >> 32)) * gH + iy) * gW + ix) * <usize>gCi << 2);
  return zeros;
}

/**
 * Conv2D: out[n, y, x, o] = Σ_{a, b, c} x[n, y·sh + a·dh − pt, x·sw + b·dw − pl, c]·W[a, b, c, o]
 * (zero outside), 4 output pixels × 8 output channels in registers, summed over the taps and c in
 * float32. x [n, h, w, ci], w [kh, kw, ci, co], out [n, oh, ow, co]; zeros: scratch of ci float32.
 */
export function conv2d_forward(
  x: usize, wf: usize, n: i32, h: i32, wd: i32, ci: i32, oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, out: usize, zeros: usize,
): void {
  setGeometry(n, h, wd, ci, oh, ow, co, sh, sw);
  memory.fill(zeros, 0, <usize>ci << 2);
  const pixels = n * oh * ow;
  let p = 0;
  for (; p + 4 <= pixels; p += 4) fwBlock4(x, wf, p, kh, kw, dh, dwl, pt, pl, out, zeros);
  for (; p < pixels; p++) fwPixel(x, wf, p, kh, kw, dh, dwl, pt, pl, out, zeros);
}

/** conv2d_forward for output pixels p .. p + 3. */
function fwBlock4(x: usize, wf: usize, p: i32, kh: i32, kw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, out: usize, zeros: usize): void {
  const ci = gCi;
  const co = gCo;
  const b0 = pixelBase(p);
  const b1 = pixelBase(p + 1);
  const b2 = pixelBase(p + 2);
  const b3 = pixelBase(p + 3);
  const oRow = <usize>co << 2;
  const o0 = out + <usize>p * oRow;
  const co8 = co & ~7;
  const co4 = co & ~3;
  let o = 0;
  for (; o < co8; o += 8) {
    let a0 = f32x4.splat(0); let a1 = f32x4.splat(0); let a2 = f32x4.splat(0); let a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0); let a5 = f32x4.splat(0); let a6 = f32x4.splat(0); let a7 = f32x4.splat(0);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const offA = a * dh - pt;
        const offB = b * dwl - pl;
        let p0 = tapInput(x, b0, offA, offB, zeros);
        let p1 = tapInput(x, b1, offA, offB, zeros);
        let p2 = tapInput(x, b2, offA, offB, zeros);
        let p3 = tapInput(x, b3, offA, offB, zeros);
        let pw = wf + ((<usize>((a * kw + b) * ci) * <usize>co + <usize>o) << 2);
        for (let c = 0; c < ci; c++) {
          const w0 = v128.load(pw);
          const w1 = v128.load(pw, 16);
          const s0 = v128.load32_splat(p0);
          const s1 = v128.load32_splat(p1);
          const s2 = v128.load32_splat(p2);
          const s3 = v128.load32_splat(p3);
          a0 = f32x4.add(a0, f32x4.mul(s0, w0));
          a1 = f32x4.add(a1, f32x4.mul(s0, w1));
          a2 = f32x4.add(a2, f32x4.mul(s1, w0));
          a3 = f32x4.add(a3, f32x4.mul(s1, w1));
          a4 = f32x4.add(a4, f32x4.mul(s2, w0));
          a5 = f32x4.add(a5, f32x4.mul(s2, w1));
          a6 = f32x4.add(a6, f32x4.mul(s3, w0));
          a7 = f32x4.add(a7, f32x4.mul(s3, w1));
          p0 += 4; p1 += 4; p2 += 4; p3 += 4;
          pw += oRow;
        }
      }
    }
    const q = o0 + (<usize>o << 2);
    v128.store(q, a0); v128.store(q, a1, 16);
    v128.store(q + oRow, a2); v128.store(q + oRow, a3, 16);
    v128.store(q + 2 * oRow, a4); v128.store(q + 2 * oRow, a5, 16);
    v128.store(q + 3 * oRow, a6); v128.store(q + 3 * oRow, a7, 16);
  }
  for (; o < co4; o += 4) {
    let a0 = f32x4.splat(0); let a2 = f32x4.splat(0); let a4 = f32x4.splat(0); let a6 = f32x4.splat(0);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const offA = a * dh - pt;
        const offB = b * dwl - pl;
        let p0 = tapInput(x, b0, offA, offB, zeros);
        let p1 = tapInput(x, b1, offA, offB, zeros);
        let p2 = tapInput(x, b2, offA, offB, zeros);
        let p3 = tapInput(x, b3, offA, offB, zeros);
        let pw = wf + ((<usize>((a * kw + b) * ci) * <usize>co + <usize>o) << 2);
        for (let c = 0; c < ci; c++) {
          const w0 = v128.load(pw);
          a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(p0), w0));
          a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(p1), w0));
          a4 = f32x4.add(a4, f32x4.mul(v128.load32_splat(p2), w0));
          a6 = f32x4.add(a6, f32x4.mul(v128.load32_splat(p3), w0));
          p0 += 4; p1 += 4; p2 += 4; p3 += 4;
          pw += oRow;
        }
      }
    }
    const q = o0 + (<usize>o << 2);
    v128.store(q, a0);
    v128.store(q + oRow, a2);
    v128.store(q + 2 * oRow, a4);
    v128.store(q + 3 * oRow, a6);
  }
  for (; o < co; o++) {
    for (let j = 0; j < 4; j++) store<f32>(o0 + <usize>j * oRow + (<usize>o << 2), fwScalar(x, wf, pixelBase(p + j), o, kh, kw, dh, dwl, pt, pl, zeros));
  }
}

/** conv2d_forward for the single output pixel p (the last pixels % 4). */
function fwPixel(x: usize, wf: usize, p: i32, kh: i32, kw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, out: usize, zeros: usize): void {
  const ci = gCi;
  const co = gCo;
  const base = pixelBase(p);
  const oRow = <usize>co << 2;
  const q = out + <usize>p * oRow;
  const co4 = co & ~3;
  let o = 0;
  for (; o < co4; o += 4) {
    let acc = f32x4.splat(0);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        let px = tapInput(x, base, a * dh - pt, b * dwl - pl, zeros);
        let pw = wf + ((<usize>((a * kw + b) * ci) * <usize>co + <usize>o) << 2);
        for (let c = 0; c < ci; c++) {
          acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(px), v128.load(pw)));
          px += 4;
          pw += oRow;
        }
      }
    }
    v128.store(q + (<usize>o << 2), acc);
  }
  for (; o < co; o++) store<f32>(q + (<usize>o << 2), fwScalar(x, wf, base, o, kh, kw, dh, dwl, pt, pl, zeros));
}

/** One output value of conv2d_forward (output channel o of the pixel at `base`), scalar. */
function fwScalar(x: usize, wf: usize, base: i64, o: i32, kh: i32, kw: i32, dh: i32, dwl: i32, pt: i32, pl: i32, zeros: usize): f32 {
  const ci = gCi;
  const co = gCo;
  let t: f32 = 0;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      let px = tapInput(x, base, a * dh - pt, b * dwl - pl, zeros);
      let pw = wf + ((<usize>((a * kw + b) * ci) * <usize>co + <usize>o) << 2);
      for (let c = 0; c < ci; c++) {
        t += load<f32>(px) * load<f32>(pw);
        px += 4;
        pw += <usize>co << 2;
      }
    }
  }
  return t;
}

// ---- EvoNorm-S0 (see src/tensor/wasm-kernels/evonorm-s0-math.ts for the formulas) ----

/** e^x per lane (Cephes expf: x = n·ln 2 + r, a degree-6 polynomial in r, 2^n by the exponent bits; ~1 ulp). */
// @ts-ignore: decorator
@inline function expV(v: v128): v128 {
  const x = f32x4.min(f32x4.max(v, f32x4.splat(-87.33654)), f32x4.splat(88.37626));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  const r = f32x4.add(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.mul(f32x4.mul(p, r), r), f32x4.add(r, f32x4.splat(1)));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  // NaN in, NaN out (min/max keep it; the polynomial carries it).
  return f32x4.mul(p, scale);
}

/** σ(t) = 1 / (1 + e^(−t)) per lane. */
// @ts-ignore: decorator
@inline function sigmoidV(t: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(t))));
}

/** σ(t) for one float (the lanes' formula, for the c % 4 channels). */
// @ts-ignore: decorator
@inline function sigmoidS(t: f32): f32 {
  return f32x4.extract_lane(sigmoidV(f32x4.splat(t)), 0);
}

/** Group sums g[j] = Σ_{k in group j} a[k] (float64, `per` channels a group). */
function groupSums(a: usize, c: i32, per: i32, g: usize): void {
  const groups = c / per;
  for (let j = 0; j < groups; j++) {
    let t: f64 = 0;
    for (let k = j * per; k < (j + 1) * per; k++) t += load<f64>(a + (<usize>k << 3));
    store<f64>(g + (<usize>j << 3), t);
  }
}

/**
 * EvoNorm-S0 forward over x [n, hw, c]: per sample and group, mean and r = 1/√(var + eps)
 * (two passes, float64 sums) into stats [n, groups, 2]; s = σ(v1·x); y = x·s·r·γ + β.
 * scratch: bytes from evonorm_s0_scratch_bytes(c).
 */
export function evonorm_s0_forward(
  x: usize, v1: usize, gamma: usize, beta: usize, n: i32, hw: i32, c: i32, groups: i32, eps: f64,
  y: usize, s: usize, stats: usize, scratch: usize,
): void {
  const per = c / groups;
  const count = <f64>hw * <f64>per;
  const sumC = scratch; // c float64
  const gsum = sumC + (<usize>c << 3); // groups float64
  const meanC = gsum + (<usize>groups << 3); // c float32
  const scaleC = meanC + (<usize>c << 2); // c float32
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  for (let nn = 0; nn < n; nn++) {
    const base = <usize>nn * <usize>hw * rowBytes;
    zeroF64(sumC, c);
    addRows(x + base, hw, c, sumC);
    groupSums(sumC, c, per, gsum);
    for (let k = 0; k < c; k++) store<f32>(meanC + (<usize>k << 2), <f32>(load<f64>(gsum + (<usize>(k / per) << 3)) / count));
    zeroF64(sumC, c);
    addSquares(x + base, meanC, hw, c, sumC);
    groupSums(sumC, c, per, gsum);
    for (let j = 0; j < groups; j++) {
      const st = stats + (<usize>(nn * groups + j) << 3);
      store<f32>(st, load<f32>(meanC + (<usize>(j * per) << 2)));
      store<f32>(st, <f32>(1 / Math.sqrt(load<f64>(gsum + (<usize>j << 3)) / count + eps)), 4);
    }
    for (let k = 0; k < c; k++) {
      const r = load<f32>(stats + (<usize>(nn * groups + k / per) << 3), 4);
      store<f32>(scaleC + (<usize>k << 2), r * load<f32>(gamma + (<usize>k << 2)));
    }
    for (let p: usize = base; p < base + <usize>hw * rowBytes; p += rowBytes) {
      let k = 0;
      for (; k < c4; k += 4) {
        const o = <usize>k << 2;
        const xv = v128.load(x + p + o);
        const sv = sigmoidV(f32x4.mul(v128.load(v1 + o), xv));
        v128.store(s + p + o, sv);
        v128.store(y + p + o, f32x4.add(f32x4.mul(f32x4.mul(xv, sv), v128.load(scaleC + o)), v128.load(beta + o)));
      }
      for (; k < c; k++) {
        const o = <usize>k << 2;
        const xv = load<f32>(x + p + o);
        const sv = sigmoidS(load<f32>(v1 + o) * xv);
        store<f32>(s + p + o, sv);
        store<f32>(y + p + o, xv * sv * load<f32>(scaleC + o) + load<f32>(beta + o));
      }
    }
  }
}

/**
 * Gradients of evonorm_s0_forward given dy, x, its s and stats (u = x·s, du = dy·γ·r,
 * ds = s(1 − s)): dβ = Σ dy, dγ = Σ dy·u·r, dv1 = Σ du·x²·ds,
 * dx = du·(s + v1·x·ds) − r³/m·(Σ_group dy·γ·u)·(x − mean), m = hw·c/groups.
 * scratch: bytes from evonorm_s0_scratch_bytes(c).
 */
export function evonorm_s0_backward(
  dy: usize, x: usize, s: usize, v1: usize, gamma: usize, stats: usize, n: i32, hw: i32, c: i32, groups: i32,
  dx: usize, dv1: usize, dgamma: usize, dbeta: usize, scratch: usize,
): void {
  const per = c / groups;
  const count = <f64>hw * <f64>per;
  const sDr = scratch; // c float64: Σ dy·u of this sample
  const accB = sDr + (<usize>c << 3); // c float64 each: dβ, dv1, dγ totals
  const accV = accB + (<usize>c << 3);
  const accG = accV + (<usize>c << 3);
  const gsum = accG + (<usize>c << 3); // groups float64
  const duC = gsum + (<usize>groups << 3); // c float32: γ·r of this sample
  const kC = duC + (<usize>c << 2); // c float32: −r³/m·dr_g
  const meanC = kC + (<usize>c << 2); // c float32
  zeroF64(accB, 3 * c);
  const c4 = c & ~3;
  const rowBytes = <usize>c << 2;
  const one = f32x4.splat(1);
  for (let nn = 0; nn < n; nn++) {
    const base = <usize>nn * <usize>hw * rowBytes;
    for (let k = 0; k < c; k++) {
      const st = stats + (<usize>(nn * groups + k / per) << 3);
      store<f32>(meanC + (<usize>k << 2), load<f32>(st));
      store<f32>(duC + (<usize>k << 2), load<f32>(gamma + (<usize>k << 2)) * load<f32>(st, 4));
    }
    zeroF64(sDr, c);
    for (let r0 = 0; r0 < hw; r0 += BLOCK) {
      const rn = min(BLOCK, hw - r0);
      const off = base + <usize>r0 * rowBytes;
      let k = 0;
      for (; k < c4; k += 4) {
        const o = <usize>k << 2;
        const gr = v128.load(duC + o);
        const vv = v128.load(v1 + o);
        let tb = f32x4.splat(0);
        let tr = f32x4.splat(0);
        let tv = f32x4.splat(0);
        let p = off + o;
        for (let r = 0; r < rn; r++) {
          const g = v128.load(dy + p);
          const xv = v128.load(x + p);
          const sv = v128.load(s + p);
          const du = f32x4.mul(g, gr);
          const xds = f32x4.mul(xv, f32x4.mul(sv, f32x4.sub(one, sv)));
          tb = f32x4.add(tb, g);
          tr = f32x4.add(tr, f32x4.mul(g, f32x4.mul(xv, sv)));
          tv = f32x4.add(tv, f32x4.mul(f32x4.mul(du, xv), xds));
          v128.store(dx + p, f32x4.mul(du, f32x4.add(sv, f32x4.mul(vv, xds))));
          p += rowBytes;
        }
        flush(accB + (<usize>k << 3), tb);
        flush(sDr + (<usize>k << 3), tr);
        flush(accV + (<usize>k << 3), tv);
      }
      for (; k < c; k++) {
        const o = <usize>k << 2;
        const gr = load<f32>(duC + o);
        const vv = load<f32>(v1 + o);
        let tb: f32 = 0;
        let tr: f32 = 0;
        let tv: f32 = 0;
        let p = off + o;
        for (let r = 0; r < rn; r++) {
          const g = load<f32>(dy + p);
          const xv = load<f32>(x + p);
          const sv = load<f32>(s + p);
          const du = g * gr;
          const xds = xv * (sv * (1 - sv));
          tb += g;
          tr += g * (xv * sv);
          tv += du * xv * xds;
          store<f32>(dx + p, du * (sv + vv * xds));
          p += rowBytes;
        }
        const a = <usize>k << 3;
        store<f64>(accB + a, load<f64>(accB + a) + <f64>tb);
        store<f64>(sDr + a, load<f64>(sDr + a) + <f64>tr);
        store<f64>(accV + a, load<f64>(accV + a) + <f64>tv);
      }
    }
    // dr_g = Σ_group Σ dy·u·γ; dγ += Σ dy·u · r; k = −r³·dr_g/m.
    for (let j = 0; j < groups; j++) {
      let t: f64 = 0;
      for (let k = j * per; k < (j + 1) * per; k++) t += load<f64>(sDr + (<usize>k << 3)) * <f64>load<f32>(gamma + (<usize>k << 2));
      store<f64>(gsum + (<usize>j << 3), t);
    }
    for (let k = 0; k < c; k++) {
      const r = <f64>load<f32>(stats + (<usize>(nn * groups + k / per) << 3), 4);
      const a = accG + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + load<f64>(sDr + (<usize>k << 3)) * r);
      store<f32>(kC + (<usize>k << 2), <f32>((-(r * r * r) * load<f64>(gsum + (<usize>(k / per) << 3))) / count));
    }
    for (let p: usize = base; p < base + <usize>hw * rowBytes; p += rowBytes) {
      let k = 0;
      for (; k < c4; k += 4) {
        const o = <usize>k << 2;
        const xc = f32x4.sub(v128.load(x + p + o), v128.load(meanC + o));
        v128.store(dx + p + o, f32x4.add(v128.load(dx + p + o), f32x4.mul(v128.load(kC + o), xc)));
      }
      for (; k < c; k++) {
        const o = <usize>k << 2;
        store<f32>(dx + p + o, load<f32>(dx + p + o) + load<f32>(kC + o) * (load<f32>(x + p + o) - load<f32>(meanC + o)));
      }
    }
  }
  for (let k = 0; k < c; k++) {
    const o = <usize>k << 2;
    const a = <usize>k << 3;
    store<f32>(dbeta + o, <f32>load<f64>(accB + a));
    store<f32>(dv1 + o, <f32>load<f64>(accV + a));
    store<f32>(dgamma + o, <f32>load<f64>(accG + a));
  }
}

/** Bytes of scratch evonorm_s0_forward and evonorm_s0_backward need for c channels (groups ≤ c). */
export function evonorm_s0_scratch_bytes(c: i32): i32 {
  return 4 * 8 * c + 8 * c + 3 * 4 * c + 16;
}

// ---- moments over the middle axis (the graph reductions mean/var over instance, batch, layer) ----
//
// x seen as [outer, p, inner]; the statistics are over p for each (outer, inner): instance
// statistics of NHWC are [n, h·w, c], batch ones [1, n·h·w, c], layer ones [n, h·w·c, 1]. The
// sums are sum_middle's (the same blocks and order), and the scaling is a float32 multiply by
// 1/count, so the values equal the op-by-op path's (sum_middle, × 1/count, x − μ, square,
// sum_middle, × 1/count) bit for bit.

/** Σ of (x − mu)² over p contiguous floats, the difference and square in float32, summed as sumContiguous. */
function sumSquaresContiguous(x: usize, p: i32, mu: f32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  const muV = f32x4.splat(mu);
  const p4 = p & ~3;
  let i = 0;
  for (; i < p4; i += 4) {
    const e = f32x4.sub(v128.load(x + (<usize>i << 2)), muV);
    const v = f32x4.mul(e, e);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < p; i++) {
    const e = load<f32>(x + (<usize>i << 2)) - mu;
    s += <f64>(e * e);
  }
  return s;
}

/**
 * mean[o, k] = (Σ_j x[o, j, k])·invCount; with variance ≠ 0 also
 * variance[o, k] = (Σ_j (x[o, j, k] − mean[o, k])²)·invCount (float64 sums, float32 scaling).
 * scratch: inner float64.
 */
export function moments_middle(x: usize, outer: i32, p: i32, inner: i32, invCount: f32, mean: usize, variance: usize, scratch: usize): void {
  const block = <usize>p * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * block;
    const mu = mean + (<usize>o * <usize>inner << 2);
    const va = variance + (<usize>o * <usize>inner << 2);
    if (inner === 1) {
      const m = <f32>sumContiguous(src, p) * invCount;
      store<f32>(mu, m);
      if (variance !== 0) store<f32>(va, <f32>sumSquaresContiguous(src, p, m) * invCount);
      continue;
    }
    zeroF64(scratch, inner);
    addRows(src, p, inner, scratch);
    for (let k = 0; k < inner; k++) store<f32>(mu + (<usize>k << 2), <f32>load<f64>(scratch + (<usize>k << 3)) * invCount);
    if (variance === 0) continue;
    zeroF64(scratch, inner);
    addSquares(src, mu, p, inner, scratch);
    for (let k = 0; k < inner; k++) store<f32>(va + (<usize>k << 2), <f32>load<f64>(scratch + (<usize>k << 3)) * invCount);
  }
}

/**
 * Gradient of the variance of moments_middle: dx[o, j, k] = (x[o, j, k] − mean[o, k])·g[o, k],
 * g = dvar·2/count (float32), as the op-by-op path's (x − μ)·(dvar·(2/count)). With x = 0 (a
 * null pointer) it is the mean's gradient instead: dx[o, j, k] = g[o, k], g = dmean/count.
 * scratch: inner float32.
 */
export function moments_middle_grad(x: usize, mean: usize, dstat: usize, outer: i32, p: i32, inner: i32, scale: f32, dx: usize, scratch: usize): void {
  const rowBytes = <usize>inner << 2;
  const in4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const so = <usize>o * rowBytes;
    for (let k = 0; k < inner; k++) store<f32>(scratch + (<usize>k << 2), load<f32>(dstat + so + (<usize>k << 2)) * scale);
    const base = so * <usize>p;
    for (let j = 0; j < p; j++) {
      const row = base + <usize>j * rowBytes;
      let k = 0;
      if (x === 0) {
        for (; k < in4; k += 4) v128.store(dx + row + (<usize>k << 2), v128.load(scratch + (<usize>k << 2)));
        for (; k < inner; k++) store<f32>(dx + row + (<usize>k << 2), load<f32>(scratch + (<usize>k << 2)));
        continue;
      }
      for (; k < in4; k += 4) {
        const q = <usize>k << 2;
        v128.store(dx + row + q, f32x4.mul(f32x4.sub(v128.load(x + row + q), v128.load(mean + so + q)), v128.load(scratch + q)));
      }
      for (; k < inner; k++) {
        const q = <usize>k << 2;
        store<f32>(dx + row + q, (load<f32>(x + row + q) - load<f32>(mean + so + q)) * load<f32>(scratch + q));
      }
    }
  }
}

// ---- max(a, b) / min(a, b) of graph layers, with a broadcast operand ----
//
// Both operands seen over [outer, p, inner]; one of them may be "small", [outer, 1, inner]
// (a statistic broadcast over p). The choice follows src/tensor/fused/binary.ts exactly: with
// d = a − b, max takes b where d < 0, min where d > 0 (NaN takes a); the gradient mask m is 1
// where b is taken, 0 where not, NaN where d is NaN; db = dy·m, da = dy − dy·m; a small operand's
// gradient is summed over p as sum_middle sums (bit for bit the op-by-op path's values).

/** Lanes where b is taken, given d = a − b. */
// @ts-ignore: decorator
@inline function takesB(d: v128, isMin: i32): v128 {
  return isMin ? f32x4.gt(d, f32x4.splat(0)) : f32x4.lt(d, f32x4.splat(0));
}

// @ts-ignore: decorator
@inline function takesBS(d: f32, isMin: i32): bool {
  return isMin ? d > 0 : d < 0;
}

/** y = max(a, b) (or min with isMin) over [outer, p, inner]; aSmall / bSmall: that operand is [outer, 1, inner]. */
export function maxmin_forward(a: usize, b: usize, outer: i32, p: i32, inner: i32, aSmall: i32, bSmall: i32, isMin: i32, y: usize): void {
  const in4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const smallRow = <usize>o * <usize>inner << 2;
    for (let j = 0; j < p; j++) {
      const fullRow = (<usize>o * <usize>p + <usize>j) * <usize>inner << 2;
      const ar = a + (aSmall ? smallRow : fullRow);
      const br = b + (bSmall ? smallRow : fullRow);
      const yr = y + fullRow;
      let k = 0;
      for (; k < in4; k += 4) {
        const q = <usize>k << 2;
        const av = v128.load(ar + q);
        const bv = v128.load(br + q);
        v128.store(yr + q, v128.bitselect(bv, av, takesB(f32x4.sub(av, bv), isMin)));
      }
      for (; k < inner; k++) {
        const q = <usize>k << 2;
        const av = load<f32>(ar + q);
        const bv = load<f32>(br + q);
        store<f32>(yr + q, takesBS(av - bv, isMin) ? bv : av);
      }
    }
  }
}

/**
 * Gradients of maxmin_forward for upstream dy (full): da and db in their operands' shapes.
 * scratch: p·inner float32 (the small operand's full-size gradient, one outer at a time), then
 * inner float64, 16-aligned: maxmin_scratch_bytes(p, inner).
 */
export function maxmin_backward(
  a: usize, b: usize, dy: usize, outer: i32, p: i32, inner: i32, aSmall: i32, bSmall: i32, isMin: i32,
  da: usize, db: usize, scratch: usize,
): void {
  const in4 = inner & ~3;
  const acc = scratch + ((<usize>p * <usize>inner << 2) + 15 & ~15);
  const one = f32x4.splat(1);
  const nan = f32x4.splat(NaN);
  for (let o = 0; o < outer; o++) {
    const smallRow = <usize>o * <usize>inner << 2;
    for (let j = 0; j < p; j++) {
      const fullRow = (<usize>o * <usize>p + <usize>j) * <usize>inner << 2;
      const tmpRow = <usize>j * <usize>inner << 2;
      const ar = a + (aSmall ? smallRow : fullRow);
      const br = b + (bSmall ? smallRow : fullRow);
      const dyr = dy + fullRow;
      const dar = aSmall ? scratch + tmpRow : da + fullRow;
      const dbr = bSmall ? scratch + tmpRow : db + fullRow;
      let k = 0;
      for (; k < in4; k += 4) {
        const q = <usize>k << 2;
        const d = f32x4.sub(v128.load(ar + q), v128.load(br + q));
        const m = v128.bitselect(nan, v128.and(takesB(d, isMin), one), f32x4.ne(d, d));
        const g = v128.load(dyr + q);
        const gb = f32x4.mul(g, m);
        v128.store(dar + q, f32x4.sub(g, gb));
        v128.store(dbr + q, gb);
      }
      for (; k < inner; k++) {
        const q = <usize>k << 2;
        const d = load<f32>(ar + q) - load<f32>(br + q);
        const m: f32 = d != d ? NaN : takesBS(d, isMin) ? 1 : 0;
        const g = load<f32>(dyr + q);
        const gb = g * m;
        store<f32>(dar + q, g - gb);
        store<f32>(dbr + q, gb);
      }
    }
    if (!aSmall && !bSmall) continue;
    const out = (aSmall ? da : db) + smallRow;
    if (inner === 1) {
      store<f32>(out, <f32>sumContiguous(scratch, p));
      continue;
    }
    zeroF64(acc, inner);
    addRows(scratch, p, inner, acc);
    for (let k = 0; k < inner; k++) store<f32>(out + (<usize>k << 2), <f32>load<f64>(acc + (<usize>k << 3)));
  }
}

/** Scratch bytes maxmin_backward needs. */
export function maxmin_scratch_bytes(p: i32, inner: i32): i32 {
  return ((p * inner << 2) + 15 & ~15) + (inner << 3);
}

// ---- log and sqrt of graph layers, with sign⁺ (src/tensor/op-kernels.ts) ----
//
// signed: y = s·f(|x| + ε), s = 1 − 2·step(−x) (−1 for x < 0, 1 for x ≥ 0, NaN for NaN);
// unsigned (x provably ≥ 0): y = f(x + ε). f = log (op 0) or sqrt (op 1). The gradient is the
// op-by-op path's autodiff, operation for operation: signed dx = ((dy·s) / f'(u)) · (x > 0 ? 1 : −1)
// with u = |x| + ε and f'(u) written as tfjs's gradients write it (log: ÷ u; sqrt: ÷ (√u·2)).
// sqrt and every gradient are bit for bit the op path's; log is Cephes logf (≤ 2 ulp from the
// C library's logf that tfjs-wasm calls).

/** ln x per lane for normal positive x (Cephes logf: x = m·2^e, a degree-8 polynomial in m − 1). */
function logNormalV(x: v128): v128 {
  const bits = x;
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126)));
  // m in [0.5, 1): the mantissa with the exponent of 0.5.
  let m = v128.or(v128.and(bits, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(small, f32x4.splat(1)));
  // m < √½: m + m − 1, else m − 1
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), f32x4.splat(1));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(e, f32x4.splat(0.693359375)));
}

/**
 * ln x per lane; lanes that are not normal positive numbers (rare: ε = 0 with x = 0, ∞, NaN, a
 * subnormal) as logf has them: −∞ for 0, ∞ for ∞, NaN for NaN and x < 0, a subnormal scaled by 2^23.
 * (Not Math.log: AssemblyScript's brings a data segment, which this module must not have.)
 */
function logV(x: v128): v128 {
  let r = logNormalV(x);
  const normal = v128.and(f32x4.ge(x, f32x4.splat(1.17549435e-38)), f32x4.lt(x, f32x4.splat(Infinity)));
  if (i32x4.all_true(normal)) return r;
  for (let i = 0; i < 4; i++) {
    const w = getLane(x, i);
    if (w >= 1.17549435e-38 && w < Infinity) continue;
    const l: f32 = w != w || w < 0 ? NaN : w === 0 ? -Infinity : w === Infinity ? Infinity
      : f32x4.extract_lane(logNormalV(f32x4.splat(w * 8388608)), 0) - 15.942385152878742;
    r = setLane(r, i, l);
  }
  return r;
}

// @ts-ignore: decorator
@inline function unaryV(u: v128, op: i32): v128 {
  return op === 0 ? logV(u) : f32x4.sqrt(u);
}

/** s = 1 − 2·step(−x) per lane: 1 for x ≥ 0, −1 for x < 0, NaN for NaN. */
// @ts-ignore: decorator
@inline function signPlusV(x: v128): v128 {
  const one = f32x4.splat(1);
  const step = v128.bitselect(f32x4.splat(NaN), v128.and(f32x4.gt(f32x4.neg(x), f32x4.splat(0)), one), f32x4.ne(x, x));
  return f32x4.sub(one, f32x4.mul(step, f32x4.splat(2)));
}

/** y[i] = f(x[i]) as described above, over n elements; op 0 log, 1 sqrt; signed 0 or 1. */
export function signed_unary_forward(x: usize, n: i32, eps: f32, op: i32, signed: i32, y: usize): void {
  const epsV = f32x4.splat(eps);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const q = <usize>i << 2;
    const xv = v128.load(x + q);
    if (signed) v128.store(y + q, f32x4.mul(signPlusV(xv), unaryV(f32x4.add(f32x4.abs(xv), epsV), op)));
    else v128.store(y + q, unaryV(f32x4.add(xv, epsV), op));
  }
  if (i < n) {
    // The last n % 4 elements through one vector, lanes beyond n being zeros.
    let xv = f32x4.splat(0);
    for (let j = 0; i + j < n; j++) xv = setLane(xv, j, load<f32>(x + (<usize>(i + j) << 2)));
    const yv = signed ? f32x4.mul(signPlusV(xv), unaryV(f32x4.add(f32x4.abs(xv), epsV), op)) : unaryV(f32x4.add(xv, epsV), op);
    for (let j = 0; i + j < n; j++) store<f32>(y + (<usize>(i + j) << 2), getLane(yv, j));
  }
}

/** dx of signed_unary_forward for upstream dy, as the op-by-op autodiff computes it. */
export function signed_unary_backward(x: usize, dy: usize, n: i32, eps: f32, op: i32, signed: i32, dx: usize): void {
  const epsV = f32x4.splat(eps);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const q = <usize>i << 2;
    v128.store(dx + q, unaryGradV(v128.load(x + q), v128.load(dy + q), epsV, op, signed));
  }
  if (i < n) {
    let xv = f32x4.splat(0);
    let gv = f32x4.splat(0);
    for (let j = 0; i + j < n; j++) {
      xv = setLane(xv, j, load<f32>(x + (<usize>(i + j) << 2)));
      gv = setLane(gv, j, load<f32>(dy + (<usize>(i + j) << 2)));
    }
    const r = unaryGradV(xv, gv, epsV, op, signed);
    for (let j = 0; i + j < n; j++) store<f32>(dx + (<usize>(i + j) << 2), getLane(r, j));
  }
}

// @ts-ignore: decorator
@inline function unaryGradV(xv: v128, g: v128, epsV: v128, op: i32, signed: i32): v128 {
  const u = signed ? f32x4.add(f32x4.abs(xv), epsV) : f32x4.add(xv, epsV);
  const gs = signed ? f32x4.mul(g, signPlusV(xv)) : g;
  const d = op === 0 ? f32x4.div(gs, u) : f32x4.div(gs, f32x4.mul(f32x4.sqrt(u), f32x4.splat(2)));
  if (!signed) return d;
  // Abs's gradient: dy·step(x, −1), 1 for x > 0, −1 otherwise (NaN for NaN).
  const one = f32x4.splat(1);
  const sgn = v128.bitselect(f32x4.splat(NaN), v128.bitselect(one, f32x4.neg(one), f32x4.gt(xv, f32x4.splat(0))), f32x4.ne(xv, xv));
  return f32x4.mul(d, sgn);
}

// @ts-ignore: decorator
@inline function setLane(v: v128, j: i32, s: f32): v128 {
  return j === 0 ? f32x4.replace_lane(v, 0, s) : j === 1 ? f32x4.replace_lane(v, 1, s) : j === 2 ? f32x4.replace_lane(v, 2, s) : f32x4.replace_lane(v, 3, s);
}

// @ts-ignore: decorator
@inline function getLane(v: v128, j: i32): f32 {
  return j === 0 ? f32x4.extract_lane(v, 0) : j === 1 ? f32x4.extract_lane(v, 1) : j === 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}

// ---- SGD with momentum (src/tensor/wasm-kernels/sgd-step.ts sgdStepArrays, in float64 lanes) ----

/**
 * One SGD-with-momentum update of n floats, the JS kernel's arithmetic in float64 (two lanes),
 * rounded to float32 on store, so the results equal it bit for bit:
 *   g' = g + l2·w;  v' = μ·v + g';  w' = w − lr·(nesterov ? g' + μ·v' : v') − dec·w.
 */
export function sgd_step(w: usize, v: usize, g: usize, n: i32, lr: f64, mu: f64, nesterov: i32, l2: f64, dec: f64, wOut: usize, vOut: usize): void {
  const lrV = f64x2.splat(lr);
  const muV = f64x2.splat(mu);
  const l2V = f64x2.splat(l2);
  const decV = f64x2.splat(dec);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const q = <usize>i << 2;
    const w4 = v128.load(w + q);
    const v4 = v128.load(v + q);
    const g4 = v128.load(g + q);
    const wl = f64x2.promote_low_f32x4(w4);
    const wh = f64x2.promote_low_f32x4(v128.shuffle<f32>(w4, w4, 2, 3, 0, 1));
    const gl = f64x2.add(f64x2.promote_low_f32x4(g4), f64x2.mul(l2V, wl));
    const gh = f64x2.add(f64x2.promote_low_f32x4(v128.shuffle<f32>(g4, g4, 2, 3, 0, 1)), f64x2.mul(l2V, wh));
    const vl = f64x2.add(f64x2.mul(muV, f64x2.promote_low_f32x4(v4)), gl);
    const vh = f64x2.add(f64x2.mul(muV, f64x2.promote_low_f32x4(v128.shuffle<f32>(v4, v4, 2, 3, 0, 1))), gh);
    const sl = nesterov ? f64x2.add(gl, f64x2.mul(muV, vl)) : vl;
    const sh = nesterov ? f64x2.add(gh, f64x2.mul(muV, vh)) : vh;
    const nl = f64x2.sub(f64x2.sub(wl, f64x2.mul(lrV, sl)), f64x2.mul(decV, wl));
    const nh = f64x2.sub(f64x2.sub(wh, f64x2.mul(lrV, sh)), f64x2.mul(decV, wh));
    v128.store(vOut + q, v128.shuffle<f32>(f32x4.demote_f64x2_zero(vl), f32x4.demote_f64x2_zero(vh), 0, 1, 4, 5));
    v128.store(wOut + q, v128.shuffle<f32>(f32x4.demote_f64x2_zero(nl), f32x4.demote_f64x2_zero(nh), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const q = <usize>i << 2;
    const wi = <f64>load<f32>(w + q);
    const gi = <f64>load<f32>(g + q) + l2 * wi;
    const vi = mu * <f64>load<f32>(v + q) + gi;
    store<f32>(vOut + q, <f32>vi);
    store<f32>(wOut + q, <f32>(wi - lr * (nesterov ? gi + mu * vi : vi) - dec * wi));
  }
}
