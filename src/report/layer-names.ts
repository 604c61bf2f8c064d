/**
 * Names for candidates people know: a zoo layer (src/graph/zoo.ts) when the candidate's
 * structure is that layer's, and "seed" for layers the config proposed first.
 */
import { canonicalHash } from '../graph/canonical.js';
import { ZOO, zooLayer } from '../graph/zoo.js';

let zooByHash: Map<string, string> | undefined;

/** The zoo name of the layer with this canonical hash, if it is one. */
export function zooNameOfHash(hash: string): string | undefined {
  if (zooByHash === undefined) {
    zooByHash = new Map();
    for (const name of Object.keys(ZOO)) {
      try {
        zooByHash.set(canonicalHash(zooLayer(name)), name);
      } catch {
        // a zoo entry that does not build is the zoo's test's business, not the report's
      }
    }
  }
  return zooByHash.get(hash);
}
