/**
 * The zod schema of the evolver state (src/search/evolver.ts) and of its parts, and the types
 * inferred from them: the one description of what a saved state holds (issue 19 §2, STYLE.md 2).
 * A checkpoint's state is parsed with EvolverStateSchema (src/run/replay/evolver-check.ts) before
 * a resume trusts it; the evolver itself builds its values with these types.
 *
 * Objects are strict: the evolver writes every one of them itself, so a field it does not know
 * is a damaged or foreign state. The generator's saved state (`rng.alea`) is open: its fields are
 * the generator library's. No field has a default: parsing must not change what a checkpoint
 * says (a resumed run writes the state it was given, byte for byte). Settings and their defaults
 * stay in evolverOptions / searchSpace / mutationOptions, which check ranges and relations.
 */
import { z } from 'zod';
import { POST_AFFINE_ACTIVATIONS } from '../graph/activations.js';
import { INPUT_NAMES, OP_NAMES } from '../graph/ops.js';
import type { DeepReadonly } from '../util/deep-readonly.js';
import { RngStateSchema } from '../util/rng.js';
import { MUTATION_KINDS } from './mutate.js';

export const EVOLVER_FORMAT = 'evonorm.evolver/1';

/** A count or id: an integer ≥ 0. */
const count = z.number().int().nonnegative();
/** A promotion level above the base protocol: an integer ≥ 1. */
const level = z.number().int().positive();

/** A layer graph as the state holds it (src/graph/types.ts LayerGraph); soundness is validateGraph's. */
export const StateGraphSchema = z.strictObject({
  /** The intermediate nodes: an op applied to earlier node indices. */
  nodes: z.array(z.strictObject({ op: z.enum(OP_NAMES), args: z.array(z.number().int().nonnegative()) })),
  /** Index of the node the layer computes. */
  output: count,
  /** Activation after the affine; absent for searched layers. */
  activation: z.enum(POST_AFFINE_ACTIVATIONS).optional(),
});

/** Why a candidate was not scored (STYLE.md 9: failures are data). */
export const RejectionSchema = z.strictObject({
  /** For people, e.g. "validation accuracy 0.11 < 0.2 on resnet". */
  reason: z.string(),
  /** Which filter rejected it, e.g. "static", "stability", "quality", "evolver". */
  stage: z.string(),
});
export type Rejection = DeepReadonly<z.output<typeof RejectionSchema>>;

/** What a mutation did, kept with the child for the journal (src/search/mutate.ts). */
export const MutationInfoSchema = z.strictObject({
  /** The kind that produced the child, or 'random' when all attempts failed. */
  kind: z.enum([...MUTATION_KINDS, 'random']),
  /** Intermediate position the mutation acted on (for insert: the new node's position); -1 for 'random'. */
  node: z.number().int().min(-1),
  /** Attempts used, the successful one included (maxAttempts for a fallback). */
  attempts: count,
  /** True when no attempt produced a valid, structurally new graph and a random graph was returned. */
  fallback: z.boolean(),
});
export type MutationInfo = DeepReadonly<z.output<typeof MutationInfoSchema>>;

/** A graph proposed for evaluation. */
export const CandidateSchema = z.strictObject({
  /** Sequential id within the run, from 0; also the proposal order and the birth order. */
  id: count,
  graph: StateGraphSchema,
  /** canonicalHash(graph): equal for structurally equal graphs. */
  hash: z.string().min(1),
  /** Id of the tournament winner it was mutated from; null for seed and random graphs. */
  parentId: count.nullable(),
  /** seed: given by the caller; random: fresh random graph; mutation: child of parentId. */
  origin: z.enum(['seed', 'random', 'mutation']),
  /** What the mutation did; null unless origin is 'mutation'. */
  mutation: MutationInfoSchema.nullable(),
  /** Index of the ask() batch that proposed it, from 0. */
  batch: count,
});
export type Candidate = DeepReadonly<z.output<typeof CandidateSchema>>;

/** A candidate with its outcome: exactly one of objectives and rejection is non-null. */
export const EvaluatedCandidateSchema = CandidateSchema.extend({
  /** Its K objectives (larger is better); null when rejected. */
  objectives: z.array(z.number()).nullable(),
  rejection: RejectionSchema.nullable(),
});
export type EvaluatedCandidate = DeepReadonly<z.output<typeof EvaluatedCandidateSchema>>;

