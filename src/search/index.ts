/** The search: Pareto ranking, random graphs, mutation, tournament selection, the family cap, promotion levels and the aging evolver. */
export { dominates, nonDominatedSort, paretoFront, crowdingDistance, isFinitePoint } from './pareto.js';
export type { ObjectivePoint } from './pareto.js';
export { paretoArchive, addToArchive, type ArchiveMember } from './pareto-archive.js';
export { searchSpace, argChoices, PAPER_OPS } from './space.js';
export type { SearchSpace } from './space.js';
export { randomGraph, randomNode } from './random-graph.js';
export { mutate, mutationOptions, DEFAULT_MUTATION_OPTIONS, MUTATION_KINDS } from './mutate.js';
export type { Mutation, MutationInfo, MutationKind, MutationOptions } from './mutate.js';
export { drawTournament, tournamentWinner, leveledTournamentWinner } from './selection.js';
export { dominatesAtCommonLevel, highestLevel, leveledBest, leveledFront, leveledLayers, leveledRunFront, leveledWinner, promotionChoice, promotionQuota } from './levels.js';
export type { Leveled, RunFrontMember } from './levels.js';
export { applyPromotions, choosePromotions, leveledFrontOf } from './promotion.js';
export type { LeveledCandidate, PromotionOrder, PromotionResult, PromotionSettings } from './promotion.js';
export { admit, familyCounts, familyLimit, familyOf } from './family-cap.js';
export type { SelectionRule } from './selection.js';
export { createEvolver, evolverOptions, ask, tell, front, isSettled, isAsync, EVOLVER_FORMAT } from './evolver.js';
export type { EvolverOptions, EvolverSettings, EvolverState, EvolverCounts, Schedule, Selection } from './evolver.js';
export type { Candidate, EvaluatedCandidate, EvaluationResult, Rejection } from './candidate.js';
export {
  EvolverStateSchema, EvolverOptionsSchema, EvolverCountsSchema, CandidateSchema, EvaluatedCandidateSchema, EvaluationResultSchema,
  LeveledCandidateSchema, PromotionOrderSchema, PromotionSettingsSchema, SearchSpaceSchema, MutationOptionsSchema, MutationInfoSchema,
  RejectionSchema, StateGraphSchema, SelectionSchema, ScheduleSchema,
} from './state-schema.js';
