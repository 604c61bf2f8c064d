/**
 * The verdict at a promotion level: the same question as verdict.ts (did a new layer beat
 * BN-ReLU, or the best seed layer, by more than twice the noise?), asked of the scores a higher
 * level measured, where the search trained longer and at more seeds. Only candidates measured at
 * that level take part, so every difference compares two scores of one protocol (a level-2 score
 * is never set against a level-0 one). The level is the highest at which a new layer and a
 * reference (BN-ReLU or a seed layer) were both measured; promotions only reach front members,
 * so BN-ReLU is often absent there, and the sentence says so.
 */
import type { CandidateRecord } from '../replay/candidates.js';
import { zooNameOfFingerprint } from './objective-info.js';
import { runVerdict, verdictCandidates, type Verdict, type VerdictCandidate } from './verdict.js';

export interface LevelVerdict {
  readonly level: number;
  /** Scored candidates measured at `level`: new layers and references. */
  readonly candidates: number;
  /** False when BN-ReLU was never measured at `level` (the comparison is with the best seed layer). */
  readonly bnReluMeasured: boolean;
  readonly verdict: Verdict;
  readonly sentence: string;
}

/** The candidates measured (and passed) at `level`, with that level's scores and standard errors. */
export function levelCandidates(records: readonly CandidateRecord[], level: number): VerdictCandidate[] {
  return records.flatMap((r) => {
    const e = r.promotions?.find((p) => p.level === level)?.evaluation;
    if (e?.status !== 'ok') return [];
    const errors = e.objectiveErrors;
    return [{ id: r.proposed.id, origin: r.proposed.origin, zoo: zooNameOfFingerprint(r.evaluated?.fingerprint), objectives: e.objectives, ...(errors ? { errors } : {}) }];
  });
}

const isNew = (c: VerdictCandidate): boolean => c.origin !== 'seed' && c.zoo === null;
const isReference = (c: VerdictCandidate): boolean => c.origin === 'seed' || c.zoo === 'bn-relu';

/** The verdict at the highest promotion level with a new layer and a reference; null when no level has both. */
export function levelVerdict(records: readonly CandidateRecord[], objectiveNames: readonly string[]): LevelVerdict | null {
  const top = Math.max(0, ...records.flatMap((r) => (r.promotions ?? []).map((p) => p.level)));
  for (let level = top; level >= 1; level--) {
    const candidates = levelCandidates(records, level);
    if (!candidates.some(isNew) || !candidates.some(isReference)) continue;
    const verdict = runVerdict(candidates, objectiveNames);
    const bnReluMeasured = candidates.some((c) => c.zoo === 'bn-relu');
    const missing = bnReluMeasured ? '' : ` BN-ReLU was not measured at level ${level} (promotions reach front members only), so the reference is the best seed layer measured there.`;
    const lowered = `${verdict.sentence.charAt(0).toLowerCase()}${verdict.sentence.slice(1)}`;
    const sentence = `At promotion level ${level}, where ${candidates.length} layers were measured under the same longer protocol: ${lowered}${missing}`;
    return { level, candidates: candidates.length, bnReluMeasured, verdict, sentence };
  }
  return null;
}

/**
 * Both verdicts of a run as status and the report give them: the one over every scored candidate
 * (verdict.ts), pointing to the level verdict for the noise when there is one, and the level verdict.
 */
export function runVerdicts(records: readonly CandidateRecord[], objectiveNames: readonly string[]): { readonly verdict: Verdict; readonly atLevel: LevelVerdict | null } {
  const atLevel = levelVerdict(records, objectiveNames);
  return { atLevel, verdict: runVerdict(verdictCandidates(records), objectiveNames, undefined, { noiseMeasuredAtLevel: atLevel?.level }) };
}
