/**
 * What `evonorm doctor` finds out about this machine: versions, threads, which tfjs backends
 * load (and why not), a one-step training of a small proxy on each backend that loads, compared
 * with wasm's, and what a CUDA machine needs for @tensorflow/tfjs-node-gpu.
 *
 *   for backend in tensorflow, wasm, cpu:
 *     load it (selectBackend) → available, or the reason it is not
 *     if available: seeded ResNet proxy with EvoNorm-S0 on seeded synthetic bars,
 *                   one SGD step → first training loss, validation loss and accuracy
 *   compare each backend's figures with wasm's (the reference backend of this project)
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { makeSynthetic } from '../data/synthetic.js';
import { zooLayer } from '../graph/zoo.js';
import { ModelConfigSchema } from '../models/config.js';
import { buildModel } from '../models/registry.js';
import { selectBackend, type BackendRequest } from '../tensor/backend.js';
import { graphNormAct } from '../tensor/norm-act.js';
import { trainModel } from '../train/index.js';
import { Rng } from '../util/rng.js';
import { AGREEMENT_TOLERANCE, DOCTOR_BACKENDS, type DoctorBackend } from './doctor-backends.js';

export { AGREEMENT_TOLERANCE, DOCTOR_BACKENDS, type DoctorBackend };

/** The figures of one training step on one backend. */
export interface StepFigures {
  /** Training loss of the first (and only) step, before the update. */
  readonly trainLoss: number;
  /** Validation loss and accuracy after the step. */
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly ms: number;
}

export interface BackendReport {
  readonly name: DoctorBackend;
  readonly available: boolean;
  /** What loading it said (e.g. "tfjs-node-gpu not installed; tfjs-node not installed"). */
  readonly note: string;
  readonly step?: StepFigures;
  /** Largest |difference| of the step figures to wasm's; absent for wasm or without a step. */
  readonly differenceToWasm?: number;
  /** differenceToWasm ≤ AGREEMENT_TOLERANCE. */
  readonly agreesWithWasm?: boolean;
  /** Why the training step failed, when it did. */
  readonly stepError?: string;
}

export interface DoctorReport {
  readonly versions: Record<string, string | null>;
  readonly machine: {
    readonly platform: string;
    readonly arch: string;
    readonly cpuModel: string;
    readonly cores: number;
    /** Worker threads `dispatch.workers: "auto"` starts (os.availableParallelism()). */
    readonly workerThreads: number;
    readonly memoryGiB: number;
    /** Threads of the wasm backend (tfjs runs its single-threaded build under Node). */
    readonly wasmThreads: number | null;
    /** `nvidia-smi` output (GPU name, driver), or why there is none. */
    readonly nvidia: string;
  };
  readonly backends: readonly BackendReport[];
  readonly cuda: CudaRequirements;
  /** True when some backend loads and every backend that trained agrees with wasm. */
  readonly ok: boolean;
}

/**
 * What @tensorflow/tfjs-node-gpu 4.22 needs (it cannot be run on the machines that build this
 * project). Sources: the package's scripts/deps-constants.js (LIBTENSORFLOW_VERSION = '2.9.1',
 * read from the 4.22.0 tarball) and the tfjs-node README's GPU table (driver > 450.x, CUDA 11.2,
 * cuDNN 8.1.0), which is TensorFlow 2.9's tested GPU configuration.
 */
export interface CudaRequirements {
  readonly package: string;
  readonly libtensorflow: string;
  readonly platforms: readonly string[];
  readonly nvidiaDriver: string;
  readonly cudaToolkit: string;
  readonly cudnn: string;
  readonly steps: readonly string[];
  /** What is known to go wrong on the way (reported upstream), so a user does not rediscover it. */
  readonly knownProblems: readonly string[];
  readonly source: string;
}

export const CUDA_REQUIREMENTS: CudaRequirements = {
  package: '@tensorflow/tfjs-node-gpu 4.22.0 (an optional dependency of evonorm)',
  libtensorflow: '2.9.1 (GPU build, downloaded by the package\'s install script)',
  platforms: ['Linux x86-64', 'Windows x86-64'],
  nvidiaDriver: '> 450.x (one that supports CUDA 11.2)',
  cudaToolkit: '11.2 (libcudart.so.11.0 must be on the library path)',
  cudnn: '8.1.0 (libcudnn.so.8)',
  steps: [
    'install the NVIDIA driver, CUDA Toolkit 11.2 and cuDNN 8.1 (check with nvidia-smi)',
    'put their libraries on the path, e.g. export LD_LIBRARY_PATH=/usr/local/cuda-11.2/lib64:$LD_LIBRARY_PATH',
    'npm install @tensorflow/tfjs-node-gpu@4.22.0 (needs network: it downloads libtensorflow 2.9.1 from storage.googleapis.com;'
      + ' with a mirror of that bucket: TFJS_NODE_CDN_STORAGE=https://your-mirror/ npm install …, or TFJS_NODE_BASE_URI for the folder itself)',
    'run evonorm doctor again: backend tensorflow should load and agree with wasm',
  ],
  knownProblems: [
    'since August 2026 the libtensorflow 2.9.1 download of the install script is reported to answer 403 (tensorflow/tfjs#8742, closed without a fix):'
      + ' without a mirror holding libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz the package does not install, and evonorm runs on wasm or cpu',
    'CUDA 12 machines fail to load it: libcudart.so.11.0 is missing (tensorflow/tfjs#8362); CUDA 11.2 libraries must be on the path',
    'H100/H200 (sm_90): TensorFlow 2.9 ships PTX for compute_80 only, so the first start JIT-compiles its kernels for a long time (tensorflow/tensorflow#60739)',
  ],
  source: 'tfjs-node README (GPU table) and tfjs-node-gpu 4.22.0 scripts/deps-constants.js; not run on this machine',
};

