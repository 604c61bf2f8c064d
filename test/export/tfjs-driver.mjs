// Runs generated tfjs layer modules (plain ES modules importing @tensorflow/tfjs, as a user
// would) through the parity sequence, exchanging only plain arrays with the test; used by
// tfjs-export.test.ts.
import * as tf from '@tensorflow/tfjs';

/** Outputs of inference (initial buffers), training, inference after 3 training calls; buffers. */
export async function runCases(cases) {
  await tf.setBackend('cpu');
  const results = [];
  for (const c of cases) {
    const { default: Layer } = await import(c.url);
    const layer = new Layer(c.config);
    layer.build(c.shape);
    for (const [name, values] of Object.entries(c.params)) layer[name].write(tf.tensor1d(values));
    const xs = c.xs.map((x) => tf.tensor4d(x, c.shape));
    const run = (x, training) => tf.tidy(() => Array.from(layer.apply(x, { training }).dataSync()));
    const eval0 = run(xs[3], false);
    const train = run(xs[0], true);
    run(xs[1], true);
    run(xs[2], true);
    const eval3 = run(xs[3], false);
    const buffers = {};
    for (const w of layer.weights) if (!w.trainable) buffers[w.originalName.split('/').pop()] = Array.from(w.read().dataSync());
    tf.dispose(xs);
    results.push({ eval0, train, eval3, buffers, className: Layer.className });
  }
  return results;
}

/**
 * The layer inside a tf.sequential model: trains a few SGD steps (fit, no shuffling), saves to
 * memory with model.save and loads back; returns the losses and the outputs before/after.
 */
export async function trainSaveLoad(c) {
  await tf.setBackend('cpu');
  const { default: Layer } = await import(c.url);
  const [n, ...rest] = c.shape;
  const model = tf.sequential({ layers: [new Layer({ inputShape: rest, ...c.config }), tf.layers.flatten(), tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) })] });
  model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
  const x = tf.tensor4d(c.xs[0], c.shape);
  const y = tf.tensor2d(Array.from({ length: n * 2 }, (_, i) => (i % 3) - 1), [n, 2]);
  const history = await model.fit(x, y, { epochs: 3, batchSize: n, shuffle: false, verbose: 0 });
  let artifacts;
  await model.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const before = Array.from(model.predict(x).dataSync());
  const after = Array.from(loaded.predict(x).dataSync());
  const weightNames = loaded.layers[0].weights.map((w) => w.originalName.split('/').pop());
  tf.dispose([x, y]);
  return { losses: history.history.loss, before, after, weightNames };
}
