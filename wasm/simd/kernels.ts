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

/** Bytes of scratch the kernels above need for c channels (the largest of them). */
export function scratch_bytes(c: i32): i32 {
  return 16 * c + 12 * c + 16;
}
