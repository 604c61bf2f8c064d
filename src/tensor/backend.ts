/**
 * Chooses and activates the tfjs backend: `tensorflow` (tfjs-node-gpu, then tfjs-node) →
 * `wasm` → `cpu` for 'auto', or exactly the one requested. This is the backend loader, one of
 * the two places allowed import-time side effects (STYLE.md 1): the native and wasm packages
 * are imported dynamically, so neither is loaded unless chosen, and tfjs-node-gpu (an optional
 * dependency) is never imported statically.
 */
import * as tf from '@tensorflow/tfjs';
import { EvonormError } from '../util/errors.js';
import { BACKEND_NAMES, type BackendName, type BackendRequest } from './backends.js';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';

export type { BackendRequest } from './backends.js';

/** The backend that was activated (tfjs's name for it) and why it was taken. */
export interface BackendChoice {
  name: string;
  reason: string;
}

type Attempt = { ok: true; note: string } | { ok: false; note: string };

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let last: { requested: BackendRequest; choice: BackendChoice } | undefined;

/** True when an import failed because the package is not installed (not because it broke). */
function isNotInstalled(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function short(name: string): string {
  return name.replace('@tensorflow/', '');
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Activates a backend tfjs already knows, returning false when its initialisation fails. */
async function activate(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Runs `f` with tfjs's console warnings off (tfjs's PROD flag only silences its warn/log). */
async function withoutTfjsWarnings<T>(f: () => Promise<T>): Promise<T> {
  const env = tf.env();
  const was = env.getBool('PROD');
  env.set('PROD', true);
  try {
    return await f();
  } finally {
    env.set('PROD', was);
  }
}

/** Tries tfjs-node-gpu then tfjs-node; notes say what happened to each. */
async function tryTensorflow(): Promise<Attempt> {
  const notes: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      const spec: string = pkg; // a variable specifier: no static import, no type lookup
      // Quietly: loading tfjs-node beside tfjs prints "Platform node has already been set".
      await withoutTfjsWarnings(() => import(spec));
    } catch (err) {
      notes.push(isNotInstalled(err) ? `${short(pkg)} not installed` : `${short(pkg)} failed to load (${errText(err)})`);
      continue;
    }
    if (await activate('tensorflow')) return { ok: true, note: [...notes, `${short(pkg)} loaded`].join('; ') };
    notes.push(`${short(pkg)} loaded but its tensorflow backend did not initialise`);
  }
  return { ok: false, note: notes.join('; ') };
}

/** Loads the wasm backend and registers the training kernels it lacks. */
async function tryWasm(): Promise<Attempt> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return { ok: false, note: `tfjs-backend-wasm failed to load (${errText(err)})` };
  }
  if (!(await activate('wasm'))) return { ok: false, note: 'wasm backend did not initialise' };
  registerWasmTrainingKernels();
  // Node gets the single-threaded build (tfjs disables wasm threads under Node).
  const threads = wasm.getThreadsCount();
  return { ok: true, note: `wasm loaded (${threads} thread${threads === 1 ? '' : 's'})` };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await activate('cpu'))) return { ok: false, note: 'cpu backend did not initialise' };
  // The cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js…" on its
  // first tensor (its `firstUse` flag); evonorm says itself which backends load (doctor, logs).
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
  return { ok: true, note: 'cpu loaded' };
}

/** Each backend's loader (one per descriptor of backends.ts). */
const LOADERS: { readonly [N in BackendName]: () => Promise<Attempt> } = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Activates the requested backend and says which one it took and why.
 * 'auto' tries tensorflow → wasm → cpu; a named backend that cannot load throws
 * EvonormError('BACKEND_UNAVAILABLE'). A repeated call with the same request is cheap.
 * @param log receives one line per attempt (e.g. a logger's info)
 */
export async function selectBackend(requested: BackendRequest, log?: (msg: string) => void): Promise<BackendChoice> {
  if (last !== undefined && last.requested === requested && tf.getBackend() === last.choice.name) return last.choice;
  const order: readonly BackendName[] = requested === 'auto' ? BACKEND_NAMES : [requested];
  const notes: string[] = [];
  for (const name of order) {
    const attempt = await LOADERS[name]();
    log?.(`backend ${name}: ${attempt.note}`);
    notes.push(attempt.note);
    if (attempt.ok) {
      const choice: BackendChoice = { name: tf.getBackend(), reason: notes.join('; ') };
      last = { requested, choice };
      return choice;
    }
  }
  throw new EvonormError(
    'BACKEND_UNAVAILABLE',
    `backend '${requested}' is unavailable: ${notes.join('; ')}` +
      (requested === 'tensorflow' ? ' (install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, or use --backend wasm)' : ''),
    { requested, notes },
  );
}
