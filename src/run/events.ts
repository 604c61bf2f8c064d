/**
 * The journal's events: TypeScript types and the zod schema every line is validated against.
 * Each event has a `type` and `t` (ISO time of writing). Objects are loose: fields a later
 * version adds (a worker id, `workerMs`) are kept when read, and required fields are checked.
 *
 * Timings live only in fields named `t`, `ms`, `…Ms` or `…At`, so `stripTimings` can remove
 * them when two journals are compared.
 *
 * JSON has no NaN or Infinity: JSON.stringify writes them as null. Objectives of an 'ok'
 * evaluation must be finite (the journal refuses to write anything else); an accuracy or loss
 * in the per-architecture details that was not finite is read back as NaN.
 */
import { z } from 'zod';
import type { LayerJson } from '../graph/json.js';
import { LayerJsonSchema } from '../graph/json.js';
import type { Evaluation } from '../evaluate/types.js';
import { MUTATION_KINDS, type MutationInfo } from '../search/mutate.js';

export const FINISH_REASONS = ['budget', 'time', 'interrupted', 'done'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

interface EventBase {
  /** ISO 8601 time the event was written (a timing: stripped by stripTimings). */
  readonly t: string;
}

/** A process started (or resumed) the run. */
export interface RunStartedEvent extends EventBase {
  readonly type: 'run-started';
  readonly seed: number | string;
  /** The run's id (runIdOf, src/run/run-dir.ts); absent in journals of older versions. */
  readonly runId?: string;
  /** True when this process continues an existing run. */
  readonly resumed: boolean;
  /** Names of the K objectives, when known (used by status and export). */
  readonly objectiveNames?: readonly string[];
}

/** The evolver proposed a candidate. */
export interface ProposedEvent extends EventBase {
  readonly type: 'proposed';
  readonly id: number;
  readonly batch: number;
  /** canonicalHash of the graph. */
  readonly hash: string;
  /** The graph in the expression syntax (printExpression). */
  readonly expression: string;
  /** The exact graph (graphToJson); when absent, the expression is parsed instead. */
  readonly graph?: LayerJson;
  readonly parentId: number | null;
  readonly origin: 'seed' | 'random' | 'mutation';
  readonly mutation: MutationInfo | null;
}

/** A candidate's evaluation came back (or was taken from the cache). */
export interface EvaluatedEvent extends EventBase {
  readonly type: 'evaluated';
  readonly id: number;
  /** Functional fingerprint; null when the candidate was rejected before one was computed. */
  readonly fingerprint: string | null;
  readonly hash: string;
  readonly evaluation: Evaluation;
  /** True when the result was reused from an earlier candidate with the same fingerprint. */
  readonly cached: boolean;
  /** Which worker evaluated it, when dispatched. */
  readonly worker?: string;
  /** Wall time the worker spent, in ms (a timing). */
  readonly workerMs?: number;
}

/** A batch (generation) was settled. */
export interface GenerationEvent extends EventBase {
  readonly type: 'generation';
  readonly batch: number;
  readonly proposed: number;
  readonly evaluated: number;
  readonly rejected: number;
  readonly cacheHits: number;
  /** Wall time of the batch, in ms (a timing). */
  readonly wallMs?: number;
  /** Sum of the evaluation costs the batch ran (cache hits excluded), in ms (a timing). */
  readonly busyMs?: number;
  /** wallMs × the pool's parallel slots: the evaluation time the batch could have used (a timing). */
  readonly capacityMs?: number;
}

/** A checkpoint was written, covering the first `journalEvents` events of the journal. */
export interface CheckpointEvent extends EventBase {
  readonly type: 'checkpoint';
  readonly batch: number;
  readonly journalEvents: number;
}

/** The process stopped the run. */
export interface RunFinishedEvent extends EventBase {
  readonly type: 'run-finished';
  readonly reason: FinishReason;
}

export type JournalEvent =
  | RunStartedEvent
  | ProposedEvent
  | EvaluatedEvent
  | GenerationEvent
  | CheckpointEvent
  | RunFinishedEvent;

export type JournalEventType = JournalEvent['type'];

/** An event as given to Journal.append: `t` may be left out (the journal's clock fills it). */
export type JournalEventInput = JournalEvent extends infer E ? (E extends JournalEvent ? Omit<E, 't'> & { readonly t?: string } : never) : never;

// ---- schema ----

const count = z.number().int().nonnegative();
/** A number JSON may have written as null (it was NaN or ±Infinity); read back as NaN. */
const maybeFinite = z
  .number()
  .nullable()
  .transform((v) => (v === null ? Number.NaN : v));

const REJECTION_STAGES = ['static', 'stability', 'quality', 'training', 'error', 'timeout'] as const;

const ArchResultSchema = z.looseObject({
  arch: z.string(),
  accuracy: maybeFinite.optional(),
  loss: maybeFinite.optional(),
  steps: z.number().optional(),
  ms: z.number(),
  note: z.string().optional(),
});

const StageRecordSchema = z.looseObject({
  stage: z.enum([...REJECTION_STAGES, 'proxy']),
  passed: z.boolean(),
  ms: z.number(),
  reason: z.string().optional(),
});

/** zod schema of an Evaluation (src/evaluate/types.ts) as it reads back from JSON. */
export const EvaluationSchema = z.discriminatedUnion('status', [
  z.looseObject({
    status: z.literal('ok'),
    objectives: z.array(z.number()).min(1),
    costMs: z.number(),
    archs: z.array(ArchResultSchema).optional(),
    stages: z.array(StageRecordSchema).optional(),
  }),
  z.looseObject({
    status: z.literal('rejected'),
    stage: z.enum(REJECTION_STAGES),
    reason: z.string(),
    costMs: z.number(),
    archs: z.array(ArchResultSchema).optional(),
    stages: z.array(StageRecordSchema).optional(),
  }),
]);

const MutationInfoSchema = z.looseObject({
  kind: z.enum([...MUTATION_KINDS, 'random']),
  node: z.number().int(),
  attempts: count,
  fallback: z.boolean(),
});

const t = z.iso.datetime({ offset: true });

/** zod schema of one journal line. */
export const JournalEventSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('run-started'),
    t,
    seed: z.union([z.number(), z.string()]),
    runId: z.string().min(1).optional(),
    resumed: z.boolean(),
    objectiveNames: z.array(z.string()).optional(),
  }),
  z.looseObject({
    type: z.literal('proposed'),
    t,
    id: count,
    batch: count,
    hash: z.string().min(1),
    expression: z.string().min(1),
    graph: LayerJsonSchema.optional(),
    parentId: count.nullable(),
    origin: z.enum(['seed', 'random', 'mutation']),
    mutation: MutationInfoSchema.nullable(),
  }),
  z.looseObject({
    type: z.literal('evaluated'),
    t,
    id: count,
    fingerprint: z.string().min(1).nullable(),
    hash: z.string().min(1),
    evaluation: EvaluationSchema,
    cached: z.boolean(),
    worker: z.string().optional(),
    workerMs: z.number().optional(),
  }),
  z.looseObject({
    type: z.literal('generation'),
    t,
    batch: count,
    proposed: count,
    evaluated: count,
    rejected: count,
    cacheHits: count,
    wallMs: z.number().optional(),
    busyMs: z.number().optional(),
    capacityMs: z.number().optional(),
  }),
  z.looseObject({ type: z.literal('checkpoint'), t, batch: count, journalEvents: count }),
  z.looseObject({ type: z.literal('run-finished'), t, reason: z.enum(FINISH_REASONS) }),
]);

// Compile-time guard: what the schema accepts is a JournalEvent (and an Evaluation), so the
// hand-written types above cannot drift from the schema unnoticed.
type Parsed = z.output<typeof JournalEventSchema>;
const parsedIsEvent: (e: Parsed) => JournalEvent = (e) => e;
const parsedIsEvaluation: (e: z.output<typeof EvaluationSchema>) => Evaluation = (e) => e;
void parsedIsEvent;
void parsedIsEvaluation;
