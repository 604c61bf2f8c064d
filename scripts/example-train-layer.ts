/**
 * Example: a found layer inside your own tfjs model. Builds a small conv net whose
 * normalization-activation layers are EvoNormLayers, trains it for a few steps on the seeded
 * synthetic task, reports validation accuracy, and optionally saves it to a folder and loads it
 * back. Everything comes from the package entry (in your code: `from 'evonorm'`).
 *
 * Usage: node --import tsx scripts/example-train-layer.ts [layer] [--steps 20] [--batch 32]
 *          [--backend auto|wasm|cpu] [--seed 0] [--out DIR]
 *   layer  a zoo name (default evonorm-s0), an expression in quotes, or a layer JSON file such
 *          as runs/<name>/export/front/1-17.json (its stored ε, groups and momentum are used)
 *   --out  save the trained model there (model.json + weights.bin), load it back and compare
 *
 * Prints one line per training step (loss), then the validation accuracy (stdout).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { EvoNormLayer, folderIO, makeSynthetic, resolveLayer, Rng, selectBackend, type BackendRequest } from '../src/index.js';

export interface ExampleOptions {
  /** Zoo name, expression or layer JSON file. Default 'evonorm-s0'. */
  readonly layer?: string;
  /** Training steps (mini-batches). Default 20. */
  readonly steps?: number;
  readonly batchSize?: number;
  readonly backend?: BackendRequest;
  readonly seed?: number;
  /** Folder to save the trained model to (and load it back from). */
  readonly out?: string;
  /** Where lines go. Default: stdout. */
  readonly print?: (line: string) => void;
}

export interface ExampleResult {
  readonly losses: number[];
  readonly accuracy: number;
  /** Largest |difference| between the trained and the reloaded model's outputs (with `out`). */
  readonly reloadDiff?: number;
}

/** Builds, trains and (optionally) saves and reloads the example model. */
export async function trainExample(options: ExampleOptions = {}): Promise<ExampleResult> {
  const { layer = 'evonorm-s0', steps = 20, batchSize = 32, backend = 'auto', seed = 0 } = options;
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  await selectBackend(backend);
  const rng = Rng.fromSeed(seed);
  const data = makeSynthetic({ rng: rng.child('data'), count: 400, size: 12, numClasses: 4 });
  const { graph, name } = resolveLayer(layer, { maxNodes: Number.MAX_SAFE_INTEGER });
  // A layer JSON file carries its options; EvoNormLayer reads them when given the file itself.
  const graphArg = layer.trim().endsWith('.json') ? layer : graph;

  // Seeded initialisers (tfjs treats seed 0 as unseeded, so draw non-zero seeds).
  const init = () => tf.initializers.heNormal({ seed: rng.tfSeed() });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 16, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init() }),
      new EvoNormLayer({ graph: graphArg }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }),
      new EvoNormLayer({ graph: graphArg }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: data.numClasses, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
  model.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const { epsilon, groups, groupSize, momentum } = (model.layers[1] as EvoNormLayer).layerOptions;
  const grouping = groupSize !== undefined ? `group size ${groupSize}` : `${groups} groups`;
  print(`layer ${name ?? layer} (ε ${epsilon}, ${grouping}, momentum ${momentum}); backend ${tf.getBackend()}; ${model.countParams()} parameters`);

  const pixels = data.height * data.width * data.channels;
  const batch = (split: typeof data.train, start: number, size: number): [tf.Tensor4D, tf.Tensor2D] => tf.tidy(() => {
    const idx = Array.from({ length: size }, (_, i) => (start + i) % split.count);
    const images = new Float32Array(size * pixels);
    idx.forEach((j, i) => images.set(split.images.subarray(j * pixels, (j + 1) * pixels), i * pixels));
    const labels = tf.tensor1d(Int32Array.from(idx, (j) => split.labels[j]), 'int32');
    return [tf.tensor4d(images, [size, data.height, data.width, data.channels]), tf.oneHot(labels, data.numClasses).toFloat() as tf.Tensor2D];
  });

  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const [x, y] = batch(data.train, step * batchSize, batchSize);
    const [loss] = (await model.trainOnBatch(x, y)) as number[];
    tf.dispose([x, y]);
    losses.push(loss);
    print(`step ${step + 1}/${steps} loss ${loss.toFixed(4)}`);
  }

  const [vx, vy] = batch(data.validation, 0, data.validation.count);
  const predicted = model.predict(vx) as tf.Tensor;
  const accuracy = tf.tidy(() => tf.mean(tf.equal(tf.argMax(predicted, 1), tf.argMax(vy, 1)).toFloat()).dataSync()[0]);
  print(`validation accuracy ${accuracy.toFixed(4)} (${data.validation.count} examples, chance ${(1 / data.numClasses).toFixed(2)})`);

  let reloadDiff: number | undefined;
  if (options.out !== undefined) {
    await model.save(folderIO(options.out));
    const loaded = await tf.loadLayersModel(folderIO(options.out));
    const again = loaded.predict(vx) as tf.Tensor;
    reloadDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(again, predicted))).dataSync()[0]);
    print(`saved to ${options.out}; reloaded: outputs differ by at most ${reloadDiff}`);
    again.dispose();
    loaded.dispose();
  }
  tf.dispose([vx, vy, predicted]);
  model.dispose();
  return { losses, accuracy, ...(reloadDiff !== undefined ? { reloadDiff } : {}) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      steps: { type: 'string', default: '20' },
      batch: { type: 'string', default: '32' },
      backend: { type: 'string', default: 'auto' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
    },
  });
  trainExample({
    layer: positionals[0],
    steps: Number(values.steps),
    batchSize: Number(values.batch),
    backend: values.backend as BackendRequest,
    seed: Number(values.seed),
    out: values.out,
  }).catch((err: unknown) => {
    process.stderr.write(`example-train-layer: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
