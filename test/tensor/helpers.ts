import * as tf from '@tensorflow/tfjs';
import { buildModel, ModelConfigSchema, type NormActFactory } from '../../src/models/index.js';
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

/** [h, w, c] of every norm-activation site of the three proxies at 14×14 and 28×28. */
export function proxySiteShapes(): Array<[number, number, number]> {
  const seen = new Map<string, [number, number, number]>();
  const record: NormActFactory = () => ({
    apply: (x) => {
      const [, h, w, c] = x.shape;
      seen.set(`${h},${w},${c}`, [h, w, c]);
      return tf.relu(x);
    },
    trainableVariables: () => [],
    dispose: () => {},
  });
  for (const arch of ['resnet', 'mobilenetv2', 'efficientnet'] as const) {
    for (const size of [14, 28]) {
      const model = buildModel(ModelConfigSchema.parse({ arch }), [size, size, 1], 10, record, Rng.fromSeed(1));
      tf.tidy(() => model.apply(tf.zeros([1, size, size, 1]), true));
      model.dispose();
    }
  }
  return [...seen.values()];
}


/** Top-level tfjs kernel calls `f` makes (kernels run inside another kernel's forward not counted). */
export function countKernelCalls(f: () => void): number {
  const engine = tf.engine() as unknown as { runKernelFunc: (p: unknown) => unknown };
  const run = engine.runKernelFunc;
  let depth = 0;
  let calls = 0;
  engine.runKernelFunc = function (this: unknown, params: unknown) {
    if (depth === 0) calls++;
    depth++;
    try {
      return run.call(engine, params);
    } finally {
      depth--;
    }
  };
  try {
    f();
  } finally {
    engine.runKernelFunc = run;
  }
  return calls;
}
