/**
 * Per-kernel CPU time of the SIMD wasm kernels against the code they replace, interleaved, at
 * the proxies' site shapes, each a forward + backward (tf.grads of Σ out ⊙ up):
 * - bn-relu: (a) the SIMD kernel, (b) the JS kernel it replaces (EVONORM_SIMD off), (c) the
 *   op-by-op tfjs path (what sites larger than BN_RELU_MAX_SIZE ran before);
 * - affine (x·γ + β of the residual branches): SIMD kernel vs tfjs mul + add;
 * - sum (Σ over n, h, w to [C], reduceSumTo's 'sum-keep'), forward only (it runs inside
 *   hand-written gradients, never differentiated itself): SIMD kernel vs avgPool × p.
 *
 * Usage: npm run bench:simd -- [--reps 5] [--iters 20] [--batch 64]
 * Prints the machine, `uptime` before and after, one line per shape and variant (CPU ms per
 * forward+backward, median over reps; each rep runs the three variants in turn), and writes
 * bench-results/simd-<time>.json. CPU time from process.cpuUsage: on a loaded machine it still
 * includes cache and frequency effects of the other load, so record the load with the figures.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/tensor/backend.js';
import { bnReluTrain } from '../src/tensor/wasm-kernels/index.js';
import { channelAffine, setSimdEnabled } from '../src/tensor/wasm-kernels/simd/index.js';
import { reduceSumTo } from '../src/tensor/fused/index.js';
import { Rng } from '../src/util/rng.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const REPS = Number(opt('reps', '5'));
const ITERS = Number(opt('iters', '20'));
const BATCH = Number(opt('batch', '64'));
/** [h, w, c] of representative sites: resnet 14/28 stems and stages, mobilenetv2's wide expansions. */
const SITES: Array<[number, number, number]> = [[14, 14, 16], [7, 7, 32], [4, 4, 64], [28, 28, 16], [14, 14, 32], [28, 28, 96], [14, 14, 144]];
type Variant = 'simd' | 'js' | 'ops';
type Kernel = 'bn-relu' | 'affine' | 'sum';
const KERNELS: Record<Kernel, Variant[]> = { 'bn-relu': ['simd', 'js', 'ops'], affine: ['simd', 'ops'], sum: ['simd', 'ops'] };

function uptime(): string {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
  }
}

/** One forward + backward of `kernel` as `v` on x with upstream gradient up. */
function step(kernel: Kernel, v: Variant, x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, up: tf.Tensor4D): void {
  if (kernel === 'sum') {
    tf.tidy(() => void reduceSumTo(x, [1, 1, 1, x.shape[3]]).dataSync());
    return;
  }
  tf.tidy(() => {
    const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      if (kernel === 'affine') return v === 'simd' ? channelAffine(xx, g, b) : tf.add(tf.mul(xx, g), b);
      if (v !== 'ops') return bnReluTrain(xx as tf.Tensor4D, g, b, 1e-5).y;
      const { mean, variance } = tf.moments(xx, [0, 1, 2]);
      return tf.relu(tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b));
    };
    const grads = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xx, g, b), up)))([x, gamma, beta]);
    for (const t of grads) t.dataSync();
  });
}

function cpuMs(f: () => void): number {
  const t = process.cpuUsage();
  for (let i = 0; i < ITERS; i++) f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / ITERS / 1000;
}

const median = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;

async function main(): Promise<void> {
  await selectBackend('wasm');
  const before = uptime();
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}`);
  console.log(`uptime before: ${before}`);
  const rng = Rng.fromSeed('bench-simd');
  const rows: Array<{ kernel: Kernel; site: string; variant: Variant; ms: number[] }> = [];
  for (const [h, w, c] of SITES) {
    const shape: [number, number, number, number] = [BATCH, h, w, c];
    const size = BATCH * h * w * c;
    const x = tf.tensor4d(Float32Array.from({ length: size }, () => rng.normal()), shape);
    const up = tf.tensor4d(Float32Array.from({ length: size }, () => rng.normal()), shape);
    const gamma = tf.ones([c]) as tf.Tensor1D;
    const beta = tf.zeros([c]) as tf.Tensor1D;
    const site = shape.join('×');
    for (const kernel of Object.keys(KERNELS) as Kernel[]) {
      const variants = KERNELS[kernel];
      const ms: Record<Variant, number[]> = { simd: [], js: [], ops: [] };
      // 'sum' with SIMD off takes reduceSumTo's avgPool path: the switch selects old vs new.
      for (const v of variants) { setSimdEnabled(v === 'simd'); step(kernel, v, x, gamma, beta, up); } // warm-up
      for (let r = 0; r < REPS; r++) {
        for (const v of variants) {
          setSimdEnabled(v === 'simd');
          ms[v].push(cpuMs(() => step(kernel, v, x, gamma, beta, up)));
        }
      }
      setSimdEnabled(true);
      for (const v of variants) {
        rows.push({ kernel, site, variant: v, ms: ms[v] });
        console.log(`${kernel.padEnd(7)} ${kernel === 'sum' ? 'fwd    ' : 'fwd+bwd'} ${site.padEnd(16)} ${v.padEnd(4)} ${median(ms[v]).toFixed(3).padStart(8)} CPU-ms  (×${(median(ms[v]) / median(ms.simd)).toFixed(2)} of simd)`);
      }
    }
    tf.dispose([x, up, gamma, beta]);
  }
  const after = uptime();
  console.log(`uptime after: ${after}`);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/simd-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, uptime: { before, after }, reps: REPS, iters: ITERS, rows }, null, 2));
  console.log(`wrote ${file}`);
}

await main();
