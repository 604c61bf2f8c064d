/**
 * The journal's events: one zod schema per event, the single source of truth for both the
 * TypeScript types (inferred) and the check every line passes when read. Each event has a
 * `type` and `t` (ISO time of writing). Types are exact; reading is loose: fields a later
 * version adds (a worker id, `workerMs`) are kept, and required fields are checked.
 *
 * Timings live only in fields named `t`, `ms`, `…Ms` or `…At`, so `stripTimings` can remove
 * them when two journals are compared.
 *
 * JSON has no NaN or Infinity: JSON.stringify writes them as null. Objectives of an 'ok'
 * evaluation must be finite (the journal refuses to write anything else); an accuracy or loss
 * in the per-architecture details that was not finite is read back as NaN.
 */
import { z } from 'zod';
import { LayerJsonSchema } from '../../graph/json.js';
import { EvaluationSchema, OkEvaluationSchema, RejectedEvaluationSchema } from '../../evaluate/evaluation.js';
import { MUTATION_KINDS, type MutationInfo } from '../../search/mutate.js';

export const FINISH_REASONS = ['budget', 'time', 'interrupted', 'done'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

const count = z.number().int().nonnegative();
const t = z.iso.datetime({ offset: true }).describe('ISO 8601 time the event was written (a timing: stripped by stripTimings).');

/** zod schema of an Evaluation (src/evaluate/evaluation.ts), re-exported for readers of journals. */
export { EvaluationSchema };

const MutationInfoSchema = z.object({
  kind: z.enum([...MUTATION_KINDS, 'random']).describe("The kind that produced the child, or 'random' when all attempts failed."),
  node: z.number().int().describe("Intermediate position the mutation acted on; -1 for 'random'."),
  attempts: count.describe('Attempts used, the successful one included.'),
  fallback: z.boolean().describe('True when no attempt succeeded and a random graph was returned.'),
});

/** A process started (or resumed) the run. */
export const RunStartedEventSchema = z.object({
  type: z.literal('run-started'),
  t,
  seed: z.union([z.number(), z.string()]),
  runId: z.string().min(1).optional().describe("The run's id (runIdOf, src/run/folder/run-dir.ts); absent in journals of older versions."),
  resumed: z.boolean().describe('True when this process continues an existing run.'),
  objectiveNames: z.array(z.string()).optional().describe('Names of the K objectives, when known (used by status and export).'),
  levels: z.number().int().positive().optional().describe('Promotion levels above the base protocol (search.levels); absent when the run has none.'),
});

/** The evolver proposed a candidate. */
export const ProposedEventSchema = z.object({
  type: z.literal('proposed'),
  t,
  id: count,
  batch: count,
  hash: z.string().min(1).describe('canonicalHash of the graph.'),
  expression: z.string().min(1).describe('The graph in the expression syntax (printExpression).'),
  graph: LayerJsonSchema.optional().describe('The exact graph (graphToJson); when absent, the expression is parsed instead.'),
  parentId: count.nullable(),
  origin: z.enum(['seed', 'random', 'mutation']),
  mutation: MutationInfoSchema.nullable(),
});

/** A candidate's evaluation came back (or was taken from the cache). */
export const EvaluatedEventSchema = z.object({
  type: z.literal('evaluated'),
  t,
  id: count,
  fingerprint: z.string().min(1).nullable().describe('Functional fingerprint; null when the candidate was rejected before one was computed.'),
  hash: z.string().min(1),
  evaluation: z.discriminatedUnion('status', [OkEvaluationSchema, RejectedEvaluationSchema]),
  cached: z.boolean().describe('True when the result was reused from an earlier candidate with the same fingerprint.'),
  worker: z.string().optional().describe('Which worker evaluated it, when dispatched.'),
  workerMs: z.number().optional().describe('Wall time the worker spent, in ms (a timing).'),
});

/**
 * A candidate was chosen for promotion after a settled batch, or in a closing round after the
 * candidate budget was spent (search.levels, src/search/promotion.ts, src/run/loop/search-loop.ts):
 * it is to be evaluated at `level`. A resumed run does not write it twice.
 */
export const PromotedEventSchema = z.object({
  type: z.literal('promoted'),
  t,
  id: count,
  level: z.number().int().positive().describe('The level it is promoted to (1 = the first level above the base protocol).'),
  batch: count.describe('The settled batch after which it was chosen (a closing round: the last batch).'),
  closing: z.literal(true).optional().describe('Chosen in a closing round: after the last batch of a run that spent its candidate budget. Absent: after a settled batch.'),
});

/** A promotion's evaluation came back (or was taken from the level's cache); readers take the first per id and level. */
export const PromotionEvaluatedEventSchema = z.object({
  type: z.literal('promotion-evaluated'),
  t,
  id: count,
  level: z.number().int().positive(),
  fingerprint: z.string().min(1).nullable().describe('Functional fingerprint (the cache key, with the level).'),
  hash: z.string().min(1),
  evaluation: z.discriminatedUnion('status', [OkEvaluationSchema, RejectedEvaluationSchema]),
  cached: z.boolean().describe('True when the result was reused from an earlier evaluation of the same function at this level.'),
  worker: z.string().optional().describe('Which worker evaluated it, when dispatched.'),
  workerMs: z.number().optional().describe('Wall time the worker spent, in ms (a timing).'),
});

/** A batch (generation) was settled. */
export const GenerationEventSchema = z.object({
  type: z.literal('generation'),
  t,
  batch: count,
  proposed: count,
  evaluated: count,
  rejected: count,
  cacheHits: count,
  wallMs: z.number().optional().describe('Wall time of the batch, in ms (a timing).'),
  busyMs: z.number().optional().describe('Sum of the evaluation costs the batch ran (cache hits excluded), in ms (a timing).'),
  capacityMs: z.number().optional().describe("wallMs × the pool's parallel slots: the evaluation time the batch could have used (a timing)."),
  population: z.array(count).optional().describe("Ids of the evolver's population after this settle point, oldest first (the diversity measure, src/run/replay/diversity.ts, reads it). Recorded rather than replayed because who ages out depends on the evolver's settings (a family cap). Absent in journals of older versions."),
});

/** A checkpoint was written, covering the first `journalEvents` events of the journal. */
export const CheckpointEventSchema = z.object({ type: z.literal('checkpoint'), t, batch: count, journalEvents: count });

/** The process stopped the run. */
export const RunFinishedEventSchema = z.object({ type: z.literal('run-finished'), t, reason: z.enum(FINISH_REASONS) });

export type RunStartedEvent = z.output<typeof RunStartedEventSchema>;
export type ProposedEvent = z.output<typeof ProposedEventSchema>;
export type EvaluatedEvent = z.output<typeof EvaluatedEventSchema>;
export type GenerationEvent = z.output<typeof GenerationEventSchema>;
export type CheckpointEvent = z.output<typeof CheckpointEventSchema>;
export type RunFinishedEvent = z.output<typeof RunFinishedEventSchema>;
export type PromotedEvent = z.output<typeof PromotedEventSchema>;
export type PromotionEvaluatedEvent = z.output<typeof PromotionEvaluatedEventSchema>;

export type JournalEvent =
  | RunStartedEvent
  | ProposedEvent
  | EvaluatedEvent
  | GenerationEvent
  | CheckpointEvent
  | RunFinishedEvent
  | PromotedEvent
  | PromotionEvaluatedEvent;

export type JournalEventType = JournalEvent['type'];

/** An event as given to Journal.append: `t` may be left out (the journal's clock fills it). */
export type JournalEventInput = JournalEvent extends infer E ? (E extends JournalEvent ? Omit<E, 't'> & { readonly t?: string } : never) : never;

/** zod schema of one journal line, as read: loose, so fields a later version adds are kept. */
export const JournalEventSchema = z.discriminatedUnion('type', [
  RunStartedEventSchema.loose(),
  ProposedEventSchema.loose(),
  EvaluatedEventSchema.extend({ evaluation: EvaluationSchema }).loose(),
  GenerationEventSchema.loose(),
  CheckpointEventSchema.loose(),
  RunFinishedEventSchema.loose(),
  PromotedEventSchema.loose(),
  PromotionEvaluatedEventSchema.extend({ evaluation: EvaluationSchema }).loose(),
]);

// The mutation info the evolver writes is the one the schema reads.
const mutationInfoFits: (m: MutationInfo) => z.output<typeof MutationInfoSchema> = (m) => m;
void mutationInfoFits;
