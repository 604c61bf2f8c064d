/**
 * Saving and loading tfjs models to and from a folder on Node without tfjs-node: an IOHandler
 * that writes the layout tfjs-node's `file://` handler writes, so either can read the other's:
 *
 *   <dir>/model.json    topology, training config and the weights manifest
 *   <dir>/weights.bin   every weight, concatenated (the manifest gives names, shapes, dtypes)
 *
 * Why: `model.save('file://…')` needs @tensorflow/tfjs-node (libtensorflow), which cannot be
 * installed everywhere (not on the machines that test this project). `tf.io.withSaveHandler`
 * and `tf.io.fromMemory` only keep artifacts in memory; this handler puts them on disk.
 *
 *   await model.save(folderIO('models/mine'));
 *   const back = await tf.loadLayersModel(folderIO('models/mine'));
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import writeFileAtomic from 'write-file-atomic';
import { EvonormError } from '../util/errors.js';

/** File names inside a model folder. */
export const MODEL_FOLDER_FILES = { model: 'model.json', weights: 'weights.bin' } as const;

/**
 * An IOHandler for `model.save(handler)` and `tf.loadLayersModel(handler)` on the folder `dir`
 * (created on save; files replaced atomically). Loading a folder without model.json throws
 * EvonormError('MISSING_FILE'); a model.json that is not JSON, EvonormError('BAD_INPUT').
 */
export function folderIO(dir: string): tf.io.IOHandler {
  const root = resolve(dir);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new EvonormError('BAD_INPUT', 'folderIO saves layers models (JSON topology), not binary graph models');
      }
      mkdirSync(root, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const manifest: tf.io.WeightsManifestConfig = [{ paths: [MODEL_FOLDER_FILES.weights], weights: artifacts.weightSpecs ?? [] }];
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as {},
        weightsManifest: manifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig !== undefined ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.signature !== undefined ? { signature: artifacts.signature } : {}),
        ...(artifacts.userDefinedMetadata !== undefined ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(join(root, MODEL_FOLDER_FILES.weights), Buffer.from(weights));
      await writeFileAtomic(join(root, MODEL_FOLDER_FILES.model), `${JSON.stringify(modelJson)}\n`);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const path = join(root, MODEL_FOLDER_FILES.model);
      if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `no saved model in ${root} (${MODEL_FOLDER_FILES.model} not found)`, { path });
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(readFileSync(path, 'utf8')) as tf.io.ModelJSON;
      } catch (err) {
        throw new EvonormError('BAD_INPUT', `${path} is not valid JSON: ${(err as Error).message}`, { path });
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (groups) => {
        const specs = tf.io.getWeightSpecs(groups);
        const buffers = groups.flatMap((group) => group.paths.map((file) => {
          const bytes = readFileSync(join(root, file));
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        }));
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