/** The evaluation of one candidate, given to tell(): objectives (larger is better) or a rejection. */
export const EvaluationResultSchema = z.union([
  // duplicate: its function is already in the population (scored, but it does not join it; search.diversity.uniqueFunctions).
  z.strictObject({ id: count, objectives: z.array(z.number()), duplicate: z.literal(true).optional() }),
  z.strictObject({ id: count, rejection: RejectionSchema }),
]);
export type EvaluationResult = DeepReadonly<z.output<typeof EvaluationResultSchema>>;

/** A candidate measured above level 0 (or rejected there). */
export const LeveledCandidateSchema = EvaluatedCandidateSchema.extend({
  /** Its scores per level it passed: `[0]` its objectives, `[ℓ]` the K objectives at level ℓ. */
  levels: z.array(z.array(z.number())).min(1),
  /** The level whose evaluation rejected it, and why; null while it climbs. */
  failed: z.strictObject({ level, rejection: RejectionSchema }).nullable(),
});
export type LeveledCandidate = DeepReadonly<z.output<typeof LeveledCandidateSchema>>;

/** An open promotion: `candidate` (as scored at level 0) is to be evaluated at `level`. */
export const PromotionOrderSchema = z.strictObject({
  id: count,
  level,
  candidate: EvaluatedCandidateSchema,
});
export type PromotionOrder = DeepReadonly<z.output<typeof PromotionOrderSchema>>;

/** Promotion settings (part of the evolver options; absent when the run has no levels). */
export const PromotionSettingsSchema = z.strictObject({
  /** L: levels above the base protocol (the top level is L). */
  levels: level,
  /** k: most candidates promoted after each settled batch. */
  perBatch: z.number().int().positive(),
  /**
   * Candidate ids of reference layers (seeds: the i-th seed layer has id i) promoted one level per
   * round while any candidate is above them, beyond k (src/search/promotion.ts). Absent = none.
   */
  references: z.array(count).optional(),
  /**
   * Where rung ℓ's front is taken from: 'front' (absent) = the hall of fame (the level-0 front of
   * every candidate so far) and every promoted candidate; 'population' = the current population
   * only, so the rung refreshes as members age out (src/search/promotion.ts).
   */
  pool: z.literal('population').optional(),
  /**
   * η ≥ 1: a level holds at most ⌊1/η⌋ of the candidates evaluated at the level below (ASHA's
   * reduction factor; src/search/levels.ts promotionQuota). Absent = no such limit.
   */
  reduction: z.number().min(1).optional(),
});
export type PromotionSettings = DeepReadonly<z.output<typeof PromotionSettingsSchema>>;

/** The search space (src/search/space.ts; defaults there). */
export const SearchSpaceSchema = z.strictObject({
  /** Ops a random or mutated node may get. */
  ops: z.array(z.enum(OP_NAMES)).min(1),
  /** Most intermediate nodes in a graph. */
  maxNodes: z.number().int().positive(),
  /** Fewest intermediate nodes of a random graph (and floor for node deletion). */
  minNodes: z.number().int().positive(),
  /** Initial nodes that ops may read; includes `x`. */
  inputs: z.array(z.enum(INPUT_NAMES)).min(1),
});
export type SearchSpace = DeepReadonly<z.output<typeof SearchSpaceSchema>>;

/** Mutation options (src/search/mutate.ts; defaults and meanings there). */
export const MutationOptionsSchema = z.strictObject({
  /** Tries before falling back to a fresh random graph. */
  maxAttempts: z.number().int().positive(),
  /** Relative weight of each mutation kind; 0 switches a kind off. */
  weights: z.strictObject(Object.fromEntries(MUTATION_KINDS.map((kind) => [kind, z.number().nonnegative()])) as Record<(typeof MUTATION_KINDS)[number], z.ZodNumber>),
  /** Chance, per child, that one of its dead nodes is also re-drawn at random; in [0, 1]. */
  drift: z.number().min(0).max(1),
});
export type MutationOptions = DeepReadonly<z.output<typeof MutationOptionsSchema>>;

/** How parents are chosen: the paper's Pareto tournament, a scalarised mean, or none at all. */
export const SelectionSchema = z.enum(['pareto', 'average', 'random']);
export type Selection = z.output<typeof SelectionSchema>;

/**
 * 'batch' (default): ask() only from a settled population; a batch is applied in id order once
 * every result is in, so the run does not depend on finishing order. 'async': ask() may run
 * while results are outstanding, and each result is applied the moment tell() gets it (steady
 * state, as in the paper's many-worker setting): workers never wait for a batch's slowest
 * candidate, but the run depends on the order results arrive in.
 */
