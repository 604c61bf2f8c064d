/** Data sets from Debian packages: tests skip without them, except in CI (CI=true), where they fail. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { FASHION_MNIST } from '../../src/data/idx-datasets.js';

/** True when running in CI, where a missing data set must fail, not skip. */
const IN_CI = process.env.CI === 'true';

/** The Fashion-MNIST folder (Debian's dataset-fashion-mnist), or undefined after skipping `t`. */
export function fashionMnistDir(t: TestContext): string | undefined {
  const dir = FASHION_MNIST.defaultDir();
  if (existsSync(join(dir, 'train-images-idx3-ubyte.gz'))) return dir;
  const message = `Fashion-MNIST not found in ${dir} (sudo apt-get install dataset-fashion-mnist)`;
  if (IN_CI) assert.fail(message);
  t.skip(message);
  return undefined;
}
