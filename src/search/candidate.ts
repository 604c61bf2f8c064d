/**
 * The values the evolver hands out and takes back: a proposed candidate, the result of
 * evaluating it (objectives, or a rejection), and the two joined.
 */
import type { LayerGraph } from '../graph/types.js';
import type { MutationInfo } from './mutate.js';

/** Why a candidate was not scored (STYLE.md 9: failures are data). */
export interface Rejection {
  /** For people, e.g. "validation accuracy 0.11 < 0.2 on resnet". */
  readonly reason: string;
  /** Which filter rejected it, e.g. "static", "stability", "quality", "evolver". */
  readonly stage: string;
}

/** A graph proposed for evaluation. */
export interface Candidate {
  /** Sequential id within the run, from 0; also the proposal order and the birth order. */
  readonly id: number;
  readonly graph: LayerGraph;
  /** canonicalHash(graph): equal for structurally equal graphs. */
  readonly hash: string;
  /** Id of the tournament winner it was mutated from; null for seed and random graphs. */
  readonly parentId: number | null;
  /** seed: given by the caller; random: fresh random graph; mutation: child of parentId. */
  readonly origin: 'seed' | 'random' | 'mutation';
  /** What the mutation did; null unless origin is 'mutation'. */
  readonly mutation: MutationInfo | null;
  /** Index of the ask() batch that proposed it, from 0. */
  readonly batch: number;
}

/** The evaluation of one candidate, given to tell(): objectives (larger is better) or a rejection. */
export type EvaluationResult =
  /** `duplicate`: its function is already in the population (it is scored, but does not join it). */
  | { readonly id: number; readonly objectives: readonly number[]; readonly duplicate?: true }
  | { readonly id: number; readonly rejection: Rejection };

/** A candidate with its outcome: exactly one of objectives and rejection is non-null. */
export interface EvaluatedCandidate extends Candidate {
  readonly objectives: readonly number[] | null;
  readonly rejection: Rejection | null;
}
