/**
 * The config of `evonorm search`: seed, objective (proxy trainings or the fast objective),
 * evaluation, evolver and dispatch settings. The zod schema is the single source of truth
 * (STYLE.md 2); a config file may carry comments (JSONC).
 */
import { z } from 'zod';
import { AGGREGATIONS, ELEMENTWISE_BINARY, ELEMENTWISE_UNARY, INPUT_NAMES } from '../graph/ops.js';
import { ProxyConfigSchema } from '../evaluate/config.js';
import { EVOLVER_DEFAULTS } from '../search/defaults.js';
import { DEFAULT_MUTATION_OPTIONS } from '../search/mutate.js';
import { ScheduleSchema, SelectionSchema } from '../search/state-schema.js';
import { resolveLayer } from '../graph/index.js';
import { MAX_WORKERS, queueNameProblem } from './limits.js';

export { MAX_WORKERS, queueNameProblem };
import { isEvonormError } from '../util/errors.js';
import { LevelOverrideSchema, levelProblems } from './promotion-levels.js';

const OpNameSchema = z.enum([...ELEMENTWISE_BINARY, ...ELEMENTWISE_UNARY, ...AGGREGATIONS]);

export const FastObjectiveSchema = z.strictObject({
  target: z.string().default('evonorm-s0').describe('Zoo name or expression whose function candidates are scored against. Default "evonorm-s0".'),
  objectives: z.number().int().min(1).max(8).default(2).describe('K: number of probe families, one objective each. Default 2.'),
});

