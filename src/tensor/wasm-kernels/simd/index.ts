/**
 * SIMD WebAssembly kernels for the wasm backend (sources in wasm/simd/, AssemblyScript; built by
 * scripts/build-simd.ts). Each JS kernel that has a SIMD twin calls simdKernels(backend) and runs
 * the twin when it loaded, its own JS loops otherwise.
 */
export { SIMD_FAMILIES, SimdKernels, setSimdEnabled, setSimdFamilyEnabled, simdEnabled, simdFamilyEnabled, simdFamilyKernels, simdKernels, type SimdFamily } from './simd-module.js';
export { SIMD_WASM_SHA256 } from './module-bytes.js';
export { simdSumMiddle, SUM_MIDDLE } from './sum-middle.js';
export { channelAffine, channelAffineRows, CHANNEL_AFFINE, CHANNEL_AFFINE_ROWS } from './channel-affine.js';
export { MOMENTS_MIDDLE, MOMENTS_MIDDLE_GRAD, simdMoments, simdMomentsAvailable, simdMomentsGrad, type MiddleShape } from './moments-middle.js';
export { MAX_MIN, MAX_MIN_GRAD, simdMaxMin, simdMaxMinGrad, type MaxMinPlan } from './max-min.js';
export { SIGNED_UNARY, SIGNED_UNARY_GRAD, simdSignedUnary, type SignedUnaryOp } from './signed-unary.js';
export { RESIDUAL_JOIN, RESIDUAL_JOIN_GRAD, RESIDUAL_JOIN_IDENTITY, residualJoin, type SkipAffine } from './residual-join.js';
