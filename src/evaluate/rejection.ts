/**
 * Why candidates are rejected: the stage of the chain (PAPER.md §4) and a stable code per kind
 * of reason. A code is a literal (a typo does not compile); the prose reason beside it keeps the
 * real numbers ("gradient norm 3.1e+9 > 1e+8 at ascent step 12"). Reports group by code.
 */

/** Where in the chain a candidate was rejected. */
export const REJECTION_STAGES = ['static', 'stability', 'quality', 'hurdle', 'training', 'error', 'timeout'] as const;
export type RejectionStage = (typeof REJECTION_STAGES)[number];

/** Every rejection code, with the stage it belongs to and what it means. */
export const REJECTION_CODE_INFO = {
  'invalid-graph': { stage: 'static', meaning: 'the graph does not validate (arity, cycle, size, no x)' },
  'non-finite-output': { stage: 'static', meaning: 'NaN or Inf on a probe tensor' },
  'constant-output': { stage: 'static', meaning: 'the output does not depend on the input' },
  'non-finite-at-init': { stage: 'static', meaning: 'NaN or Inf at the initial parameters (v0 = 0, v1 = 1)' },
  'fingerprint-failed': { stage: 'static', meaning: 'the functional fingerprint could not be computed' },
  'gradient-not-finite': { stage: 'stability', meaning: 'the gradient norm turned NaN or Inf during the ascent' },
  'gradient-too-large': { stage: 'stability', meaning: 'the gradient norm passed the threshold during the ascent' },
  'curvature-not-finite': { stage: 'stability', meaning: 'the Hessian-vector product turned NaN or Inf' },
  'low-accuracy': { stage: 'quality', meaning: 'validation accuracy below minAccuracy after the short training' },
  'below-hurdle': { stage: 'hurdle', meaning: 'part-way through the proxy trainings, below the percentile of earlier candidates (src/evaluate/hurdles.ts)' },
  'non-finite-loss': { stage: 'training', meaning: 'the training loss turned NaN or Inf' },
  'non-finite-validation': { stage: 'training', meaning: 'the validation loss or accuracy is NaN or Inf' },
  'evaluation-failed': { stage: 'error', meaning: 'the evaluator threw' },
  'worker-failed': { stage: 'error', meaning: 'the worker crashed or the pool closed' },
  interrupted: { stage: 'error', meaning: 'Ctrl-C during the evaluation' },
  timeout: { stage: 'timeout', meaning: 'no result within dispatch.timeoutMinutes' },
} as const satisfies Record<string, { stage: RejectionStage; meaning: string }>;

export type RejectionCode = keyof typeof REJECTION_CODE_INFO;
export const REJECTION_CODES = Object.keys(REJECTION_CODE_INFO) as [RejectionCode, ...RejectionCode[]];
