/**
 * The fast objective: scores a candidate without training anything, by how closely its function
 * matches a target layer's (by default EvoNorm-S0) on K fixed probe sets. It stands in for the
 * proxy training when testing the search machinery (does evolution rediscover a known layer, and
 * faster than random search?) and costs a few milliseconds per candidate.
 *
 *   for each of the K probe sets k (input tensor x, parameters v0 and v1, group count):
 *     y  = candidate(x), t = target(x)            (float64 interpreter, training mode)
 *     'affine-fit' (default):
 *        fit = Σ_c min_γβ ‖γ·y_c + β − t_c‖² / Σ_c ‖t_c − mean t_c‖²   per channel c (the layer's
 *              own affine ·γ + β absorbs a per-channel scale and shift)
 *        raw = e/(1+e), e = ‖y − t‖² / ‖t‖²            (only the target itself has raw = 0)
 *        objective_k = 1 / (1 + (fit + λ·raw) / τ)       λ = 1e-3, τ = 1e-3 by default
 *     'correlation' (the earlier objective): objective_k = max(0, pearson(y, t))
 *
 * The affine-fit score is graded: relative errors of 1e-1, 1e-2, 1e-3 and 1e-4 score about
 * 0.01, 0.09, 0.5 and 0.91, where Pearson's r is 0.95–0.9999 for all of them. It is exactly 1 for
 * the target and for any function equal to it (float round-off ~1e-32 vanishes in 1 + e/τ), and
 * < 1 otherwise; a per-channel rescaled target scores high but < 1 through the raw term.
 * Rejections (stage 'static'): an invalid graph, a non-finite output on any probe set or at the
 * initial parameters (v0 = 0, v1 = 1; e.g. x / v0), and an output that does not depend on the
 * input (the same value everywhere).
 *
 * Two kinds of probe sets:
 * - 'probes' (default): one layer geometry (N=4, 4×4, C=8, 2 groups) and K input families.
 *   The first two separate the two halves of a normalization-activation layer:
 *   'standardized' (every (sample, group) cell has mean 0 and variance 1, so group statistics
 *   carry no information and a group-normalising target acts as its activation alone) and
 *   'small' (small inputs whose scale varies per sample, where a swish-like gate is nearly
 *   linear and what matters is dividing by the right statistic). Then 'scaled' (per-sample scales
 *   over two orders of magnitude), normal, shifted and scaled per channel, uniform,
 *   post-ReLU-like, heavy-tailed, wide. Each set has its own draw of v0 and v1 (per channel, so
 *   v1-dependence matters).
 * - 'architectures': K architecture-like settings that differ in batch size, channels, groups
 *   and input statistics (large batch, small batch, a single sample, many groups, ...). A
 *   candidate using batch statistics where the target uses group statistics fits some settings
 *   and not others, so the Pareto front has real trade-offs, like the paper's K architectures.
 * For K beyond the table, settings repeat with fresh draws (names get a suffix).
 *
 * Deterministic: the probe sets come from a fixed seed; the request's seed is not used, so a
 * candidate's score is a pure function of its graph. No tfjs.
 */
