/** The search: Pareto ranking, random graphs, mutation, tournament selection, the family cap and the aging evolver. */
export { dominates, nonDominatedSort, paretoFront, crowdingDistance, isFinitePoint } from './pareto.js';
export type { ObjectivePoint } from './pareto.js';
export { searchSpace, argChoices, PAPER_OPS } from './space.js';
export type { SearchSpace } from './space.js';
export { randomGraph, randomNode } from './random-graph.js';
export { mutate, mutationOptions, DEFAULT_MUTATION_OPTIONS, MUTATION_KINDS } from './mutate.js';
export type { Mutation, MutationInfo, MutationKind, MutationOptions } from './mutate.js';
export { drawTournament, tournamentWinner } from './selection.js';
export { admit, familyCounts, familyLimit, familyOf } from './family-cap.js';
export type { SelectionRule } from './selection.js';
export { createEvolver, evolverOptions, ask, tell, front, isSettled, isAsync, EVOLVER_FORMAT } from './evolver.js';
export type { EvolverOptions, EvolverSettings, EvolverState, EvolverCounts, Schedule, Selection } from './evolver.js';
export type { Candidate, EvaluatedCandidate, EvaluationResult, Rejection } from './candidate.js';
