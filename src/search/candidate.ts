/**
 * The values the evolver hands out and takes back: a proposed candidate, the result of
 * evaluating it (objectives, or a rejection), and the two joined. Their types are inferred from
 * the state's zod schema (src/search/state-schema.ts), where each field is described.
 */
export type { Candidate, EvaluatedCandidate, EvaluationResult, Rejection } from './state-schema.js';