export const SearchSchema = z.strictObject({
  populationSize: z.number().int().min(2).default(EVOLVER_DEFAULTS.populationSize).describe(`Population size P (aging evolution). Default ${EVOLVER_DEFAULTS.populationSize}.`),
  tournamentSize: z.number().int().min(1).default(EVOLVER_DEFAULTS.tournamentSize).describe(`Tournament size T (members drawn uniformly). Default ${EVOLVER_DEFAULTS.tournamentSize}.`),
  tournamentFraction: z.number().gt(0).max(1).nullable().default(null).describe('Tournament size as a fraction of P; overrides tournamentSize. Default null.'),
  selection: SelectionSchema.default('pareto').describe('pareto: winner uniform on the tournament\'s Pareto front (the paper); average: best mean objective; random: random search baseline. Default "pareto".'),
  schedule: ScheduleSchema.default('batch').describe('"batch": children proposed in batches from a settled population, the same run whatever the number of workers; "async": a child whenever a worker is free (workers never wait for a batch\'s slowest candidate; the run then depends on finishing order). Default "batch".'),
  batchSize: z.number().int().min(1).default(8).describe('Children proposed per generation from a settled population; fixes the run whatever the number of workers. Default 8.'),
  maxCandidates: z.number().int().min(1).default(200).describe('Budget: candidates proposed (cache hits included). Default 200.'),
  maxMinutes: z.number().positive().nullable().default(null).describe('Budget: wall-clock minutes; the run stops at a generation boundary after this. Default null (none).'),
  seedLayers: z.array(z.string()).default([]).describe('Zoo names or expressions proposed first, in the initial population. Default [].'),
  rejectedJoinPopulation: z.boolean().default(EVOLVER_DEFAULTS.rejectedJoinPopulation).describe('Rejected candidates still age through the population: they lose every tournament that has a scored member, and a tournament of rejected members only picks one of them at random. Set it false when most children are rejected (configs/discovery.json: at 84% rejected, a population of 48 kept 4 scored members and the search drifted into rejected 1-op graphs). Default true.'),
  fillByMutation: z.boolean().default(false).describe('While the population is below populationSize, propose children of its members (tournament and mutation, from the seed layers on) instead of random graphs. Where most random graphs are rejected, filling P with random graphs is a long random search: with only scored, distinct functions joining, a start of discovery-2 had 9 members after 580 proposals. Default false (the population is filled with random graphs first).'),
  diversity: z.strictObject({
    familyCap: z.number().gt(0).max(1).nullable().default(null).describe('Most of the population one structural family (src/graph/family.ts, e.g. tanh∘div) may hold, as a fraction of populationSize in (0, 1]: at most max(1, ⌊familyCap · P⌋) members. A child that would push its family over it makes the oldest member of its family leave instead of the oldest overall; selection is unchanged. Default null (no cap: plain aging).'),
    uniqueFunctions: z.boolean().default(false).describe('A scored child whose function (its fingerprint) is already in the population does not join it. The fingerprint cache gives such a child the same scores as the member it repeats, so joining only adds a clone: a start of discovery-2 had 36 members holding 11 distinct functions after 1,100 proposals. Default false (children join as in plain aging).'),
  }).prefault({}).describe('Keeping the population diverse (issue 17). Default: off.'),
  levels: z.array(LevelOverrideSchema).default([]).describe('Promotion levels above the base protocol (level 0 = the `evaluation` section), cheapest first (issue 17; src/search/levels.ts). Each is a partial evaluation config merged over `evaluation` (objects key by key, arrays and values replaced; every level over the base, not over the level below), e.g. [{"seeds": 3}, {"seeds": 3, "training": {"steps": 900}}]. After each settled batch, the candidates on the Pareto front of their level that were not promoted yet (at most promotionsPerBatch) are evaluated at the next level on the same pool; selection and the front then compare two candidates at the highest level both were measured at. A level repeats its whole rejection chain (switch off what need not run again, e.g. {"rejection": {"stability": {"enabled": false}}}), may not set backend, keeps the K architectures, and must differ from the base and the levels below. Needs objective "proxy", schedule "batch" and selection "pareto" or "random". Default [] (no levels: one score per candidate).'),
  referenceLayers: z.array(z.string()).default([]).describe('Seed layers (each must be in seedLayers, e.g. ["bn-relu"]) that climb the promotion levels with the leaders: whenever a candidate has reached (or is ordered to) a level above a reference, the reference is promoted one level in the same round, beyond promotionsPerBatch. Promotions otherwise reach front members only, so without it BN-ReLU is often measured at level 0 alone and no level above can say whether a new layer beats it (status and the report then compare with the best seed measured there). Costs one evaluation per reference per level. Used only with levels. Default [] (none).'),
  promotionPool: z.enum(['front', 'population']).default('front').describe('Which candidates a rung\'s Pareto front is taken from when choosing promotions. "front": every candidate so far (the level-0 front of the whole run, and every promoted candidate): a newcomer must beat the best cheap scores ever seen, so promotions dry up as the run grows (discovery-2: 29 promotions among its first 500 candidates, none in the next 670). "population": the current population only (each member with the levels it reached), so the rung refreshes as members age out and promotions go on all run long, at most promotionsPerBatch a batch. Used only with levels. Default "front".'),
  promotionReduction: z.number().min(1).max(1000).nullable().default(null).describe('η, the reduction factor of successive halving and ASHA (Li et al. 2020): a level may hold at most ⌊1/η⌋ of the candidates evaluated at the level below (level 0: every scored candidate), counted over the whole run, e.g. 3: one level-1 evaluation per 3 scored candidates and one level-2 per 3 level-1. A rung whose share is used up promotes nobody until the level below grows. It bounds the promotions\' cost where they would otherwise follow nearly every batch (promotionPool "population": discovery-4 made 9 level-2 evaluations, ~4.5 CPU-min each, in its first 47 scored candidates). The reference layers are not counted above level 0. Used only with levels. Default null (no limit but promotionsPerBatch).'),
  promotionsPerBatch: z.number().int().min(1).max(1000).default(2).describe('k: most candidates promoted to their next level after each settled batch (highest level first, then oldest). Used only with levels. Default 2.'),
  space: z.strictObject({
    ops: z.array(OpNameSchema).min(1).optional().describe('Ops a node may get; default the paper\'s Table 1.'),
    maxNodes: z.number().int().min(1).max(50).default(EVOLVER_DEFAULTS.maxNodes).describe(`Most intermediate nodes. Default ${EVOLVER_DEFAULTS.maxNodes}.`),
    minNodes: z.number().int().min(1).default(EVOLVER_DEFAULTS.minNodes).describe(`Fewest intermediate nodes of a random graph. Default ${EVOLVER_DEFAULTS.minNodes}.`),
    inputs: z.array(z.enum(INPUT_NAMES)).min(1).optional().describe('Initial nodes ops may read (must include x); default all.'),
  }).prefault({}),
  mutation: z.strictObject({
    maxAttempts: z.number().int().min(1).default(DEFAULT_MUTATION_OPTIONS.maxAttempts).describe(`Tries before a mutation falls back to a random graph. Default ${DEFAULT_MUTATION_OPTIONS.maxAttempts}.`),
    weights: z.strictObject({
      op: z.number().min(0).optional(), args: z.number().min(0).optional(), both: z.number().min(0).optional(),
      insert: z.number().min(0).optional(), delete: z.number().min(0).optional(), wrap: z.number().min(0).optional(),
    }).prefault({}).describe(`Relative weights of mutation kinds (0 = off). Defaults: ${Object.entries(DEFAULT_MUTATION_OPTIONS.weights).map(([kind, w]) => `${kind} ${w}`).join(', ')} (wrap: a read of a value v becomes f(v, r)).`),
    drift: z.number().min(0).max(1).default(DEFAULT_MUTATION_OPTIONS.drift).describe(`Chance per child that one dead node is also re-drawn at random (hidden variation that args and wrap mutations can wire in). Default ${DEFAULT_MUTATION_OPTIONS.drift}.`),
  }).prefault({}),
}).superRefine((search, ctx) => {
  if (search.tournamentFraction === null && search.tournamentSize > search.populationSize) {
    ctx.addIssue({ code: 'custom', path: ['tournamentSize'], message: `tournamentSize ${search.tournamentSize} is larger than populationSize ${search.populationSize}` });
  }
  search.seedLayers.forEach((spec, i) => {
    const problem = layerProblem(spec, search.space.maxNodes);
    if (problem) ctx.addIssue({ code: 'custom', path: ['seedLayers', i], message: `seed layer "${spec}" is not a layer: ${problem}` });
  });
  if (search.space.minNodes > search.space.maxNodes) {
    ctx.addIssue({ code: 'custom', path: ['space', 'minNodes'], message: `minNodes ${search.space.minNodes} is larger than maxNodes ${search.space.maxNodes}` });
  }
  const weights = { ...DEFAULT_MUTATION_OPTIONS.weights, ...search.mutation.weights };
  if (Object.values(weights).every((w) => w === 0)) {
    ctx.addIssue({ code: 'custom', path: ['mutation', 'weights'], message: 'every mutation weight is 0 (with the defaults op 1, args 1, both 1 filled in): no child could ever be mutated' });
  }
  search.referenceLayers.forEach((name, i) => {
    if (!search.seedLayers.includes(name)) ctx.addIssue({ code: 'custom', path: ['referenceLayers', i], message: `reference layer "${name}" is not one of seedLayers (${search.seedLayers.join(', ') || 'none'}): a reference climbs the levels from its level-0 score as a seed` });
  });
  if (search.referenceLayers.length > 0 && search.levels.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['referenceLayers'], message: 'referenceLayers need promotion levels (search.levels): a reference is promoted alongside the leaders' });
  }
  if (search.levels.length > 0 && search.schedule !== 'batch') {
    ctx.addIssue({ code: 'custom', path: ['levels'], message: 'promotion levels need schedule "batch" (promotions are applied at settled batches, so a resumed run ends as an uninterrupted one)' });
  }
  if (search.levels.length > 0 && search.selection === 'average') {
    ctx.addIssue({ code: 'custom', path: ['levels'], message: 'promotion levels need selection "pareto" (or "random"): the rule that compares candidates of different levels is a Pareto rule (src/search/levels.ts)' });
  }
});

