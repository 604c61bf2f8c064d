/**
 * Layer graphs on tensors: GraphLayer, the tfjs layer class EvoNormLayer (registered with
 * tf.serialization on import) and folder save/load for models, the float64 interpreter,
 * fingerprints, backends.
 */
export { GraphLayer, type VariableFactory } from './graph-layer.js';
export { EvoNormLayer, type EvoNormLayerArgs, type BaseLayerArgs } from './evonorm-layer.js';
export { folderIO, MODEL_FOLDER_FILES } from './folder-io.js';
export { graphNormAct, type GraphNormAct } from './norm-act.js';
export { DEFAULT_LAYER_OPTIONS, effectiveGroups, type LayerOptions } from './layer-options.js';
export { interpretGraph, type Tensor64, type InterpretOptions } from './interpret.js';
export { probeGraph, functionalFingerprint, type ProbeResult } from './fingerprint.js';
export { selectBackend, type BackendRequest, type BackendChoice } from './backend.js';
export { BACKEND_DESCRIPTORS, BACKEND_NAMES, BACKENDS, type BackendDescriptor, type BackendName } from './backends.js';
