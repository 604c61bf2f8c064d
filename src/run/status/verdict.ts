/**
 * The run's answer in words: did any new layer beat BN-ReLU and the best seed layer, by more
 * than the scores' noise? Used by `status` and the report (issue 19 §4, "Reading the result").
 *
 *   new layer      = a scored candidate that is not a seed and whose function is not a zoo layer's
 *   reference      = BN-ReLU (by function) and the best seed layer, per objective
 *   difference d   = best new layer's score − the reference's, per objective
 *   noise σ_d      = √(se_new² + se_ref²), se = the journaled standard error (evaluation.seeds > 1),
 *                    else the protocol's one-training seed sd when it is known (calibrated), else unknown
 *   beats          ⇔ d > 2 σ_d;  loses ⇔ d < −2 σ_d;  otherwise "within the noise"
 *
 * Two caveats the sentence always carries: the best of N noisy scores is biased upward (it was
 * selected, so part of its lead is luck), and these are the search's own validation scores;
 * `evonorm rerank` retrains on the held-out split with fresh seeds.
 */
import type { CandidateRecord } from '../replay/candidates.js';
import { zooNameOfFingerprint } from './objective-info.js';

/** A scored candidate as the verdict needs it. */
export interface VerdictCandidate {
  readonly id: number;
  /** 'seed' for the initial population's known layers; anything else is proposed by the search. */
  readonly origin: string;
  /** The zoo layer whose function this is ("bn-relu"), or null. */
  readonly zoo: string | null;
  readonly objectives: readonly number[];
  /** Standard error per objective (journaled with evaluation.seeds > 1). */
  readonly errors?: readonly (number | null)[];
}

export type Outcome = 'beats' | 'within-noise' | 'loses' | 'noise-unknown';

/** The best new layer against one reference, on one objective. */
export interface Comparison {
  readonly referenceId: number;
  readonly referenceName: string;
  readonly difference: number;
  /** σ_d of the module comment; null when unknown. */
  readonly noise: number | null;
  readonly outcome: Outcome;
}

export interface ObjectiveVerdict {
  readonly objective: string;
  /** The best new layer on this objective. */
  readonly bestNew: { readonly id: number; readonly value: number };
  readonly versusBnRelu: Comparison | null;
  readonly versusBestSeed: Comparison | null;
}

export interface Verdict {
  /** Distinct scored new layers (the N the best was selected from). */
  readonly newScored: number;
  readonly perObjective: ObjectiveVerdict[];
  /** Objectives on which the best new layer beats BN-ReLU by more than 2σ. */
  readonly beatsBnReluOn: number;
  /** Where the noise came from. */
  readonly noiseSource: 'journaled standard errors' | 'calibrated seed sd' | 'unknown';
  readonly sentence: string;
}

export interface VerdictOptions {
  /** The promotion level whose verdict carries the noise this one lacks (level-verdict.ts), if any. */
  readonly noiseMeasuredAtLevel?: number;
}

function seOf(candidate: VerdictCandidate, m: number, seedSd: readonly number[] | undefined): number | null {
  const journaled = candidate.errors?.[m];
  if (typeof journaled === 'number' && Number.isFinite(journaled)) return journaled;
  const sd = seedSd?.[m];
  return typeof sd === 'number' && Number.isFinite(sd) ? sd : null;
}

function compare(best: VerdictCandidate, reference: VerdictCandidate, name: string, m: number, seedSd: readonly number[] | undefined): Comparison {
  const difference = best.objectives[m] - reference.objectives[m];
  const a = seOf(best, m, seedSd);
  const b = seOf(reference, m, seedSd);
  const noise = a === null || b === null ? null : Math.sqrt(a * a + b * b);
  const outcome: Outcome = noise === null ? 'noise-unknown' : difference > 2 * noise ? 'beats' : difference < -2 * noise ? 'loses' : 'within-noise';
  return { referenceId: reference.id, referenceName: name, difference, noise, outcome };
}

function argmax(candidates: readonly VerdictCandidate[], m: number): VerdictCandidate | undefined {
  return candidates.reduce<VerdictCandidate | undefined>((best, c) => (best === undefined || c.objectives[m] > best.objectives[m] ? c : best), undefined);
}

const points = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;

/**
 * The verdict over a run's scored candidates (see the module comment). `seedSd[m]` is the
 * protocol's seed-to-seed sd of one training on objective m, when known, used where no standard
 * error was journaled.
 */