export const ScheduleSchema = z.enum(['batch', 'async']);
export type Schedule = z.output<typeof ScheduleSchema>;

/** Complete evolver settings (all fields resolved by evolverOptions; part of the saved state). */
export const EvolverOptionsSchema = z.strictObject({
  /** P: members kept; the oldest leaves beyond it. Default 100 (recalled from Real et al.; the paper does not say). */
  populationSize: z.number().int().positive(),
  /** T: members per tournament (capped by the population). Default 25. */
  tournamentSize: z.number().int().positive(),
  /** When set, T = max(1, round(fraction · population size)) instead of tournamentSize. Default null. */
  tournamentFraction: z.number().positive().max(1).nullable(),
  /** 'pareto' (default, PAPER.md §3), 'average' (mean of the objectives) or 'random' (random search). */
  selection: SelectionSchema,
  /** Rejected candidates join the population (and lose every tournament against a scored one). Default true. */
  rejectedJoinPopulation: z.boolean(),
  /** While the population is below P and not empty, children of its members fill it instead of random graphs. Absent = false. */
  fillByMutation: z.literal(true).optional(),
  /** K, the number of objectives; null = taken from the first scored result. Default null. */
  numObjectives: z.number().int().positive().nullable(),
  space: SearchSpaceSchema,
  mutation: MutationOptionsSchema,
  /** 'batch' (default) or 'async'; absent in states saved before it existed (= 'batch'). */
  schedule: ScheduleSchema.optional(),
  /**
   * Most of the population one structural family may hold, as a fraction of P in (0, 1]: at most
   * max(1, ⌊familyCap · P⌋) members (src/search/family-cap.ts). null = no cap (default); absent in
   * states saved before it existed (= null).
   */
  familyCap: z.number().positive().max(1).nullable().optional(),
  /**
   * Promotion levels above the base protocol and how many candidates climb after each settled
   * batch (src/search/promotion.ts); absent when the run has none (the default, and states saved
   * before they existed).
   */
  promotion: PromotionSettingsSchema.optional(),
});
export type EvolverOptions = DeepReadonly<z.output<typeof EvolverOptionsSchema>>;

/** Running totals, for reports and journals. */
export const EvolverCountsSchema = z.strictObject({
  proposed: count,
  scored: count,
  rejected: count,
  /** Mutations that exhausted their attempts and fell back to a random graph. */
  mutationFallbacks: count,
});
export type EvolverCounts = DeepReadonly<z.output<typeof EvolverCountsSchema>>;

/** Everything the evolver knows; plain data, JSON round-trips exactly. Treat as immutable. */
export const EvolverStateSchema = z.strictObject({
  format: z.literal(EVOLVER_FORMAT),
  options: EvolverOptionsSchema,
  /** The generator's saved state (src/util/rng.ts); restored at every call. */
  rng: RngStateSchema,
  /** Id of the next candidate. */
  nextId: count,
  /** Number of ask() batches so far. */
  batches: count,
  /** K once known (from options or the first scored result). */
  numObjectives: z.number().int().positive().nullable(),
  /** Caller's seed graphs not yet proposed, in order. */
  seeds: z.array(StateGraphSchema),
  /** The population, oldest first. */
  population: z.array(EvaluatedCandidateSchema),
  /**
   * Proposed and not yet applied: the open batch ('batch' schedule), or every candidate still
   * out for evaluation ('async'); empty when settled.
   */
  pending: z.array(CandidateSchema),
  /** Results received so far for the open batch, in arrival order (always empty for 'async'). */
  received: z.array(EvaluationResultSchema),
  /** Pareto front of every scored candidate so far (one per canonical hash, the earliest), by id. */
  hallOfFame: z.array(EvaluatedCandidateSchema),
  counts: EvolverCountsSchema,
  /** With promotion levels only: every candidate measured above level 0 (or rejected there), by id. */
  leveled: z.array(LeveledCandidateSchema).optional(),
  /** With promotion levels only: the open round of promotions (src/search/promotion.ts), by id. */
  promoting: z.array(PromotionOrderSchema).optional(),
  /** With reference layers only: each reference as scored at level 0 (kept after it ages out), by id. */
  references: z.array(EvaluatedCandidateSchema).optional(),
});
export type EvolverState = DeepReadonly<z.output<typeof EvolverStateSchema>>;
