/**
 * Conv gradient kernels on wasm at the resnet proxy's shapes (configs/quick.json: 14×14 MNIST,
 * batch 64): CPU ms per call of the forward conv and of both gradients, with the 1×1 matmul
 * paths on and off (interleaved per shape). Every call gets fresh buffers, as in training:
 * XNNPACK caches its operators per weight buffer, so reusing tensors would flatter the kernels.
 *
 * Usage: node --import tsx scripts/bench-conv-grads.ts [--reps 200]
 */
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/tensor/backend.js';
import { convGradOptions } from '../src/tensor/wasm-kernels/index.js';

interface ConvShape { name: string; h: number; ci: number; co: number; k: number; s: number }

/** The resnet proxy's convs at 14×14 (src/models/resnet.ts, bottleneck, 3 stages). */
const SHAPES: ConvShape[] = [
  { name: 'stem 3×3/2', h: 14, ci: 1, co: 8, k: 3, s: 2 },
  { name: 's1 conv1 1×1', h: 7, ci: 8, co: 8, k: 1, s: 1 },
  { name: 's1 conv2 3×3', h: 7, ci: 8, co: 8, k: 3, s: 1 },
  { name: 's1 conv3 1×1', h: 7, ci: 8, co: 32, k: 1, s: 1 },
  { name: 's1 proj 1×1', h: 7, ci: 8, co: 32, k: 1, s: 1 },
  { name: 's2 conv1 1×1', h: 7, ci: 32, co: 16, k: 1, s: 1 },
  { name: 's2 conv2 3×3/2', h: 7, ci: 16, co: 16, k: 3, s: 2 },
  { name: 's2 conv3 1×1', h: 4, ci: 16, co: 64, k: 1, s: 1 },
  { name: 's2 proj 1×1/2', h: 7, ci: 32, co: 64, k: 1, s: 2 },
  { name: 's3 conv1 1×1', h: 4, ci: 64, co: 32, k: 1, s: 1 },
  { name: 's3 conv2 3×3/2', h: 4, ci: 32, co: 32, k: 3, s: 2 },
  { name: 's3 conv3 1×1', h: 2, ci: 32, co: 128, k: 1, s: 1 },
  { name: 's3 proj 1×1/2', h: 4, ci: 64, co: 128, k: 1, s: 2 },
];
const BATCH = 64;
const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] ?? 200) || 200;

/** CPU ms per call of f (after a warm-up). */
function cpuMs(f: () => void): number {
  for (let i = 0; i < 20; i++) f();
  const t = process.cpuUsage();
  for (let i = 0; i < reps; i++) f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / reps / 1000;
}

await selectBackend('wasm');
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| conv | forward | dW old | dW new | dX old | dX new |');
console.log('| --- | --- | --- | --- | --- | --- |');
const total = { fwd: 0, dwOld: 0, dwNew: 0, dxOld: 0, dxNew: 0 };
for (const sh of SHAPES) {
  const x = tf.randomNormal([BATCH, sh.h, sh.h, sh.ci]) as tf.Tensor4D;
  const w = tf.randomNormal([sh.k, sh.k, sh.ci, sh.co]) as tf.Tensor4D;
  const dy = tf.randomNormal(tf.conv2d(x, w, sh.s, 'same').shape) as tf.Tensor4D;
  const fresh = (t: tf.Tensor4D): tf.Tensor4D => tf.add(t, 0);
  const common = { strides: [sh.s, sh.s], pad: 'same', dataFormat: 'NHWC' };
  const copies = cpuMs(() => tf.tidy(() => { fresh(x); fresh(w); fresh(dy); }));
  const dW = () => tf.tidy(() => { fresh(w); tf.engine().runKernel('Conv2DBackpropFilter', { x: fresh(x), dy: fresh(dy) }, { ...common, filterShape: w.shape } as never); });
  const dX = () => tf.tidy(() => { fresh(x); tf.engine().runKernel('Conv2DBackpropInput', { dy: fresh(dy), filter: fresh(w) }, { ...common, inputShape: x.shape } as never); });
  const fwd = cpuMs(() => tf.tidy(() => { tf.conv2d(fresh(x), fresh(w), sh.s, 'same'); fresh(dy); })) - copies;
  const timed = (f: () => void, on: boolean): number => { convGradOptions.unpadded1x1 = on; return cpuMs(f) - copies; };
  const r = { fwd, dwOld: timed(dW, false), dwNew: timed(dW, true), dxOld: timed(dX, false), dxNew: timed(dX, true) };
  for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += r[k];
  console.log(`| ${sh.name} | ${[r.fwd, r.dwOld, r.dwNew, r.dxOld, r.dxNew].map((v) => v.toFixed(3)).join(' | ')} |`);
  tf.dispose([x, w, dy]);
}
console.log(`| total (ms per step) | ${[total.fwd, total.dwOld, total.dwNew, total.dxOld, total.dxNew].map((v) => v.toFixed(2)).join(' | ')} |`);
console.log('(dX of the stem is never computed in training: its input is the image.)');
