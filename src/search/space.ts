/**
 * The search space: which ops a searched layer may use, how many intermediate nodes it may
 * have and which initial nodes its ops may read (PAPER.md §1, §3).
 */
import { EVOLVER_DEFAULTS } from './defaults.js';
import { EvonormError } from '../util/errors.js';
import { INPUT_COUNT, INPUT_INDEX, INPUT_NAMES, OPS, OP_NAMES, isInputName, isOpName, type InputName, type OpName } from '../graph/ops.js';
import type { SearchSpace } from './state-schema.js';

/**
 * The search space (its schema: src/search/state-schema.ts): `ops` a random or mutated node may
 * get (default: every op with `paper: true`, Table 1); `maxNodes`, most intermediate nodes in a
 * graph (default 10; PAPER.md §1, 14 nodes in all); `minNodes`, fewest intermediate nodes of a
 * random graph and floor for node deletion (default 1); `inputs`, the initial nodes ops may read
 * (must include `x`; default all: x, zero, one, v0, v1).
 */
export type { SearchSpace } from './state-schema.js';

/** The paper's primitives (Table 1): every op with `paper: true`. */
export const PAPER_OPS: readonly OpName[] = OP_NAMES.filter((name) => OPS[name].paper);

/**
 * A complete, checked search space from partial settings (defaults as documented on
 * SearchSpace). Throws EvonormError('BAD_CONFIG') for an empty or unknown op list, node
 * limits that are not integers with 1 ≤ minNodes ≤ maxNodes, or inputs without `x`.
 */
export function searchSpace(settings: Partial<SearchSpace> = {}): SearchSpace {
  const ops = [...new Set(settings.ops ?? PAPER_OPS)];
  const maxNodes = settings.maxNodes ?? EVOLVER_DEFAULTS.maxNodes;
  const minNodes = settings.minNodes ?? EVOLVER_DEFAULTS.minNodes;
  const inputs = [...new Set(settings.inputs ?? INPUT_NAMES)];
  const bad = (message: string): never => {
    throw new EvonormError('BAD_CONFIG', `search space: ${message}`);
  };
  if (ops.length === 0) bad('ops must not be empty');
  for (const op of ops) if (!isOpName(op)) bad(`unknown op "${String(op)}"`);
  if (!Number.isInteger(maxNodes) || maxNodes < 1) bad(`maxNodes must be an integer ≥ 1, got ${maxNodes}`);
  if (!Number.isInteger(minNodes) || minNodes < 1 || minNodes > maxNodes) {
    bad(`minNodes must be an integer in [1, maxNodes=${maxNodes}], got ${minNodes}`);
  }
  for (const input of inputs) if (!isInputName(input)) bad(`unknown input "${String(input)}"`);
  if (!inputs.includes('x')) bad('inputs must include x (a layer must depend on its input)');
  // Keep inputs in index order so the space (and every draw from it) has one canonical form.
  inputs.sort((a, b) => INPUT_INDEX[a] - INPUT_INDEX[b]);
  return { ops, maxNodes, minNodes, inputs };
}

/**
 * The node indices an op at intermediate position `position` may read: the allowed initial
 * nodes, then every earlier intermediate node (graph indices INPUT_COUNT .. INPUT_COUNT+position-1).
 */
export function argChoices(space: SearchSpace, position: number): number[] {
  const choices = space.inputs.map((name) => INPUT_INDEX[name]);
  for (let k = 0; k < position; k++) choices.push(INPUT_COUNT + k);
  return choices;
}
