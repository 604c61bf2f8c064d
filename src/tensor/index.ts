/** Layer graphs on tensors: the tfjs layer, the float64 interpreter, fingerprints, backends. */
export { GraphLayer } from './graph-layer.js';
export { graphNormAct, type GraphNormAct } from './norm-act.js';
export { DEFAULT_LAYER_OPTIONS, effectiveGroups, type LayerOptions } from './layer-options.js';
export { interpretGraph, type Tensor64, type InterpretOptions } from './interpret.js';
export { probeGraph, functionalFingerprint, type ProbeResult } from './fingerprint.js';
export { selectBackend } from './backend.js';
