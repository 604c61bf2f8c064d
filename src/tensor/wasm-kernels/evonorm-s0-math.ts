/**
 * EvoNorm-S0 forward and backward over NHWC Float32Arrays (Liu et al. 2020, Fig. 1):
 *
 *   y = x·s · r_g · γ + β,   s = σ(v1·x),   r_g = 1/√(var_g(x) + eps),
 *
 * var_g over (h, w, channels of group g) of one sample; v1, γ, β per channel. The forward
 * keeps s and per-(sample, group) (mean, r) so the backward needs no exp and no stats pass.
 * Backward (u = x·s, m = elements per group):
 *   dβ = Σ dy,  dγ = Σ dy·u·r,  du = dy·γ·r,  dv1 = Σ du·x²·s(1-s),
 *   dvar_g = -½ r³ Σ_g dy·γ·u,  dx = du·(s + v1·x·s(1-s)) + dvar_g·2(x - mean_g)/m.
 * The sigmoid itself is left to the caller (wasm has a SIMD kernel for it; JS exp is slow).
 */

/** Sizes of one EvoNorm-S0 application. */
export interface S0Dims {
  n: number;
  hw: number; // h·w
  c: number;
  groups: number;
  eps: number;
}

/** Group index of each channel. */
function groupOf(d: S0Dims): Int32Array {
  const per = d.c / d.groups;
  return Int32Array.from({ length: d.c }, (_, c) => Math.floor(c / per));
}

/** stats[(n·G + g)·2 + 0|1] = mean, r = 1/√(var + eps) of each sample and group (two passes). */
export function s0Stats(x: Float32Array, d: S0Dims, stats: Float32Array): void {
  const gOf = groupOf(d);
  const count = (d.hw * d.c) / d.groups;
  const mean = new Float64Array(d.groups);
  const sq = new Float64Array(d.groups);
  const perC = new Float64Array(d.c);
  for (let n = 0; n < d.n; n++) {
    const base = n * d.hw * d.c;
    const end = base + d.hw * d.c;
    perC.fill(0);
    for (let o = base; o < end; o += d.c) for (let c = 0; c < d.c; c++) perC[c]! += x[o + c]!;
    mean.fill(0);
    for (let c = 0; c < d.c; c++) mean[gOf[c]!]! += perC[c]!;
    for (let g = 0; g < d.groups; g++) mean[g]! /= count;
    perC.fill(0);
    for (let o = base; o < end; o += d.c) {
      for (let c = 0; c < d.c; c++) {
        const e = x[o + c]! - mean[gOf[c]!]!;
        perC[c]! += e * e;
      }
    }
    sq.fill(0);
    for (let c = 0; c < d.c; c++) sq[gOf[c]!]! += perC[c]!;
    for (let g = 0; g < d.groups; g++) {
      stats[(n * d.groups + g) * 2] = mean[g]!;
      stats[(n * d.groups + g) * 2 + 1] = 1 / Math.sqrt(sq[g]! / count + d.eps);
    }
  }
}

/** t = v1·x (the sigmoid's argument). */
export function s0PreActivation(x: Float32Array, v1: Float32Array, d: S0Dims, t: Float32Array): void {
  const total = d.n * d.hw * d.c;
  for (let o = 0; o < total; o += d.c) for (let c = 0; c < d.c; c++) t[o + c] = v1[c]! * x[o + c]!;
}

/** out = σ(t) in JS (used where no faster sigmoid kernel is at hand). */
export function sigmoidJs(t: Float32Array, out: Float32Array): void {
  for (let i = 0; i < t.length; i++) out[i] = 1 / (1 + Math.exp(-t[i]!));
}

/** y = x·s·r·γ + β. */
export function s0Output(
  x: Float32Array, s: Float32Array, gamma: Float32Array, beta: Float32Array, stats: Float32Array, d: S0Dims,
  y: Float32Array,
): void {
  const gOf = groupOf(d);
  const scale = new Float32Array(d.c);
  for (let n = 0; n < d.n; n++) {
    for (let c = 0; c < d.c; c++) scale[c] = stats[(n * d.groups + gOf[c]!) * 2 + 1]! * gamma[c]!;
    const base = n * d.hw * d.c;
    const end = base + d.hw * d.c;
    for (let o = base; o < end; o += d.c) {
      for (let c = 0; c < d.c; c++) y[o + c] = x[o + c]! * s[o + c]! * scale[c]! + beta[c]!;
    }
  }
}

/** Gradients of EvoNorm-S0 w.r.t. x, v1, γ, β given dy and the forward's s and stats. */
export function s0Backward(
  dy: Float32Array, x: Float32Array, s: Float32Array, v1: Float32Array, gamma: Float32Array,
  stats: Float32Array, d: S0Dims,
  dx: Float32Array, dv1: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
): void {
  const gOf = groupOf(d);
  const count = (d.hw * d.c) / d.groups;
  const r = new Float32Array(d.c); // r of each channel's group, this sample
  const mean = new Float32Array(d.c);
  const k = new Float32Array(d.c); // variance-path coefficient of each channel, this sample
  const drC = new Float64Array(d.c);
  const accV1 = new Float64Array(d.c);
  const accGamma = new Float64Array(d.c);
  const accBeta = new Float64Array(d.c);
  const dr = new Float64Array(d.groups);
  for (let n = 0; n < d.n; n++) {
    for (let c = 0; c < d.c; c++) {
      mean[c] = stats[(n * d.groups + gOf[c]!) * 2]!;
      r[c] = stats[(n * d.groups + gOf[c]!) * 2 + 1]!;
    }
    drC.fill(0);
    const base = n * d.hw * d.c;
    const end = base + d.hw * d.c;
    for (let o = base; o < end; o += d.c) {
      for (let c = 0; c < d.c; c++) {
        const xi = x[o + c]!;
        const g = dy[o + c]!;
        const si = s[o + c]!;
        const u = xi * si;
        accBeta[c]! += g;
        drC[c]! += g * u;
        const du = g * gamma[c]! * r[c]!;
        const ds = si * (1 - si);
        const xds = xi * ds;
        accV1[c]! += du * xi * xds;
        dx[o + c] = du * (si + v1[c]! * xds);
      }
    }
    // Σ dy·u per channel → per group; dvar_g·2/m = -r³ Σ_g dy·γ·u / m.
    dr.fill(0);
    for (let c = 0; c < d.c; c++) {
      dr[gOf[c]!]! += drC[c]! * gamma[c]!;
      accGamma[c]! += drC[c]! * r[c]!; // dγ = Σ dy·u·r, r constant within the sample
    }
    for (let c = 0; c < d.c; c++) {
      const rc = r[c]!;
      k[c] = (-(rc * rc * rc) * dr[gOf[c]!]!) / count;
    }
    for (let o = base; o < end; o += d.c) {
      for (let c = 0; c < d.c; c++) dx[o + c]! += k[c]! * (x[o + c]! - mean[c]!);
    }
  }
  dv1.set(accV1);
  dgamma.set(accGamma);
  dbeta.set(accBeta);
}
