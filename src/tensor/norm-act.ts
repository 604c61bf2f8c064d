import type { LayerGraph } from '../graph/types.js';
import type { NormActFactory } from './norm-act-site.js';
import { GraphLayer } from './graph-layer.js';
import type { LayerOptions } from './layer-options.js';

/** A NormActFactory for a layer graph that also remembers every layer it made. */
export interface GraphNormAct {
  readonly factory: NormActFactory;
  /** The layers made so far, one per site (e.g. to freeze their moving statistics). */
  readonly layers: readonly GraphLayer[];
}

/** Turns a layer graph into the factory a proxy network calls at each norm-activation site. */
export function graphNormAct(graph: LayerGraph, options: Partial<LayerOptions> = {}): GraphNormAct {
  const layers: GraphLayer[] = [];
  const factory: NormActFactory = (channels, name) => {
    const layer = new GraphLayer(graph, channels, name, options);
    layers.push(layer);
    return layer;
  };
  return { factory, layers };
}
