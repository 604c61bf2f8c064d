/**
 * Proxy evaluation of one candidate layer (PAPER.md §3–4): the rejection chain, then a short
 * training of each of the K proxy networks with the layer at every norm-activation site.
 *
 *   static  : valid, depends on x, finite and non-constant on the probes, finite at init
 *   stability: adversarial gradient-norm ascent on each network (stability.ts)
 *   quality : Q training steps on each network; reject below minAccuracy on any of them
 *   proxy   : full training on each network → objectives = K validation accuracies
 *
 * Every random choice (initialisers, batches) comes from the run seed and the candidate's
 * functional fingerprint, so the same function always gets the same score on one backend.
 */
import type { ImageDataset } from '../data/types.js';
import { loadDataset } from '../data/index.js';
import { selectBackend } from '../tensor/backend.js';
import { checkAt, finishArchTraining, startArchTraining, trainArch } from './arch-training.js';
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
}

export interface ProxyEvaluatorOptions {
  readonly onProgress?: (p: ProxyProgress) => void;
  /** Log lines (backend choice). */
  readonly log?: (message: string) => void;
}

/** Builds the evaluator: selects the backend and loads the data once. */
export async function createProxyEvaluator(input: ProxyConfigInput | ProxyConfig | unknown, options: ProxyEvaluatorOptions = {}): Promise<Evaluator & { readonly config: ProxyConfig; readonly backend: string }> {
  const config = validateWith(ProxyConfigSchema, input, 'evaluation');
  const backend = await selectBackend(config.backend, options.log);
  const dataset = loadDataset(config.data, Rng.fromSeed('data'));
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
  const rng = Rng.fromSeed(`${request.seed}`).child(`eval/${request.fingerprint}`);
  const checkpoints: TrainingCheckpoint[] = [];
  const withCheckpoints = () => (checkpoints.length > 0 ? { checkpoints } : {});
  const reject = (code: RejectionCode, reason: string, stage?: RejectionStage): Evaluation => rejected(code, reason, performance.now() - started, { stages, archs, ...withCheckpoints(), ...(stage ? { stage } : {}) });
  const timed = <T>(fn: () => T): [T, number] => { const t = performance.now(); const v = fn(); return [v, performance.now() - t]; };

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
    // One training per network, advanced in segments: the quality check is its first Q steps
    // (quality.continued) and hurdles look at it part-way, so survivors are never trained twice.
    const segmented = (q.enabled && q.continued) || h.enabled;
    const qualitySteps = q.enabled && q.continued ? q.steps : 0;
    const runs = segmented ? names.map((name, k) => startArchTraining(request.graph, config, dataset, k, name, steps, rng.child(`proxy/${k}`), options, signal, qualitySteps)) : [];
    try {
      if (q.enabled) {
        const t = performance.now();
        const accuracies: number[] = [];
        for (let k = 0; k < names.length; k++) {
          const result = q.continued
            ? await checkAt(runs[k], q.steps)
            : await trainArch(request.graph, config, dataset, k, names[k], q.steps, rng.child(`quality/${k}`), 'quality', options, signal);
          if (result.aborted) return reject('interrupted', 'interrupted');
          accuracies.push(result.accuracy);
          if (!(result.accuracy >= q.minAccuracy)) {
            const why = result.note ?? `validation accuracy ${fmt(result.accuracy)} < ${q.minAccuracy} after ${q.steps} steps`;
            stages.push({ stage: 'quality', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${why}`, accuracies });
            // A non-finite loss in the short training is still a quality rejection, with its own code.
            return reject(result.noteCode ?? 'low-accuracy', `${names[k]}: ${why}`, 'quality');
          }
        }
        stages.push({ stage: 'quality', passed: true, ms: performance.now() - t, accuracies });
      }

      for (const step of h.enabled ? hurdleSteps(h, steps) : []) {
        const t = performance.now();
        const accuracies: number[] = [];
        for (let k = 0; k < names.length; k++) {
          const result = await checkAt(runs[k], step);
          if (result.aborted) return reject('interrupted', 'interrupted');
          if (result.note) {
            stages.push({ stage: 'training', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${result.note}` });
            return reject(result.noteCode ?? 'non-finite-loss', `${names[k]}: ${result.note}`);
          }
          accuracies.push(result.accuracy);
        }
        checkpoints.push({ step, accuracies });
        const hurdle = request.hurdles?.find((x) => x.step === step);
        if (hurdle && belowHurdle(accuracies, hurdle, h.stopWhen)) {
          const where = h.stopWhen === 'all' ? 'every network' : 'a network';
          const figures = names.map((n, k) => `${n} ${fmt(accuracies[k])} vs ${fmt(hurdle.minAccuracy[k])}`).join(', ');
          const reason = `below the hurdle at step ${step} of ${steps} on ${where}: ${figures}`;
          stages.push({ stage: 'hurdle', passed: false, ms: performance.now() - t, reason, accuracies, step });
          return reject('below-hurdle', reason);
        }
        stages.push({ stage: 'hurdle', passed: true, ms: performance.now() - t, accuracies, step });
      }

      const t = performance.now();
      for (let k = 0; k < names.length; k++) {
        const result = segmented
          ? await finishArchTraining(runs[k])
          : await trainArch(request.graph, config, dataset, k, names[k], steps, rng.child(`proxy/${k}`), 'proxy', options, signal);
        if (result.aborted) return reject('interrupted', 'interrupted');
        archs.push(result.arch);
        if (result.note) {
          stages.push({ stage: 'training', passed: false, ms: performance.now() - t, reason: `${names[k]}: ${result.note}` });
          return reject(result.noteCode ?? 'non-finite-loss', `${names[k]}: ${result.note}`);
        }
      }
      stages.push({ stage: 'proxy', passed: true, ms: performance.now() - t });
      return { status: 'ok', objectives: archs.map((a) => a.accuracy ?? 0), costMs: performance.now() - started, stages, archs, ...withCheckpoints() };
    } finally {
      for (const run of runs) run.dispose();
    }
  } catch (err) {
    return reject('evaluation-failed', `evaluation failed: ${(err as Error).message}`);
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}
