/**
 * Rejection stage 1 (free): the graph must be valid, its output must depend on x, be finite and
 * not constant on the probe tensors, and be finite at the parameters' initial values.
 */
import type { LayerGraph } from '../graph/types.js';
import { validateGraph } from '../graph/validate.js';
import { probeGraph, probes } from '../tensor/fingerprint.js';
import { interpretGraph } from '../tensor/interpret.js';
import type { RejectionCode } from './rejection.js';

export interface StaticVerdict {
  readonly passed: boolean;
  readonly reason?: string;
  /** Stable code of the reason, when rejected. */
  readonly code?: RejectionCode;
  /** The functional fingerprint (absent when the graph is invalid). */
  readonly fingerprint?: string;
}

/** Runs the static checks on a graph; never throws for a bad graph. */
export function staticCheck(graph: LayerGraph, options: { maxNodes?: number; groups?: number; groupSize?: number } = {}): StaticVerdict {
  const issues = validateGraph(graph, { maxNodes: options.maxNodes });
  if (issues.length > 0) return { passed: false, code: 'invalid-graph', reason: `invalid graph: ${issues.map((i) => `${i.code} ${i.message}`).join('; ')}` };
  const probe = probeGraph(graph);
  if (!probe.finite) return { passed: false, code: 'non-finite-output', reason: 'non-finite output on the probe tensors', fingerprint: probe.fingerprint };
  if (probe.constant) return { passed: false, code: 'constant-output', reason: 'constant output on the probe tensors', fingerprint: probe.fingerprint };
  // The probes use random v0/v1; at initialisation v0 = 0 and v1 = 1 (e.g. x / v0 is Inf there).
  const atInit = interpretGraph(graph, probes()[0].x, { groups: options.groups, groupSize: options.groupSize });
  if (!atInit.data.every(Number.isFinite)) return { passed: false, code: 'non-finite-at-init', reason: 'non-finite output at the initial parameters (v0 = 0, v1 = 1)', fingerprint: probe.fingerprint };
  return { passed: true, fingerprint: probe.fingerprint };
}
