/**
 * Functional fingerprint (AutoML-Zero's functional-equivalence check): the layer evaluated on
 * fixed seeded probe tensors with seeded parameter values, outputs rounded and hashed. Graphs
 * that compute the same function share a fingerprint (`v1*x + zero` and `x*v1`); different
 * functions almost surely do not. Computed in float64 by the plain interpreter, so it is the same
 * on every machine and backend.
 */
import { createHash } from 'node:crypto';
import type { LayerGraph } from '../graph/types.js';
import { Rng } from '../util/rng.js';
import { interpretGraph, type Tensor64 } from './interpret.js';

/** Probe shapes: N > 1 (batch statistics), C = 16 with 4 groups (group ≠ instance ≠ layer). */
const PROBE_SHAPE = [4, 5, 5, 16] as const;
const PROBE_GROUPS = 4;
const PROBE_SEED = 'evonorm-fingerprint-v1';
/** Significant digits kept before hashing: absorbs float reassociation, keeps real differences. */
const SIGNIFICANT_DIGITS = 6;

export interface ProbeResult {
  /** Hex hash of the rounded outputs on every probe. */
  readonly fingerprint: string;
  /** False when any output is NaN or ±Inf. */
  readonly finite: boolean;
  /** True when the output does not vary with the input (same on every probe and element). */
  readonly constant: boolean;
  /** Outputs on each probe, for callers that compare functions (e.g. the fast objective). */
  readonly outputs: readonly Float64Array[];
}

interface Probe {
  readonly x: Tensor64;
  readonly v0: Float64Array;
  readonly v1: Float64Array;
}

let cachedProbes: Probe[] | undefined;

/** The fixed probes: inputs from several distributions, and non-default parameter values. */
export function probes(): Probe[] {
  if (cachedProbes) return cachedProbes;
  const rng = Rng.fromSeed(PROBE_SEED);
  const [n, h, w, c] = PROBE_SHAPE;
  const size = n * h * w * c;
  const make = (gen: (i: number) => number): Tensor64 => ({ shape: PROBE_SHAPE, data: Float64Array.from({ length: size }, (_, i) => gen(i)) });
  // A per-channel offset and scale make batch, instance and group statistics all differ.
  const offset = Float64Array.from({ length: n * c }, () => rng.normal());
  const scale = Float64Array.from({ length: n * c }, () => 0.5 + 2 * rng.next());
  const cell = (i: number): number => Math.floor(i / (h * w * c)) * c + (i % c);
  const v0 = Float64Array.from({ length: c }, () => 0.5 * rng.normal());
  const v1 = Float64Array.from({ length: c }, () => 1 + 0.5 * rng.normal());
  cachedProbes = [
    { x: make(() => rng.normal()), v0, v1 },
    { x: make((i) => offset[cell(i)] + scale[cell(i)] * rng.normal()), v0, v1 },
    { x: make(() => 4 * (rng.next() - 0.5)), v0, v1 },
  ];
  return cachedProbes;
}

/** Evaluates the graph on the probes: fingerprint, finiteness, constancy, outputs. */
export function probeGraph(graph: LayerGraph): ProbeResult {
  const outputs = probes().map((p) => interpretGraph(graph, p.x, { v0: p.v0, v1: p.v1, groups: PROBE_GROUPS }).data);
  const hash = createHash('sha256');
  let finite = true;
  let first: number | undefined;
  let constant = true;
  for (const out of outputs) {
    const parts: string[] = [];
    for (const v of out) {
      if (!Number.isFinite(v)) finite = false;
      if (first === undefined) first = v;
      else if (constant && !sameValue(v, first)) constant = false;
      parts.push(roundForHash(v));
    }
    hash.update(parts.join(','));
    hash.update(';');
  }
  return { fingerprint: hash.digest('hex').slice(0, 16), finite, constant, outputs };
}

/** The functional fingerprint only. */
export function functionalFingerprint(graph: LayerGraph): string {
  return probeGraph(graph).fingerprint;
}

function roundForHash(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) < 1e-9) return '0';
  return v.toPrecision(SIGNIFICANT_DIGITS);
}

function sameValue(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
