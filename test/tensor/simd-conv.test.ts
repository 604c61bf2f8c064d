/**
 * The SIMD convolution kernels (wasm/simd/kernels.ts via src/tensor/wasm-kernels/simd/conv.ts):
 * Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput and the three depthwise kernels, on every
 * convolution call of a training step of the three proxies at 14×14 and 28×28 (batch 64, the
 * calls recorded from real steps, replayed with seeded inputs) and on odd shapes (1–13 channels,
 * odd sizes, 1×1 to 5×5 filters, strides 1–2, 'same', 'valid' and explicit pads, dilation 2).
 * Each result is compared with a float64 loop of the definition and with the previous path (the
 * XNNPACK convolutions over transposed tensors, setSimdFamilyEnabled('conv', false)): within 1e-5 of the
 * largest magnitude of the exact answer, and of the previous path within 1e-5 plus that path's
 * own distance from the exact answer. Then whole trainings with and without the kernels.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { buildModel, ModelConfigSchema } from '../../src/models/index.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { graphNormAct } from '../../src/tensor/norm-act.js';
import { zooLayer } from '../../src/graph/zoo.js';
import { convGeometry, type ConvGeometry } from '../../src/tensor/wasm-kernels/conv-geometry.js';
import { setSimdFamilyEnabled, simdFamilyKernels } from '../../src/tensor/wasm-kernels/simd/index.js';
import { crossEntropy, MomentumSgd } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';

const TOL = 1e-5;
const CONV_KERNELS = [
  'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput',
  'DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput',
] as const;
type ConvKernel = (typeof CONV_KERNELS)[number];
type Shape4 = [number, number, number, number];

/** One convolution kernel call: its name, its inputs' shapes (by input name) and its attributes. */
interface ConvCall {
  readonly kernel: ConvKernel;
  readonly shapes: Record<string, number[]>;
  readonly attrs: Record<string, unknown>;
}

/** The convolution kernel calls of one training step of `arch` at size×size (batch 64, bn-relu sites). */
function recordCalls(arch: string, size: number): ConvCall[] {
  const calls: ConvCall[] = [];
  const engine = tf.engine() as unknown as { runKernelFunc: (p: unknown) => unknown };
  const run = engine.runKernelFunc.bind(engine);
  engine.runKernelFunc = (params: unknown) => {
    const p = params as { kernelName?: string; inputs?: Record<string, tf.TensorInfo>; attrs?: Record<string, unknown> };
    if ((CONV_KERNELS as readonly string[]).includes(p.kernelName ?? '')) {
      const shapes = Object.fromEntries(Object.entries(p.inputs ?? {}).map(([k, t]) => [k, [...t.shape]]));
      calls.push({ kernel: p.kernelName as ConvKernel, shapes, attrs: { ...p.attrs } });
    }
    return run(params);
  };
  try {
    const normAct = graphNormAct(zooLayer('bn-relu'));
    const model = buildModel(ModelConfigSchema.parse({ arch }), [size, size, 1], 10, normAct.factory, Rng.fromSeed('simd-conv'));
    tf.tidy(() => {
      const x = tf.randomNormal([64, size, size, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
      const labels = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32');
      tf.variableGrads(() => crossEntropy(model.apply(x, true) as tf.Tensor2D, labels, 0.1), model.trainableVariables());
    });
    model.dispose();
  } finally {
    engine.runKernelFunc = run;
  }
  return calls;
}

/** The geometry of a call, as the kernels compute it. */
function geometry(c: ConvCall): ConvGeometry {
  const a = c.attrs as { strides: number | [number, number]; dilations?: number | [number, number]; pad: 'same'; dimRoundingMode?: 'floor' };
  const depthwise = c.kernel.startsWith('Depthwise');
  const xShape = (c.shapes.x ?? c.attrs.inputShape) as Shape4;
  const fShape = (c.shapes.filter ?? c.attrs.filterShape) as Shape4;
  return convGeometry(xShape, fShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, depthwise);
}

/** Seeded float32 values for each input of a call. */
function seededInputs(c: ConvCall, seed: string): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, shape] of Object.entries(c.shapes)) {
    const rng = Rng.fromSeed(`${seed}/${name}`);
    out[name] = Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal());
  }
  return out;
}

