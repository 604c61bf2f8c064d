import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeScaling, scaleSchedule } from '../../src/protocol/batch-scaling.js';

const BASE = { batchSize: 64, steps: 200, lr: 0.1, warmupSteps: 20 };

test('when the batch size shrinks, then steps grow to keep the images and the lr follows the rule', () => {
  assert.deepEqual(scaleSchedule(BASE, 4, 'linear'), { steps: 3200, lr: 0.00625, warmupSteps: 320 });
  assert.deepEqual(scaleSchedule(BASE, 16, 'sqrt'), { steps: 800, lr: 0.05, warmupSteps: 80 });
  assert.deepEqual(scaleSchedule(BASE, 128, 'none'), { steps: 100, lr: 0.1, warmupSteps: 10 });
  assert.deepEqual(scaleSchedule(BASE, 64, 'linear'), { steps: 200, lr: 0.1, warmupSteps: 20 });
  assert.match(describeScaling(BASE, [64, 4], 'linear'), /12800 training images per run at every batch size; lr scaled linearly .* batch 4: 3200 steps, lr 0\.00625/);
});
