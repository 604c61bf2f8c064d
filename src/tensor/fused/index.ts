/** Faster building blocks for GraphLayer on wasm/cpu: matmul reductions, custom gradients. */
export { reduceSumTo, expandTo, broadcastShape } from './reduce.js';
export { binaryOp, type BinaryOpName } from './binary.js';
export { statistic, groupStatistic, type Statistic } from './moments.js';
export { fusedLayerOf, BN_RELU_MAX_SIZE, FUSED_BACKENDS, FUSED_MAX_SIZE, type FusedLayer } from './zoo-kernels.js';
