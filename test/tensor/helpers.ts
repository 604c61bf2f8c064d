import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng.js';

/** A seeded NHWC tensor; `zeroChannels` are set to 0 (variance 0, like after a dead ReLU). */
export function seededInput(shape: [number, number, number, number], seed: string, zeroChannels: number[] = []): tf.Tensor4D {
  const rng = Rng.fromSeed(seed);
  const [n, h, w, c] = shape;
  const data = new Float32Array(n * h * w * c);
  for (let i = 0; i < data.length; i++) {
    const ch = i % c;
    data[i] = zeroChannels.includes(ch) ? 0 : 0.5 * ch + (1 + 0.3 * ch) * rng.normal();
  }
  return tf.tensor4d(data, shape);
}

/** Per-channel values drawn around `center`. */
export function seededVector(c: number, seed: string, center: number, spread = 0.5): Float32Array {
  const rng = Rng.fromSeed(seed);
  return Float32Array.from({ length: c }, () => center + spread * rng.normal());
}

/** Max relative difference |a−b| / max(1, |b|), after checking shapes. */
export function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: ${a.shape} vs ${b.shape}`);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i]));
    if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
  }
  return worst;
}

/** True when every value is finite. */
export function allFinite(t: tf.Tensor): boolean {
  return t.dataSync().every((v) => Number.isFinite(v));
}
