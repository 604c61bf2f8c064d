/**
 * Where an exported layer's options and provenance come from: a layer JSON document (its layer
 * options, in whichever place the format version keeps them, and its provenance metadata) and a
 * run's resolved config (`evaluation.layer`). Lenient by design: a missing or odd field falls
 * back to the defaults; the documents were validated when they were written and read.
 */
import type { ExportLayerOptions } from './meta.js';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** epsilon / groups / groupSize (or group_size) / momentum of an options object, when present. */
export function pickLayerOptions(value: unknown): Partial<ExportLayerOptions> {
  if (!isObject(value)) return {};
  const out: { -readonly [K in keyof ExportLayerOptions]?: number } = {};
  const epsilon = num(value.epsilon) ?? num(value.eps);
  const groups = num(value.groups);
  const groupSize = num(value.groupSize) ?? num(value.group_size);
  const momentum = num(value.momentum);
  if (epsilon !== undefined) out.epsilon = epsilon;
  if (groups !== undefined) out.groups = groups;
  if (groupSize !== undefined) out.groupSize = groupSize;
  if (momentum !== undefined) out.momentum = momentum;
  return out;
}

/** The layer options a layer JSON document carries (version 2's `options`; none in version 1). */
export function layerOptionsOfJson(doc: unknown): Partial<ExportLayerOptions> {
  return isObject(doc) ? pickLayerOptions(doc.options) : {};
}

/** The layer options of a run's resolved config (`evaluation.layer`), when it has them. */
export function layerOptionsOfConfig(config: unknown): Partial<ExportLayerOptions> {
  if (!isObject(config) || !isObject(config.evaluation)) return {};
  return pickLayerOptions(config.evaluation.layer);
}

/** "run <run>, candidate <id>" from a layer document's provenance metadata, when present. */
export function provenanceOfJson(doc: unknown): string | undefined {
  if (!isObject(doc) || !isObject(doc.metadata) || !isObject(doc.metadata.provenance)) return undefined;
  const p = doc.metadata.provenance;
  const parts = [p.run !== undefined ? `run ${String(p.run)}` : '', p.candidateId !== undefined ? `candidate ${String(p.candidateId)}` : ''].filter(Boolean);
  const objectives = Array.isArray(doc.metadata.objectives) ? doc.metadata.objectives : undefined;
  const names = Array.isArray(doc.metadata.objectiveNames) ? doc.metadata.objectiveNames : undefined;
  if (objectives && objectives.length > 0) {
    parts.push(`objectives ${objectives.map((v, i) => `${names?.[i] !== undefined ? `${String(names[i])}=` : ''}${String(v)}`).join(', ')}`);
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The candidate id in a layer document's provenance metadata (a run's export), when present. */
export function candidateIdOfJson(doc: unknown): number | undefined {
  if (!isObject(doc) || !isObject(doc.metadata) || !isObject(doc.metadata.provenance)) return undefined;
  const id = doc.metadata.provenance.candidateId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}
