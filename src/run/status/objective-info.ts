/**
 * What each objective of a run is, for people and tools: the architecture, the data split, the
 * training budget, the metric, and that higher is better; and which candidates compute a known
 * (zoo) layer. Shown by `evonorm status` and written by the export (front.json, the front's
 * layer files, the candidates.csv header).
 */
import { RunConfigSchema, type RunConfig } from '../../config/run-config.js';
import { architectureNames } from '../../evaluate/config.js';
import { fastProbeSets } from '../../evaluate/fast-objective.js';
import { ZOO_NAMES, zooLayer } from '../../graph/zoo.js';
import { functionalFingerprint } from '../../tensor/fingerprint.js';

/** One objective, described. */
export interface ObjectiveInfo {
  readonly name: string;
  /** The proxy architecture (proxy runs). */
  readonly architecture?: string;
  readonly metric: string;
  /** "validation" for a search (never the held-out test split). */
  readonly split: string;
  readonly steps?: number;
  readonly batchSize?: number;
  readonly higherIsBetter: true;
  /** One sentence, e.g. "resnet: top-1 accuracy on the validation split of mnist 14×14 after 200 steps at batch 64 (higher is better)". */
  readonly description: string;
}

/** The objectives of a validated run config. */
export function describeObjectives(config: RunConfig): ObjectiveInfo[] {
  if (config.objective === 'fast') {
    return fastProbeSets(config.fast.objectives).map((set) => ({
      name: set.name, metric: `function match to ${config.fast.target}`, split: `probe set ${set.name}`, higherIsBetter: true as const,
      description: `${set.name}: training-free match of the layer's output to ${config.fast.target} on the probe set "${set.name}" (1 = the same function; higher is better)`,
    }));
  }
  const e = config.evaluation!;
  const data = `${e.data.name}${e.data.imageSize ? ` ${e.data.imageSize}×${e.data.imageSize}` : ''}`;
  return architectureNames(e).map((name, k) => ({
    name, architecture: e.architectures[k]!.arch, metric: 'top-1 accuracy', split: 'validation', steps: e.training.steps, batchSize: e.training.batchSize, higherIsBetter: true as const,
    description: `${name}: top-1 accuracy on the validation split of ${data} after ${e.training.steps} steps at batch ${e.training.batchSize} (higher is better)`,
  }));
}

/** describeObjectives of a run's stored config, or null when it is not a valid run config. */
export function describeRunObjectives(rawConfig: unknown): ObjectiveInfo[] | null {
  const parsed = RunConfigSchema.safeParse(rawConfig);
  return parsed.success ? describeObjectives(parsed.data) : null;
}

let zooByFingerprint: Map<string, string> | undefined;

/** The zoo layer whose function a fingerprint is, if any (e.g. "evonorm-b0"). */
export function zooNameOfFingerprint(fingerprint: string | null | undefined): string | null {
  if (!fingerprint) return null;
  zooByFingerprint ??= new Map(ZOO_NAMES.map((name) => [functionalFingerprint(zooLayer(name)), name] as [string, string]).reverse());
  return zooByFingerprint.get(fingerprint) ?? null;
}

/** A short mark for a candidate row: "seed = bn-relu", "seed", "= evonorm-b0" (found again), or "". */
export function knownLayerMark(origin: string, fingerprint: string | null | undefined): string {
  const zoo = zooNameOfFingerprint(fingerprint);
  if (origin === 'seed') return zoo ? `seed = ${zoo}` : 'seed';
  return zoo ? `= ${zoo}` : '';
}