/** Why `spec` (a zoo name, an expression or a layer file) is not a layer of at most `maxNodes` nodes; undefined when it is. */
function layerProblem(spec: string, maxNodes: number): string | undefined {
  try {
    resolveLayer(spec, { maxNodes });
    return undefined;
  } catch (err) {
    if (!isEvonormError(err)) throw err;
    return err.message;
  }
}

export const DispatchSchema = z.strictObject({
  mode: z.enum(['inline', 'threads', 'redis']).default('threads').describe('Where candidates are evaluated: this thread, worker threads, or `evonorm worker` processes on any machines through Redis (BullMQ). Default "threads".'),
  workers: z.union([z.number().int().min(1).max(MAX_WORKERS), z.literal('auto')]).default('auto').describe('Worker threads (at most 256; fewer start, with a warning, when the cores or the free memory cannot hold them: src/dispatch/worker-cap.ts); "auto" = one per core. For "redis": evaluations kept in flight (about the number of remote workers; "auto" = 1 per local core). Default "auto".'),
  redis: z.strictObject({
    url: z.string().default('redis://localhost:6379').describe('The Redis server workers listen to. Default "redis://localhost:6379".'),
    queue: z.string().refine((q) => queueNameProblem(q) === undefined, { error: (issue) => queueNameProblem(String(issue.input)) ?? 'bad queue name' })
      .default('evonorm').describe('BullMQ queue name (`evonorm worker --queue`): not empty, no ":" (BullMQ\'s rules). Default "evonorm".'),
    stalledIntervalSeconds: z.number().positive().max(3600).default(10).describe('Seconds between two checks of the search on its jobs. (1) A job missing from Redis (lost when Redis restarts without persistence) is enqueued again; this also runs at once after a reconnect. (2) BullMQ\'s stalled check (stalledInterval), run by the search, not the workers: a running job whose lock expired — its worker died; a live worker renews the lock, `evonorm worker --lock-seconds`, default 30 — goes back to the queue. A dead worker\'s job is queued again within the lock time plus one interval (defaults: 15–40 s after the death). Default 10.'),
    maxStalledCount: z.number().int().min(0).max(100).default(2).describe('Times a job may go back to the queue because its worker died (BullMQ maxStalledCount); one more and it is a rejection at stage "error" (a candidate that kills its workers). Default 2.'),
  }).prefault({}),
  timeoutMinutes: z.number().positive().nullable().default(null).describe('Per-candidate time limit (a time-out is a rejection). Default null.'),
});