/**
 * The exact (float64) answer of a call from the definitions: a tap (a, b) of output pixel (y, x)
 * reads input pixel (y·sh + a·dh − pt, x·sw + b·dw − pl), zero outside.
 */
function reference(c: ConvCall, v: Record<string, Float32Array>): Float64Array {
  const g = geometry(c);
  const { batch: n, inH: h, inW: w, inC: ci, outH: oh, outW: ow, outC: co, kH: kh, kW: kw } = g;
  const depthwise = c.kernel.startsWith('Depthwise');
  const m = depthwise ? co / ci : 1;
  const xi = (b: number, iy: number, ix: number, k: number): number => ((b * h + iy) * w + ix) * ci + k;
  const yi = (b: number, y: number, x: number, o: number): number => ((b * oh + y) * ow + x) * co + o;
  const wi = (a: number, bb: number, k: number, o: number): number => depthwise ? ((a * kw + bb) * ci + k) * m + (o % m) : ((a * kw + bb) * ci + k) * co + o;
  const kind = c.kernel.endsWith('Filter') ? 'filter' : c.kernel.endsWith('Input') ? 'input' : 'forward';
  const out = new Float64Array(kind === 'filter' ? kh * kw * ci * (depthwise ? m : co) : kind === 'input' ? n * h * w * ci : n * oh * ow * co);
  const x = v.x!;
  const f = v.filter!;
  const dy = v.dy!;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        for (let a = 0; a < kh; a++) {
          const iy = y * g.strideH + a * g.dilationH - g.padTop;
          if (iy < 0 || iy >= h) continue;
          for (let bb = 0; bb < kw; bb++) {
            const ix = xx * g.strideW + bb * g.dilationW - g.padLeft;
            if (ix < 0 || ix >= w) continue;
            const xBase = xi(b, iy, ix, 0);
            const yBase = yi(b, y, xx, 0);
            for (let o = 0; o < co; o++) {
              const k0 = depthwise ? Math.floor(o / m) : 0;
              const k1 = depthwise ? k0 + 1 : ci;
              for (let k = k0; k < k1; k++) {
                const wIdx = wi(a, bb, k, o);
                if (kind === 'forward') out[yBase + o] += x[xBase + k]! * f[wIdx]!;
                else if (kind === 'filter') out[wIdx] += x[xBase + k]! * dy[yBase + o]!;
                else out[xBase + k] += dy[yBase + o]! * f[wIdx]!;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** Runs a call's kernel on the given values, with the SIMD convolution kernels on or off. */
function runCall(c: ConvCall, v: Record<string, Float32Array>, simd: boolean): Float32Array {
  setSimdFamilyEnabled('conv', simd);
  let out: tf.Tensor | undefined;
  try {
    // The tensor leaves tf.tidy and its values are read outside: tidy walks a returned container
    // value by value (a typed array of 600k values cost ~0.8 CPU-s per call, most of this file's time).
    out = tf.tidy(() => {
      const inputs = Object.fromEntries(Object.entries(c.shapes).map(([k, s]) => [k, tf.tensor(v[k]!, s)]));
      return tf.engine().runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor;
    });
    return out.dataSync() as Float32Array;
  } finally {
    out?.dispose();
    setSimdFamilyEnabled('conv', true);
  }
}

/** max |a − b| / max |b|: the error relative to the answer's largest magnitude. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    d = Number.isNaN(e) ? Infinity : Math.max(d, e);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? d : d / scale;
}

/** Checks one call: SIMD vs float64 and vs the previous path; returns the two errors. */
function check(c: ConvCall, label: string): { exact: number; previous: number } {
  const v = seededInputs(c, label);
  const exact = reference(c, v);
  const simd = runCall(c, v, true);
  const prev = runCall(c, v, false);
  const e = relErr(simd, exact);
  const p = relErr(simd, prev);
  const allowed = TOL + relErr(prev, exact);
  assert.ok(e <= TOL, `${label}: SIMD is ${e} from the exact answer (previous path ${relErr(prev, exact)})`);
  assert.ok(p <= allowed, `${label}: SIMD differs from the previous path by ${p} (allowed ${allowed})`);
  return { exact: e, previous: p };
}

const describeCall = (c: ConvCall): string =>
  `${c.kernel} ${Object.entries(c.shapes).map(([k, s]) => `${k}[${s}]`).join(' ')} ${JSON.stringify({ strides: c.attrs.strides, pad: c.attrs.pad, dilations: c.attrs.dilations })}${c.attrs.filterShape ? ` f[${c.attrs.filterShape}]` : ''}${c.attrs.inputShape ? ` in[${c.attrs.inputShape}]` : ''}`;

/** Odd shapes: a forward call and its two gradient calls for each case. */
function oddCalls(): ConvCall[] {
  const cases: Array<{ x: Shape4; k: [number, number]; co: number; s: [number, number]; pad: unknown; d?: [number, number]; depthwise?: boolean }> = [
    { x: [3, 5, 7, 5], k: [3, 3], co: 6, s: [2, 2], pad: 'same' },
    { x: [2, 5, 5, 1], k: [3, 3], co: 8, s: [2, 2], pad: 'same' },
    { x: [2, 6, 7, 12], k: [5, 5], co: 13, s: [2, 1], pad: 'same' },
    { x: [2, 9, 9, 4], k: [3, 3], co: 4, s: [1, 1], pad: 'valid' },
    { x: [1, 8, 6, 8], k: [1, 3], co: 12, s: [1, 2], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
    { x: [2, 1, 1, 24], k: [1, 1], co: 6, s: [1, 1], pad: 'same' },
    { x: [3, 7, 7, 3], k: [1, 1], co: 5, s: [2, 2], pad: 'same' },
    { x: [2, 9, 9, 8], k: [3, 3], co: 9, s: [1, 1], pad: 'same', d: [2, 2] },
    { x: [3, 9, 8, 5], k: [5, 5], co: 5, s: [2, 2], pad: 'same', depthwise: true },
    { x: [2, 4, 4, 13], k: [3, 3], co: 13, s: [1, 1], pad: 'valid', depthwise: true },
    { x: [2, 7, 6, 6], k: [3, 3], co: 6, s: [1, 1], pad: 'same', d: [2, 2], depthwise: true },
    { x: [1, 1, 1, 7], k: [3, 3], co: 7, s: [2, 2], pad: 'same', depthwise: true },
    { x: [2, 5, 5, 3], k: [3, 3], co: 6, s: [1, 1], pad: 'same', depthwise: true }, // multiplier 2: the previous path
  ];
  const calls: ConvCall[] = [];
  for (const t of cases) {
    const ci = t.x[3];
    const filter = t.depthwise ? [t.k[0], t.k[1], ci, t.co / ci] : [t.k[0], t.k[1], ci, t.co];
    const d = t.d ?? [1, 1];
    const g = convGeometry(t.x, filter as Shape4, t.s, d, t.pad as 'same', undefined, t.depthwise ?? false);
    const dyShape = [g.batch, g.outH, g.outW, g.outC];
    const common = { strides: t.s, pad: t.pad, dilations: d, dataFormat: 'NHWC' };
    const names = t.depthwise ? CONV_KERNELS.slice(3) : CONV_KERNELS.slice(0, 3);
    calls.push({ kernel: names[0]!, shapes: { x: t.x, filter }, attrs: common });
    // tfjs refuses dilated dense conv gradients (its op asserts dilation 1); the depthwise kernels accept them.
    if (!t.depthwise && (d[0] !== 1 || d[1] !== 1)) continue;
    calls.push({ kernel: names[1]!, shapes: { x: t.x, dy: dyShape }, attrs: { ...common, filterShape: filter } });
    calls.push({ kernel: names[2]!, shapes: { dy: dyShape, filter }, attrs: { ...common, inputShape: t.x } });
  }
  return calls;
}

describe('SIMD convolution kernels', () => {
  before(async () => {
    await selectBackend('wasm');
    setSimdFamilyEnabled('conv', true);
  });
  after(() => setSimdFamilyEnabled('conv', true));

  test('when the wasm backend is active, then the SIMD convolution kernels load, and turning their family off turns them off', () => {
    assert.ok(simdFamilyKernels(tf.backend(), 'conv') !== undefined, 'SIMD module did not load');
    setSimdFamilyEnabled('conv', false);
    assert.equal(simdFamilyKernels(tf.backend(), 'conv'), undefined);
    setSimdFamilyEnabled('conv', true);
  });

  for (const arch of ['resnet', 'mobilenetv2', 'efficientnet']) {
    test(`when ${arch} trains at 14×14 and 28×28, then every convolution kernel call is within 1e-5 of the exact answer and of the previous path`, () => {
      let count = 0;
      const worst = { exact: 0, previous: 0 };
      for (const size of [14, 28]) {
        // Distinct calls only (a block repeated with the same shapes repeats its calls).
        const calls = [...new Map(recordCalls(arch, size).map((c) => [describeCall(c), c])).values()];
        assert.ok(calls.length >= 15, `${arch} ${size}: only ${calls.length} distinct conv calls recorded`);
        const kinds = new Set(calls.map((c) => c.kernel));
        for (const k of arch === 'resnet' ? CONV_KERNELS.slice(0, 3) : CONV_KERNELS) assert.ok(kinds.has(k), `${arch} ${size}: no ${k} call`);
        for (const c of calls) {
          const r = check(c, `${arch} ${size}: ${describeCall(c)}`);
          worst.exact = Math.max(worst.exact, r.exact);
          worst.previous = Math.max(worst.previous, r.previous);
          count++;
        }
      }
      if (process.env.SIMD_TEST_VERBOSE) process.stderr.write(`${arch}: ${count} calls, worst vs exact ${worst.exact}, vs previous ${worst.previous}\n`);
    });
  }

  test('when the shapes are odd (few or odd channels, odd sizes, 1×1 to 5×5, strides 1–2, valid and explicit pads, dilation 2), then every kernel is within 1e-5 of the exact answer and of the previous path', () => {
    for (const c of oddCalls()) check(c, describeCall(c));
  });

  test('when the proxies train with the SIMD convolution kernels and without, then their losses agree to 1e-5 relative over 3 steps', () => {
    for (const arch of ['resnet', 'mobilenetv2', 'efficientnet']) {
      const losses = [true, false].map((on) => {
        setSimdFamilyEnabled('conv', on);
        try {
          const normAct = graphNormAct(zooLayer('bn-relu'));
          const model = buildModel(ModelConfigSchema.parse({ arch }), [14, 14, 1], 10, normAct.factory, Rng.fromSeed('simd-conv-train'));
          const vars = model.trainableVariables();
          const sgd = new MomentumSgd(vars, model.kernels(), { momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
          const out: number[] = [];
          const before = tf.memory().numTensors;
          for (let step = 0; step < 3; step++) {
            out.push(tf.tidy(() => {
              const x = tf.randomNormal([16, 14, 14, 1], 0, 1, 'float32', 10 + step) as tf.Tensor4D;
              const labels = tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i + step) % 10), 'int32');
              const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(x, true) as tf.Tensor2D, labels, 0.1), vars);
              sgd.apply(grads, 0.05);
              return value.dataSync()[0]!;
            }));
          }
          assert.equal(tf.memory().numTensors, before, `${arch}: tensors leaked with SIMD ${on ? 'on' : 'off'}`);
          sgd.dispose();
          model.dispose();
          return out;
        } finally {
          setSimdFamilyEnabled('conv', true);
        }
      });
      for (let i = 0; i < 3; i++) {
        const r = Math.abs(losses[0]![i]! - losses[1]![i]!) / Math.abs(losses[1]![i]!);
        assert.ok(r <= 1e-5, `${arch} step ${i}: loss ${losses[0]![i]} with SIMD convolutions, ${losses[1]![i]} without (${r})`);
      }
    }
  });
});
