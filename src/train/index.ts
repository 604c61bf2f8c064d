/** Training of the proxy networks: loop, optimiser, schedule, loss, evaluation (PAPER.md §3–4). */
export { trainModel, startTraining, type Training, type TrainOptions, type TrainResult, type OptimizerOptions, type StepInfo } from './train.js';
export { evaluateModel, type EvalResult } from './evaluate.js';
export { lossAndGrads, gradientNorm, type LossAndGrads } from './grads.js';
export { crossEntropy } from './loss.js';
export { learningRateAt, type ScheduleOptions } from './schedule.js';
export { MomentumSgd, type SgdOptions } from './sgd.js';
export { BatchSampler, channelStats, makeBatch, type Batch, type ChannelStats } from './batches.js';
