/**
 * Proxy evaluation of one candidate layer (PAPER.md §3–4): the rejection chain, then a short
 * training of each of the K proxy networks with the layer at every norm-activation site.
 *
 *   static  : valid, depends on x, finite and non-constant on the probes, finite at init
 *   stability: adversarial gradient-norm ascent on each network (stability.ts)
 *   quality : Q training steps on each network; reject below minAccuracy on any of them
 *   proxy   : full training on each network → objectives = K validation accuracies
 *
 * With evaluation.seeds S > 1 every network is trained S times (seeds s = 0..S−1):
 *   quality : the mean over the S trainings of the accuracy at step Q must reach minAccuracy
 *   hurdles : the look at step h records, and compares, the mean over the S trainings
 *   any one of the S trainings failing (non-finite loss) rejects the candidate
 *   objective k = mean of the S accuracies on network k; objectiveErrors[k] = sd/√S
 *
 * Common random numbers: training s of network k draws its initialisers, batches and
 * augmentation from the run seed, s and k only (arch-training.ts: root `<run seed>/<s>`), never
 * from the candidate, so every candidate starts from the same weights (where shapes allow) and
 * sees the same batches: differences between candidates are paired, free of that seed noise.
 * The stability probe keeps its own stream from the run seed and the candidate's fingerprint.
 */
import type { ImageDataset } from '../data/types.js';
import { loadDataset } from '../data/index.js';
import { selectBackend } from '../tensor/backend.js';
import { checkAt, finishArchTraining, qualityTrainingRoot, searchTrainingRoot, startArchTraining, trainArch, trainingStreams, type ArchTrainingRun, type ArchTrainingSpec } from './arch-training.js';
import { belowHurdle, hurdleSteps, type TrainingCheckpoint } from './hurdles.js';
import { rejected } from './evaluation.js';
import type { RejectionCode } from './rejection.js';
import { Rng } from '../util/rng.js';
import { validateWith } from '../util/validate.js';
import { architectureNames, ProxyConfigSchema, type ProxyConfig, type ProxyConfigInput } from './config.js';
import { staticCheck } from './static-check.js';
import { probeNetwork } from './stability-stage.js';
import type { ArchResult, Evaluation, EvaluationRequest, Evaluator, RejectionStage, StageRecord } from './types.js';

/** Progress of an evaluation, for `--progress` lines. */
export interface ProxyProgress {
  readonly stage: RejectionStage | 'proxy';
  readonly arch: string;
  readonly step?: number;
  readonly of?: number;
  /** Which of the evaluation.seeds trainings (0-based); absent when there is one. */
  readonly seed?: number;
}

export interface ProxyEvaluatorOptions {
  readonly onProgress?: (p: ProxyProgress) => void;
  /** Log lines (backend choice). */
  readonly log?: (message: string) => void;
  /**
   * Data sets already loaded, by their JSON data config; the evaluator takes its own from here
   * and adds it when missing (the evaluators of a run's promotion levels share one copy).
   */
  readonly datasets?: Map<string, ImageDataset>;
}

/** Builds the evaluator: selects the backend and loads the data once. */
export async function createProxyEvaluator(input: ProxyConfigInput | ProxyConfig | unknown, options: ProxyEvaluatorOptions = {}): Promise<Evaluator & { readonly config: ProxyConfig; readonly backend: string }> {
  const config = validateWith(ProxyConfigSchema, input, 'evaluation');
  const backend = await selectBackend(config.backend, options.log);
  const dataKey = JSON.stringify(config.data);
  const dataset = options.datasets?.get(dataKey) ?? loadDataset(config.data, Rng.fromSeed('data'));
  options.datasets?.set(dataKey, dataset);
  const names = architectureNames(config);
  return {
    config,
    backend: backend.name,
    objectiveCount: config.architectures.length,
    objectiveNames: names,
    evaluate: async (request, signal) => ({ ...(await evaluateCandidate(request, config, dataset, names, options, signal)), backend: backend.name }),
    dispose: () => undefined,
  };
}