import type { LayerGraph } from '../graph/types.js';
import { resolveLayer } from '../graph/resolve.js';
import { validateGraph } from '../graph/validate.js';
import { interpretGraph, type Tensor64 } from '../tensor/interpret.js';
import { EvonormError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import type { Evaluation, EvaluationRequest, Evaluator } from './types.js';
import { rejected } from './evaluation.js';
import type { RejectionCode } from './rejection.js';

/** Which probe sets the K objectives use (see the module comment). */
export type FastVariants = 'probes' | 'architectures';

/** How a candidate's output is compared with the target's (see the module comment). */
export type FastSimilarity = 'affine-fit' | 'correlation';

/** τ: the fit error at which the 'affine-fit' score is 1/2. */
export const DEFAULT_FIT_SCALE = 1e-3;
/** λ: weight of the raw (unfitted) mismatch, so that only the target itself scores exactly 1. */
const RAW_WEIGHT = 1e-3;

export interface FastObjectiveConfig {
  /** The layer to match: a zoo name, an expression or a layer JSON path. Default 'evonorm-s0'. */
  readonly target?: string;
  /** K, the number of objectives (probe sets), an integer ≥ 1. Default 2. */
  readonly objectives?: number;
  /** 'probes' (input families, default) or 'architectures' (geometries with trade-offs). */
  readonly variants?: FastVariants;
  /** Most intermediate nodes a candidate may have (graph validation). Default 10. */
  readonly maxNodes?: number;
  /** 'affine-fit' (graded, default) or 'correlation' (the earlier max(0, Pearson r)). */
  readonly similarity?: FastSimilarity;
  /** τ of the 'affine-fit' score 1 / (1 + error/τ), > 0. Default DEFAULT_FIT_SCALE (1e-3). */
  readonly fitScale?: number;
}

/** One probe set: an input tensor, parameter values and the group count. */
export interface ProbeSet {
  readonly name: string;
  readonly x: Tensor64;
  readonly v0: Float64Array;
  readonly v1: Float64Array;
  readonly groups: number;
}

type Shape = readonly [number, number, number, number];

/** How to draw one input element: `cell` is the (sample, channel) index, `rng` the stream. */
type InputFamily = 'standardized' | 'small' | 'scaled' | 'normal' | 'shifted' | 'uniform' | 'positive' | 'heavy' | 'wide';

interface ProbeSetting {
  readonly name: string;
  readonly shape: Shape;
  readonly groups: number;
  readonly family: InputFamily;
}

const PROBE_SEED = 'evonorm-fast-objective-v1';
// Small on purpose: the interpreter is plain JS and a benchmark scores tens of thousands of graphs.
const PROBE_SHAPE: Shape = [4, 4, 4, 8];

const PROBE_SETTINGS: readonly ProbeSetting[] = (
  ['standardized', 'small', 'scaled', 'normal', 'shifted', 'uniform', 'positive', 'heavy', 'wide'] as const
).map((family) => ({ name: family, shape: PROBE_SHAPE, groups: 2, family }));

const ARCHITECTURE_SETTINGS: readonly ProbeSetting[] = [
  { name: 'large-batch', shape: [16, 2, 2, 8], groups: 2, family: 'shifted' },
  { name: 'small-batch', shape: [2, 4, 4, 16], groups: 4, family: 'shifted' },
  { name: 'single-sample', shape: [1, 6, 6, 16], groups: 8, family: 'normal' },
  { name: 'many-groups', shape: [2, 3, 3, 32], groups: 16, family: 'wide' },
  { name: 'post-relu', shape: [8, 3, 3, 8], groups: 2, family: 'positive' },
  { name: 'heavy-tailed', shape: [4, 4, 4, 12], groups: 3, family: 'heavy' },
];

/** The K probe sets of a variant kind, drawn from the fixed seed (the same on every call). */
export function fastProbeSets(k: number, variants: FastVariants = 'probes'): ProbeSet[] {
  const table = variants === 'architectures' ? ARCHITECTURE_SETTINGS : PROBE_SETTINGS;
  return Array.from({ length: k }, (_, i) => {
    const setting = table[i % table.length];
    const round = Math.floor(i / table.length);
    const name = round === 0 ? setting.name : `${setting.name}-${round + 1}`;
    return drawProbeSet(Rng.fromSeed(`${PROBE_SEED}/${variants}/${i}`), setting, name);
  });
}

function drawProbeSet(rng: Rng, setting: ProbeSetting, name: string): ProbeSet {
  const [n, h, w, c] = setting.shape;
  const size = n * h * w * c;
  // A per-(sample, channel) offset and scale make batch, instance and group statistics differ.
  const offset = Float64Array.from({ length: n * c }, () => rng.normal());
  const scale = Float64Array.from({ length: n * c }, () => 0.5 + 2 * rng.next());
  const cellOf = (i: number): number => Math.floor(i / (h * w * c)) * c + (i % c);
  // Per-sample scales spread over two orders of magnitude (e^±2.3): only a layer that divides
  // by a per-sample statistic can match a normalising target on this family.
  const sampleScale = Float64Array.from({ length: n }, () => Math.exp(2.3 * (2 * rng.next() - 1)));
  const sampleOf = (i: number): number => Math.floor(i / (h * w * c));
  const draw: Record<InputFamily, (i: number) => number> = {
    standardized: () => rng.normal(),
    small: (i) => 0.05 * Math.sqrt(sampleScale[sampleOf(i)]) * (0.5 * offset[cellOf(i)] + scale[cellOf(i)] * rng.normal()),
    scaled: (i) => sampleScale[sampleOf(i)] * (0.5 * offset[cellOf(i)] + scale[cellOf(i)] * rng.normal()),
    normal: () => rng.normal(),
    shifted: (i) => offset[cellOf(i)] + scale[cellOf(i)] * rng.normal(),
    uniform: () => 4 * (rng.next() - 0.5),
    positive: (i) => scale[cellOf(i)] * Math.max(0, rng.normal() + 0.3),
    heavy: () => rng.normal() ** 3,
    wide: (i) => 5 * scale[cellOf(i)] * rng.normal(),
  };
  const data = Float64Array.from({ length: size }, (_, i) => draw[setting.family](i));
  if (setting.family === 'standardized') standardizeGroups(data, setting.shape, setting.groups);
  const v0 = Float64Array.from({ length: c }, () => 0.5 * rng.normal());
  const v1 = Float64Array.from({ length: c }, () => 1 + 0.5 * rng.normal());
  return { name, x: { shape: setting.shape, data }, v0, v1, groups: setting.groups };
}

/**
 * Shifts and scales each (sample, group) cell of NHWC data in place to mean 0 and variance 1, so
 * that group statistics carry no information: on such inputs a group-normalising target acts
 * as its activation alone.
 */
function standardizeGroups(data: Float64Array, shape: Shape, groups: number): void {
  const [n, h, w, c] = shape;
  const perGroup = c / groups;
  for (let sample = 0; sample < n; sample++) {
    for (let g = 0; g < groups; g++) {
      const indices: number[] = [];
      for (let p = 0; p < h * w; p++) for (let ch = g * perGroup; ch < (g + 1) * perGroup; ch++) indices.push((sample * h * w + p) * c + ch);
      const mean = indices.reduce((sum, i) => sum + data[i], 0) / indices.length;
      const sd = Math.sqrt(indices.reduce((sum, i) => sum + (data[i] - mean) ** 2, 0) / indices.length);
      for (const i of indices) data[i] = (data[i] - mean) / sd;
    }
  }
}

/** Pearson correlation of two equally long vectors; 0 when either is constant. */
export function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  if (a.every((v, i) => v === b[i])) return a.every((v) => v === a[0]) ? 0 : 1;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return 0;
  // Clamp float error so the exact target scores exactly 1, never 1 + 1e-16.
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * Relative error of `y` against `t` after the best per-channel affine map γ_c·y + β_c (least
 * squares over every sample and position of channel c; the layer's own affine absorbs it):
 * Σ_c min ‖γ_c·y_c + β_c − t_c‖² / Σ_c ‖t_c − mean(t_c)‖², in [0, 1]; 1 when y explains nothing
 * (e.g. constant per channel). The residual is summed directly, not as stt − syt²/syy, so that
 * a function equal to the target up to float round-off gets ~1e-32, not ~1e-16.
 * `channels` is C of the NHWC data (the innermost axis).
 */
export function affineFitError(y: Float64Array, t: Float64Array, channels: number): number {
  let residual = 0;
  let total = 0;
  for (let ch = 0; ch < channels; ch++) {
    let count = 0;
    let sy = 0;
    let st = 0;
    for (let i = ch; i < y.length; i += channels) { count++; sy += y[i]; st += t[i]; }
    const my = sy / count;
    const mt = st / count;
    let syy = 0;
    let syt = 0;
    let stt = 0;
    for (let i = ch; i < y.length; i += channels) {
      const dy = y[i] - my;
      const dt = t[i] - mt;
      syy += dy * dy;
      syt += dy * dt;
      stt += dt * dt;
    }
    total += stt;
    if (!(syy > 0)) { residual += stt; continue; }
    const gamma = syt / syy;
    for (let i = ch; i < y.length; i += channels) {
      const r = gamma * (y[i] - my) - (t[i] - mt);
      residual += r * r;
    }
  }
  return total > 0 ? Math.min(1, residual / total) : 0;
}

/** The share of t's energy Σt² that varies within channels (0 when t is constant per channel). */
function withinChannelShare(t: Float64Array, channels: number): number {
  let energy = 0;
  for (const v of t) energy += v * v;
  let within = 0;
  for (let ch = 0; ch < channels; ch++) {
    let count = 0;
    let sum = 0;
    for (let i = ch; i < t.length; i += channels) { count++; sum += t[i]; }
    for (let i = ch; i < t.length; i += channels) within += (t[i] - sum / count) ** 2;
  }
  return energy > 0 ? within / energy : 0;
}

/** Relative raw mismatch ‖y − t‖² / ‖t‖², squashed into [0, 1) by e ↦ e / (1 + e). */
export function rawError(y: Float64Array, t: Float64Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < y.length; i++) { diff += (y[i] - t[i]) ** 2; norm += t[i] * t[i]; }
  const e = norm > 0 ? diff / norm : diff;
  return Number.isFinite(e) ? e / (1 + e) : 1;
}

/**
 * The graded similarity of an output to the target's on one probe set:
 * 1 / (1 + (fitError + λ·rawError) / τ). Exactly 1 when y equals t (to ~1e-10 relative RMS, i.e.
 * float round-off of the same function computed in another order), < 1 otherwise; τ sets the
 * sharpness (fit error τ scores about 1/2, 10τ about 0.09, τ/10 about 0.91).
 */
export function affineFitSimilarity(y: Float64Array, t: Float64Array, channels: number, fitScale: number = DEFAULT_FIT_SCALE): number {
  const error = affineFitError(y, t, channels) + RAW_WEIGHT * rawError(y, t);
  return 1 / (1 + error / fitScale);
}

/** Why a graph is rejected on the probe sets, or null when it passes; `outputs` per probe set. */
function staticVerdict(graph: LayerGraph, sets: readonly ProbeSet[], maxNodes: number): { reason: string; code: RejectionCode } | { outputs: Float64Array[] } {
  const issues = validateGraph(graph, { maxNodes });
  if (issues.length > 0) return { code: 'invalid-graph', reason: `invalid graph: ${issues.map((i) => `${i.code} ${i.message}`).join('; ')}` };
  const outputs: Float64Array[] = [];
  for (const set of sets) {
    const out = interpretGraph(graph, set.x, { v0: set.v0, v1: set.v1, groups: set.groups }).data;
    if (!out.every(Number.isFinite)) return { code: 'non-finite-output', reason: `non-finite output on probe set "${set.name}"` };
    outputs.push(out);
  }
  const first = outputs[0][0];
  const tolerance = 1e-9 * Math.max(1, Math.abs(first));
  if (outputs.every((out) => out.every((v) => Math.abs(v - first) <= tolerance))) {
    return { code: 'constant-output', reason: 'constant output: the layer does not depend on its input' };
  }
  // The probe sets draw v0 and v1; at initialisation v0 = 0 and v1 = 1 (x / v0 is Inf there).
  const atInit = interpretGraph(graph, sets[0].x, { groups: sets[0].groups }).data;
  if (!atInit.every(Number.isFinite)) return { code: 'non-finite-at-init', reason: 'non-finite output at the initial parameters (v0 = 0, v1 = 1)' };
  return { outputs };
}

/**
 * An Evaluator that scores a candidate by its functional similarity to `config.target` on K
 * probe sets (see the module comment). Throws EvonormError for a bad target (BAD_INPUT,
 * BAD_EXPRESSION, MISSING_FILE, BAD_GRAPH) or a bad K (BAD_CONFIG); evaluations never throw.
 */
export function createFastObjective(config: FastObjectiveConfig = {}): Evaluator {
  const k = config.objectives ?? 2;
  if (!Number.isInteger(k) || k < 1) throw new EvonormError('BAD_CONFIG', `fast objective: objectives must be an integer ≥ 1, got ${k}`);
  const variants = config.variants ?? 'probes';
  if (variants !== 'probes' && variants !== 'architectures') {
    throw new EvonormError('BAD_CONFIG', `fast objective: variants must be 'probes' or 'architectures', got "${String(variants)}"`);
  }
  const maxNodes = config.maxNodes ?? 10;
  const similarity = config.similarity ?? 'affine-fit';
  if (similarity !== 'affine-fit' && similarity !== 'correlation') {
    throw new EvonormError('BAD_CONFIG', `fast objective: similarity must be 'affine-fit' or 'correlation', got "${String(similarity)}"`);
  }
  const fitScale = config.fitScale ?? DEFAULT_FIT_SCALE;
  if (!(fitScale > 0) || !Number.isFinite(fitScale)) throw new EvonormError('BAD_CONFIG', `fast objective: fitScale must be a finite number > 0, got ${fitScale}`);
  const target = resolveLayer(config.target ?? 'evonorm-s0', { maxNodes: Math.max(maxNodes, 10) }).graph;
  const sets = fastProbeSets(k, variants);
  const targetVerdict = staticVerdict(target, sets, Math.max(maxNodes, target.nodes.length));
  if ('reason' in targetVerdict) throw new EvonormError('BAD_CONFIG', `fast objective: the target is unusable (${targetVerdict.reason})`);
  const targetOutputs = targetVerdict.outputs;
  if (similarity === 'affine-fit') {
    const flat = sets.findIndex((set, i) => withinChannelShare(targetOutputs[i], set.x.shape[3]) < 1e-12);
    if (flat >= 0) throw new EvonormError('BAD_CONFIG', `fast objective: the target is constant per channel on probe set "${sets[flat].name}", so a per-channel affine fit cannot tell candidates apart`);
  }

  return {
    objectiveCount: k,
    objectiveNames: sets.map((s) => `similarity:${s.name}`),
    async evaluate(request: EvaluationRequest): Promise<Evaluation> {
      const start = performance.now();
      let verdict: ReturnType<typeof staticVerdict>;
      try {
        verdict = staticVerdict(request.graph, sets, maxNodes);
      } catch (err) {
        // A malformed graph object (e.g. an unknown op that validation let through) is data too.
        return rejected('evaluation-failed', `fast objective failed: ${(err as Error).message}`, performance.now() - start);
      }
      if ('reason' in verdict) return rejected(verdict.code, verdict.reason, performance.now() - start);
      const objectives = verdict.outputs.map((out, i) =>
        similarity === 'correlation'
          ? Math.max(0, correlation(out, targetOutputs[i]))
          : affineFitSimilarity(out, targetOutputs[i], sets[i].x.shape[3], fitScale),
      );
      return { status: 'ok', objectives, costMs: performance.now() - start };
    },
    dispose(): void {},
  };
}