export function runVerdict(candidates: readonly VerdictCandidate[], objectiveNames: readonly string[], seedSd?: readonly number[], options: VerdictOptions = {}): Verdict {
  const fresh = candidates.filter((c) => c.origin !== 'seed' && c.zoo === null);
  const seeds = candidates.filter((c) => c.origin === 'seed');
  const bnRelu = candidates.find((c) => c.zoo === 'bn-relu');
  const anyJournaled = candidates.some((c) => c.errors?.some((e) => typeof e === 'number'));
  const noiseSource = anyJournaled ? 'journaled standard errors' : seedSd ? 'calibrated seed sd' : 'unknown';
  const perObjective = objectiveNames.flatMap((objective, m): ObjectiveVerdict[] => {
    const best = argmax(fresh, m);
    if (best === undefined) return [];
    const bestSeed = argmax(seeds, m);
    return [{
      objective,
      bestNew: { id: best.id, value: best.objectives[m] },
      versusBnRelu: bnRelu ? compare(best, bnRelu, 'BN-ReLU', m, seedSd) : null,
      versusBestSeed: bestSeed ? compare(best, bestSeed, bestSeed.zoo ?? `seed #${bestSeed.id}`, m, seedSd) : null,
    }];
  });
  const beatsBnReluOn = perObjective.filter((v) => v.versusBnRelu?.outcome === 'beats').length;
  return { newScored: fresh.length, perObjective, beatsBnReluOn, noiseSource, sentence: verdictSentence(fresh.length, perObjective, beatsBnReluOn, noiseSource, options) };
}

function detail(v: ObjectiveVerdict, pick: (v: ObjectiveVerdict) => Comparison | null): string {
  const c = pick(v);
  if (c === null) return '';
  return `${v.objective} #${v.bestNew.id} ${points(c.difference)}${c.noise === null ? '' : ` ± ${(100 * c.noise).toFixed(1)}`}`;
}

function verdictSentence(newScored: number, perObjective: readonly ObjectiveVerdict[], beatsBnReluOn: number, noiseSource: Verdict['noiseSource'], options: VerdictOptions): string {
  if (newScored === 0) return 'No new layer has been scored yet: every scored candidate is a seed or a known zoo layer.';
  const k = perObjective.length;
  const against = perObjective.some((v) => v.versusBnRelu) ? 'BN-ReLU' : 'the best seed layer';
  const pick = (v: ObjectiveVerdict): Comparison | null => v.versusBnRelu ?? v.versusBestSeed;
  const details = perObjective.map((v) => detail(v, pick)).filter((d) => d !== '').join('; ');
  const best = `the best of ${newScored} new layer${newScored === 1 ? '' : 's'} on the search's own validation scores`;
  // Selecting the best of many noisy scores inflates it: a lead is partly luck, a deficit more so.
  const ahead = perObjective.some((v) => (pick(v)?.difference ?? 0) > 0);
  const caveat = ahead
    ? `${best}, so part of its lead is selection luck: confirm with evonorm rerank (held-out split, fresh seeds).`
    : `${best}, and it is behind ${against} on every network even with the selection's luck in its favour.`;
  if (noiseSource === 'unknown') {
    // With promotion levels the noise is measured above the base level: point there, not at a setting.
    const remedy = options.noiseMeasuredAtLevel === undefined ? 'set evaluation.seeds ≥ 2' : `the verdict at promotion level ${options.noiseMeasuredAtLevel} has it`;
    return `The best new layer against ${against}, in accuracy points (noise unknown: one training per network; ${remedy}): ${details}. This is ${caveat}`;
  }
  const beatsOn = against === 'BN-ReLU' ? beatsBnReluOn : perObjective.filter((v) => v.versusBestSeed?.outcome === 'beats').length;
  const head = beatsOn > 0
    ? `A new layer beat ${against} by more than twice the noise on ${beatsOn} of ${k} network${k === 1 ? '' : 's'}`
    : `No new layer beat ${against} by more than twice the noise on any of the ${k} network${k === 1 ? '' : 's'}`;
  return `${head} (best new layer minus ${against}, points ± noise from ${noiseSource}: ${details}). This is ${caveat}`;
}

/** The scored candidates of a run's journal, as the verdict needs them. */
export function verdictCandidates(records: readonly CandidateRecord[]): VerdictCandidate[] {
  return records.flatMap((r) => {
    const e = r.evaluated?.evaluation;
    if (e?.status !== 'ok') return [];
    const errors = e.objectiveErrors;
    return [{ id: r.proposed.id, origin: r.proposed.origin, zoo: zooNameOfFingerprint(r.evaluated?.fingerprint), objectives: e.objectives, ...(errors ? { errors } : {}) }];
  });
}