/** What both kinds of run have. */
const runCommon = {
  name: z.string().regex(/^[\w.-]+$/).max(200).optional().describe('Run folder name under runs/; default <config name>-<date-time>.'),
  seed: z.union([z.number().int(), z.string()]).default(0).describe('The run seed: same seed → same run. Default 0.'),
  search: SearchSchema.prefault({}),
  dispatch: DispatchSchema.prefault({}),
};

/** A run scored by the rejection chain and proxy trainings (PAPER.md §3–4). */
export const ProxyRunConfigSchema = z.strictObject({
  objective: z.literal('proxy').describe('proxy: rejection chain + proxy trainings (the default).'),
  ...runCommon,
  evaluation: ProxyConfigSchema.describe('Proxy evaluation settings (required).'),
  // Present in the type as never-set, so code can read config.fast before narrowing; a value is refused.
  fast: z.undefined({ error: 'objective "proxy" takes no "fast" section (it belongs to objective "fast")' }).optional(),
}).superRefine((config, ctx) => {
  // Each promotion level, merged over the evaluation section, must be a valid evaluation of its own.
  for (const problem of levelProblems(config.evaluation, config.search.levels)) {
    ctx.addIssue({ code: 'custom', path: ['search', 'levels', problem.level - 1, ...problem.path], message: problem.message });
  }
});

/** A training-free run scored by function match to a target layer (tests, benchmarks). */
export const FastRunConfigSchema = z.strictObject({
  objective: z.literal('fast').describe('fast: function match to a target layer (no training; tests, benchmarks).'),
  ...runCommon,
  fast: FastObjectiveSchema.prefault({}),
  evaluation: z.undefined({ error: 'objective "fast" takes no "evaluation" section (it trains nothing)' }).optional(),
}).superRefine((config, ctx) => {
  // The fast objective resolves its target with at least 10 nodes (src/evaluate/fast-objective.ts).
  const problem = layerProblem(config.fast.target, Math.max(config.search.space.maxNodes, 10));
  if (problem) ctx.addIssue({ code: 'custom', path: ['fast', 'target'], message: `target "${config.fast.target}" is not a layer: ${problem}` });
  if (config.search.levels.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['search', 'levels'], message: 'objective "fast" has no promotion levels: a level is a partial evaluation config, and a fast run trains nothing' });
  }
});

/**
 * The run config: a union discriminated on `objective` ("proxy" when absent), so a proxy run
 * always has its `evaluation` section and a fast run its `fast` section, and neither carries
 * the other's.
 */
export const RunConfigSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) && (value as { objective?: unknown }).objective === undefined ? { ...value, objective: 'proxy' } : value),
  z.discriminatedUnion('objective', [ProxyRunConfigSchema, FastRunConfigSchema]),
);

export type ProxyRunConfig = z.infer<typeof ProxyRunConfigSchema>;
export type FastRunConfig = z.infer<typeof FastRunConfigSchema>;
export type RunConfig = ProxyRunConfig | FastRunConfig;
/** A run config as written in a file (defaults optional; `objective` defaults to "proxy"). */
export type RunConfigInput =
  | z.input<typeof FastRunConfigSchema>
  | (Omit<z.input<typeof ProxyRunConfigSchema>, 'objective'> & { objective?: 'proxy' });