async function evaluateCandidate(
  request: EvaluationRequest,
  config: ProxyConfig,
  dataset: ImageDataset,
  names: readonly string[],
  options: ProxyEvaluatorOptions,
  signal?: AbortSignal,
): Promise<Evaluation> {
  const started = performance.now();
  const stages: StageRecord[] = [];
  const archs: ArchResult[] = [];
  // The stability probe's own stream (by fingerprint); the trainings' streams are common to all candidates.
  const rng = Rng.fromSeed(`${request.seed}`).child(`eval/${request.fingerprint}`);
  const seeds = Array.from({ length: config.seeds }, (_, s) => s);
  const checkpoints: TrainingCheckpoint[] = [];
  const withCheckpoints = () => (checkpoints.length > 0 ? { checkpoints } : {});
  const reject = (code: RejectionCode, reason: string, stage?: RejectionStage): Evaluation => rejected(code, reason, performance.now() - started, { stages, archs, ...withCheckpoints(), ...(stage ? { stage } : {}) });
  const timed = <T>(fn: () => T): [T, number] => { const t = performance.now(); const v = fn(); return [v, performance.now() - t]; };
  /** Network k's name, with the seed when there are several (in reasons). */
  const where = (k: number, s: number) => (config.seeds > 1 ? `${names[k]} (seed ${s})` : names[k]);
  const spec = (k: number, s: number, root: Rng, stage: 'quality' | 'proxy', qualitySteps: number, steps = config.training.steps): ArchTrainingSpec => ({
    graph: request.graph, config, dataset, k, name: names[k], steps,
    streams: trainingStreams(root, k, config.training.batchSize), signal,
    onStep: options.onProgress
      ? (step, of) => options.onProgress!({ stage: stage === 'quality' || step <= qualitySteps ? 'quality' : 'proxy', arch: names[k], step, of, ...(config.seeds > 1 ? { seed: s } : {}) })
      : undefined,
  });

  try {
    const [verdict, staticMs] = timed(() => staticCheck(request.graph, { groups: config.layer.groups, groupSize: config.layer.groupSize }));
    stages.push({ stage: 'static', passed: verdict.passed, ms: staticMs, reason: verdict.reason });
    if (!verdict.passed) return reject(verdict.code ?? 'invalid-graph', verdict.reason!);

    if (config.rejection.stability.enabled) {
      const t = performance.now();
      for (let k = 0; k < names.length; k++) {
        options.onProgress?.({ stage: 'stability', arch: names[k] });
        const result = probeNetwork(request.graph, config, dataset, k, rng);
        if (!result.passed) {
          stages.push({ stage: 'stability', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${result.reason}` });
          return reject(result.code ?? 'gradient-too-large', `${names[k]}: ${result.reason}`);
        }
      }
      stages.push({ stage: 'stability', passed: true, ms: performance.now() - t });
    }

    const q = config.rejection.quality;
    const h = config.rejection.hurdles;
    const steps = config.training.steps;
    // One training per network and seed, advanced in segments: the quality check is its first Q
    // steps (quality.continued) and hurdles look at it part-way, so survivors are never trained twice.
    const segmented = (q.enabled && q.continued) || h.enabled;
    const qualitySteps = q.enabled && q.continued ? q.steps : 0;
    const runs: ArchTrainingRun[][] = [];
    try {
      if (segmented) {
        for (let k = 0; k < names.length; k++) runs.push(seeds.map((s) => startArchTraining(spec(k, s, searchTrainingRoot(request.seed, s), 'proxy', qualitySteps))));
      }

      /** Network k's S trainings looked at (or, for a separate quality check, trained): their mean, or why it failed. */
      const look = async (k: number, step: number, separate: boolean): Promise<{ mean: number; failed?: { why: string; code?: RejectionCode }; aborted?: boolean }> => {
        const accuracies: number[] = [];
        for (const s of seeds) {
          const result = separate
            ? await trainArch(spec(k, s, qualityTrainingRoot(request.seed, s), 'quality', step, step))
            : await checkAt(runs[k][s], step);
          if (result.aborted) return { mean: NaN, aborted: true };
          if (result.note) return { mean: NaN, failed: { why: `${where(k, s)}: ${result.note}`, code: result.noteCode } };
          accuracies.push(result.accuracy);
        }
        return { mean: mean(accuracies) };
      };

      if (q.enabled) {
        const t = performance.now();
        const accuracies: number[] = [];
        for (let k = 0; k < names.length; k++) {
          const result = await look(k, q.steps, !q.continued);
          if (result.aborted) return reject('interrupted', 'interrupted');
          accuracies.push(result.mean);
          if (result.failed || !(result.mean >= q.minAccuracy)) {
            const of = config.seeds > 1 ? ` (mean of ${config.seeds} seeds)` : '';
            const why = result.failed?.why ?? `${names[k]}: validation accuracy ${fmt(result.mean)}${of} < ${q.minAccuracy} after ${q.steps} steps`;
            stages.push({ stage: 'quality', passed: false, ms: performance.now() - t, reason: why, accuracies });
            // A non-finite loss in the short training is still a quality rejection, with its own code.
            return reject(result.failed?.code ?? 'low-accuracy', why, 'quality');
          }
        }
        stages.push({ stage: 'quality', passed: true, ms: performance.now() - t, accuracies });
      }

      for (const step of h.enabled ? hurdleSteps(h, steps) : []) {
        const t = performance.now();
        const accuracies: number[] = [];
        for (let k = 0; k < names.length; k++) {
          const result = await look(k, step, false);
          if (result.aborted) return reject('interrupted', 'interrupted');
          if (result.failed) {
            stages.push({ stage: 'training', passed: false, ms: performance.now() - t, reason: result.failed.why });
            return reject(result.failed.code ?? 'non-finite-loss', result.failed.why);
          }
          accuracies.push(result.mean);
        }
        checkpoints.push({ step, accuracies });
        const hurdle = request.hurdles?.find((x) => x.step === step);
        if (hurdle && belowHurdle(accuracies, hurdle, h.stopWhen)) {
          const on = h.stopWhen === 'all' ? 'every network' : 'a network';
          const figures = names.map((n, k) => `${n} ${fmt(accuracies[k])} vs ${fmt(hurdle.minAccuracy[k])}`).join(', ');
          const of = config.seeds > 1 ? ` (means of ${config.seeds} seeds)` : '';
          const reason = `below the hurdle at step ${step} of ${steps} on ${on}: ${figures}${of}`;
          stages.push({ stage: 'hurdle', passed: false, ms: performance.now() - t, reason, accuracies, step });
          return reject('below-hurdle', reason);
        }
        stages.push({ stage: 'hurdle', passed: true, ms: performance.now() - t, accuracies, step });
      }

      const t = performance.now();
      const objectives: number[] = [];
      const errors: number[] = [];
      for (let k = 0; k < names.length; k++) {
        const accuracies: number[] = [];
        for (const s of seeds) {
          const result = segmented
            ? await finishArchTraining(runs[k][s])
            : await trainArch(spec(k, s, searchTrainingRoot(request.seed, s), 'proxy', 0));
          if (result.aborted) return reject('interrupted', 'interrupted');
          archs.push(config.seeds > 1 ? { ...result.arch, seed: s } : result.arch);
          if (result.note) {
            stages.push({ stage: 'training', passed: false, ms: performance.now() - t, reason: `${where(k, s)}: ${result.note}` });
            return reject(result.noteCode ?? 'non-finite-loss', `${where(k, s)}: ${result.note}`);
          }
          accuracies.push(result.arch.accuracy ?? 0);
        }
        objectives.push(mean(accuracies));
        errors.push(standardError(accuracies));
      }
      stages.push({ stage: 'proxy', passed: true, ms: performance.now() - t });
      return { status: 'ok', objectives, ...(config.seeds > 1 ? { objectiveErrors: errors } : {}), costMs: performance.now() - started, stages, archs, ...withCheckpoints() };
    } finally {
      for (const run of runs.flat()) run.dispose();
    }
  } catch (err) {
    return reject('evaluation-failed', `evaluation failed: ${(err as Error).message}`);
  }
}

/** Mean of a non-empty list (the one value itself when there is one, bit for bit). */
export function mean(values: readonly number[]): number {
  return values.length === 1 ? values[0] : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Standard error of the mean, sd/√n with the sample sd (n − 1); NaN for fewer than 2 values. */
export function standardError(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  const variance = values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1);
  return Math.sqrt(variance / n);
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}