/** Runs every check; `only` limits the backends tried (default all three). Never throws. */
export async function runDoctor(evonormVersion: string, only: readonly DoctorBackend[] = DOCTOR_BACKENDS): Promise<DoctorReport> {
  const backends: BackendReport[] = [];
  let wasmThreads: number | null = null;
  for (const name of DOCTOR_BACKENDS.filter((b) => only.includes(b))) {
    const loaded = await tryLoad(name);
    if (!loaded.available) { backends.push({ name, ...loaded }); continue; }
    if (name === 'wasm') wasmThreads = await wasmThreadCount();
    try {
      backends.push({ name, ...loaded, step: await oneStep() });
    } catch (err) {
      backends.push({ name, ...loaded, stepError: (err as Error).message });
    }
  }
  const reference = backends.find((b) => b.name === 'wasm')?.step;
  const compared = backends.map((b): BackendReport => {
    if (!b.step || !reference || b.name === 'wasm') return b;
    const difference = Math.max(...(['trainLoss', 'valLoss', 'valAccuracy'] as const).map((k) => Math.abs(b.step![k] - reference[k])));
    return { ...b, differenceToWasm: difference, agreesWithWasm: difference <= AGREEMENT_TOLERANCE };
  });
  const cpu = cpus();
  return {
    versions: versions(evonormVersion),
    machine: {
      platform: platform(), arch: arch(), cpuModel: cpu[0]?.model?.trim() ?? 'unknown', cores: cpu.length,
      workerThreads: availableParallelism(), memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, wasmThreads, nvidia: nvidiaSmi(),
    },
    backends: compared,
    cuda: CUDA_REQUIREMENTS,
    ok: compared.some((b) => b.available) && compared.every((b) => b.stepError === undefined && b.agreesWithWasm !== false),
  };
}

async function tryLoad(name: DoctorBackend): Promise<{ available: boolean; note: string }> {
  try {
    const choice = await selectBackend(name as BackendRequest);
    return { available: true, note: choice.reason };
  } catch (err) {
    const notes = (err as { details?: { notes?: string[] } }).details?.notes;
    return { available: false, note: notes?.join('; ') ?? (err as Error).message };
  }
}

/** One seeded SGD step of a one-block ResNet proxy with EvoNorm-S0 on synthetic bars, on the active backend. */
async function oneStep(): Promise<StepFigures> {
  const started = performance.now();
  const dataset = makeSynthetic({ rng: Rng.fromSeed('doctor-data'), count: 64, size: 8, numClasses: 4, noise: 0.1 });
  const normAct = graphNormAct(zooLayer('evonorm-s0'));
  const config = ModelConfigSchema.parse({ arch: 'resnet', stageBlocks: [1] });
  const model = buildModel(config, [dataset.height, dataset.width, dataset.channels], dataset.numClasses, normAct.factory, Rng.fromSeed('doctor-init'));
  try {
    const result = await trainModel({
      model, dataset, steps: 1, batchSize: 16, optimizer: { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      schedule: { warmupSteps: 0, cosine: false }, labelSmoothing: 0, rng: Rng.fromSeed('doctor-batches'), evalBatchSize: 64,
    });
    return { trainLoss: result.losses[0] ?? result.trainLoss, valLoss: result.valLoss, valAccuracy: result.valAccuracy, ms: performance.now() - started };
  } finally {
    model.dispose();
  }
}

async function wasmThreadCount(): Promise<number | null> {
  try {
    return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
  } catch {
    return null;
  }
}

function versions(evonormVersion: string): Record<string, string | null> {
  const require = createRequire(import.meta.url);
  const of = (pkg: string): string | null => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  };
  return {
    evonorm: evonormVersion,
    node: process.version,
    '@tensorflow/tfjs': of('@tensorflow/tfjs'),
    '@tensorflow/tfjs-core (active)': tf.version_core,
    '@tensorflow/tfjs-backend-wasm': of('@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-node-gpu': of('@tensorflow/tfjs-node-gpu'),
    '@tensorflow/tfjs-node': of('@tensorflow/tfjs-node'),
  };
}

/** The GPUs and driver `nvidia-smi` reports, or why there are none. */
function nvidiaSmi(): string {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { timeout: 5000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim().split('\n').join('; ') || 'nvidia-smi reported no GPU';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'nvidia-smi not found (no NVIDIA driver on this machine)' : `nvidia-smi failed: ${(err as Error).message.split('\n')[0]}`;
  }
}
