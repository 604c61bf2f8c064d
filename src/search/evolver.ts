/**
 * The evolver: regularized (aging) evolution with tournament selection over layer graphs
 * (PAPER.md §3; Real et al. 2019), as pure ask/tell over immutable, JSON-serialisable state
 * (STYLE.md 8; evosax `algorithms/base.py`, pymoo `core/algorithm.py`).
 *
 *   state = createEvolver(rng, settings, seeds)
 *   loop:
 *     { state, candidates } = ask(state, n)   // n proposals from the settled population
 *     evaluate the candidates anywhere, in any order
 *     state = tell(state, results)            // any order, in one call or several
 *
 * ask(n), for each of the n slots:
 *   seed graphs not yet proposed  → the next seed
 *   selection 'random'            → a fresh random graph (random-search baseline)
 *   population (+ this batch's initial proposals) smaller than P → a fresh random graph
 *                                   (with fillByMutation: only while it is empty; then children)
 *   otherwise                     → mutate(winner of a tournament of the SETTLED population)
 * tell: results are stored until every candidate of the batch has one; then they are applied
 * in proposal (id) order: each joins the population (rejected ones too, unless switched off;
 * never a result told as a `duplicate`, whose function a member already computes),
 * the oldest member leaves while the population exceeds P, and the hall of fame (the Pareto
 * front of everything scored so far) is updated. With a family cap (familyCap, off by default),
 * a child that would push its structural family over the cap makes the oldest member of that
 * family leave instead of the oldest overall (src/search/family-cap.ts).
 * With promotion levels (promotion, off by default; 'batch' only), the caller opens a round of
 * promotions after each settled batch and applies it at the next (src/search/promotion.ts), and
 * tournaments compare two members at the highest level both were measured at (levels.ts).
 *
 * Determinism: the only randomness is the Rng whose state lives in the state; ask never runs
 * while a batch is open, and a batch is applied in id order. So the same seed and settings give
 * the same candidates whatever order evaluations finish in, and a state saved with
 * JSON.stringify between any two calls continues identically after JSON.parse.
 */
import { EVOLVER_DEFAULTS } from './defaults.js';
import { canonicalHash } from '../graph/canonical.js';
import { assertValidGraph } from '../graph/validate.js';
import type { LayerGraph } from '../graph/types.js';
import { EvonormError } from '../util/errors.js';
import { Rng } from '../util/rng.js';
import type { Candidate, EvaluatedCandidate, EvaluationResult, Rejection } from './candidate.js';
import { isFinitePoint } from './pareto.js';
import { paretoArchive } from './pareto-archive.js';
import { mutate, mutationOptions, type MutationKind, type MutationOptions } from './mutate.js';
import { randomGraph } from './random-graph.js';
import { drawTournament, leveledTournamentWinner, tournamentWinner } from './selection.js';
import { leveledById, leveledFrontOf, type PromotionSettings } from './promotion.js';
import { admit, familyLimit } from './family-cap.js';
import { searchSpace, type SearchSpace } from './space.js';
import { EVOLVER_FORMAT, type EvolverOptions, type EvolverState, type Schedule, type Selection } from './state-schema.js';

/**
 * The evolver's state and complete options (EvolverState, EvolverOptions, EvolverCounts,
 * Selection, Schedule) are inferred from their zod schema, src/search/state-schema.ts, where
 * each field is described; a checkpoint's state is parsed with it.
 */
export { EVOLVER_FORMAT } from './state-schema.js';
export type { EvolverCounts, EvolverOptions, EvolverState, Schedule, Selection } from './state-schema.js';

/** Partial settings for createEvolver; everything left out takes its default. */
export interface EvolverSettings {
  readonly populationSize?: number;
  readonly tournamentSize?: number;
  readonly tournamentFraction?: number | null;
  readonly selection?: Selection;
  readonly rejectedJoinPopulation?: boolean;
  /** Fill a population below P with children of its members (mutation) instead of random graphs, once it has one. Default false. */
  readonly fillByMutation?: boolean;
  readonly numObjectives?: number | null;
  readonly space?: Partial<SearchSpace>;
  readonly mutation?: { readonly maxAttempts?: number; readonly weights?: Partial<Record<MutationKind, number>>; readonly drift?: number };
  readonly schedule?: Schedule;
  readonly familyCap?: number | null;
  readonly promotion?: PromotionSettings | null;
}

/** Resolves settings to complete options. Throws EvonormError('BAD_CONFIG') for bad values. */
export function evolverOptions(settings: EvolverSettings = {}): EvolverOptions {
  const bad = (message: string): never => {
    throw new EvonormError('BAD_CONFIG', `evolver: ${message}`);
  };
  const populationSize = settings.populationSize ?? EVOLVER_DEFAULTS.populationSize;
  const tournamentSize = settings.tournamentSize ?? EVOLVER_DEFAULTS.tournamentSize;
  const tournamentFraction = settings.tournamentFraction ?? null;
  const selection = settings.selection ?? 'pareto';
  const numObjectives = settings.numObjectives ?? null;
  if (!Number.isInteger(populationSize) || populationSize < 1) bad(`populationSize must be an integer ≥ 1, got ${populationSize}`);
  if (!Number.isInteger(tournamentSize) || tournamentSize < 1) bad(`tournamentSize must be an integer ≥ 1, got ${tournamentSize}`);
  if (tournamentFraction !== null && !(tournamentFraction > 0 && tournamentFraction <= 1)) {
    bad(`tournamentFraction must be in (0, 1], got ${tournamentFraction}`);
  }
  if (!['pareto', 'average', 'random'].includes(selection)) bad(`unknown selection "${String(selection)}"`);
  const schedule = settings.schedule ?? 'batch';
  if (schedule !== 'batch' && schedule !== 'async') bad(`unknown schedule "${String(schedule)}"`);
  const familyCap = settings.familyCap ?? null;
  if (familyCap !== null && !(typeof familyCap === 'number' && familyCap > 0 && familyCap <= 1)) bad(`familyCap must be in (0, 1] or null, got ${String(familyCap)}`);
  if (numObjectives !== null && (!Number.isInteger(numObjectives) || numObjectives < 1)) {
    bad(`numObjectives must be an integer ≥ 1, got ${numObjectives}`);
  }
  const promotion = settings.promotion ?? null;
  if (promotion !== null) {
    const { levels, perBatch, references = [], reduction } = promotion;
    if (!Number.isInteger(levels) || levels < 1) bad(`promotion.levels must be an integer ≥ 1, got ${levels}`);
    if (!Number.isInteger(perBatch) || perBatch < 1) bad(`promotion.perBatch must be an integer ≥ 1, got ${perBatch}`);
    if (reduction !== undefined && !(typeof reduction === 'number' && reduction >= 1 && Number.isFinite(reduction))) bad(`promotion.reduction must be a finite number ≥ 1, got ${String(reduction)}`);
    if (references.some((id) => !Number.isInteger(id) || id < 0)) bad(`promotion.references must be candidate ids (integers ≥ 0), got [${references.join(', ')}]`);
    if (schedule !== 'batch') bad('promotion levels need the "batch" schedule');
    if (selection === 'average') bad('promotion levels need selection "pareto" or "random"');
  }
  let mutation: MutationOptions;
  try {
    mutation = mutationOptions(settings.mutation);
  } catch (err) {
    return bad((err as Error).message);
  }
  return {
    populationSize,
    tournamentSize,
    tournamentFraction,
    selection,
    rejectedJoinPopulation: settings.rejectedJoinPopulation ?? EVOLVER_DEFAULTS.rejectedJoinPopulation,
    // Written only when on, so the options (and checkpoints) of runs without it are unchanged.
    ...(settings.fillByMutation === true ? { fillByMutation: true as const } : {}),
    numObjectives,
    space: searchSpace(settings.space),
    mutation,
    schedule,
    familyCap,
    // references written only when given, so the options (and checkpoints) of runs without them are unchanged.
    ...(promotion !== null ? { promotion: { levels: promotion.levels, perBatch: promotion.perBatch, ...(promotion.references?.length ? { references: [...promotion.references] } : {}), ...(promotion.pool === 'population' ? { pool: 'population' as const } : {}), ...(promotion.reduction !== undefined ? { reduction: promotion.reduction } : {}) } } : {}),
  };
}

/** True for the 'async' schedule (ask while results are outstanding). */
export function isAsync(state: EvolverState): boolean {
  return state.options.schedule === 'async';
}

/**
 * A fresh evolver. `rng` supplies the generator (its current state is saved; pass a child
 * stream such as `runRng.child('search')`). `seeds` are proposed first, in order, and count
 * toward the initial population; each must be a valid graph within the node limit
 * (EvonormError('BAD_GRAPH') otherwise).
 */
export function createEvolver(rng: Rng, settings: EvolverSettings = {}, seeds: readonly LayerGraph[] = []): EvolverState {
  const options = evolverOptions(settings);
  for (const seed of seeds) assertValidGraph(seed, { maxNodes: options.space.maxNodes });
  // Seeds are the first proposals: the i-th seed layer is candidate i.
  const notSeed = options.promotion?.references?.find((id) => id >= seeds.length);
  if (notSeed !== undefined) throw new EvonormError('BAD_CONFIG', `evolver: promotion reference ${notSeed} is not a seed layer (there are ${seeds.length})`);
  return {
    format: EVOLVER_FORMAT,
    options,
    rng: rng.state(),
    nextId: 0,
    batches: 0,
    numObjectives: options.numObjectives,
    seeds: [...seeds],
    population: [],
    pending: [],
    received: [],
    hallOfFame: [],
    counts: { proposed: 0, scored: 0, rejected: 0, mutationFallbacks: 0 },
    ...(options.promotion ? { leveled: [], promoting: [] } : {}),
    ...(options.promotion?.references ? { references: [] } : {}),
  };
}

/** True when no batch is open (every proposal has been told), so ask() may be called. */
export function isSettled(state: EvolverState): boolean {
  return state.pending.length === 0;
}

/**
 * Proposes `n` candidates from the settled population and opens a batch for them ('batch'
 * schedule), or adds them to the outstanding candidates ('async').
 * Throws EvonormError('INTERNAL') while a batch is still open (tell every result first),
 * unless the schedule is 'async'.
 */
export function ask(state: EvolverState, n: number): { state: EvolverState; candidates: Candidate[] } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ask needs a positive integer, got ${n}`);
  if (!isSettled(state) && !isAsync(state)) {
    throw new EvonormError('INTERNAL', `ask: batch ${state.batches - 1} still has ${state.pending.length - state.received.length} result(s) outstanding`);
  }
  const { options } = state;
  const rng = Rng.fromState(state.rng);
  const seeds = [...state.seeds];
  const candidates: Candidate[] = [];
  // Outstanding random and seed proposals ('async') will join the population too.
  let initial = state.pending.filter((c) => c.origin !== 'mutation').length;
  let fallbacks = 0;
  const leveled = leveledById(state);
  for (let slot = 0; slot < n; slot++) {
    const id = state.nextId + slot;
    const base = { id, parentId: null, mutation: null, batch: state.batches };
    const seed = seeds.shift();
    if (seed !== undefined) {
      initial++;
      candidates.push({ ...base, graph: seed, hash: canonicalHash(seed), origin: 'seed' });
    } else if (
      options.selection === 'random' ||
      state.population.length === 0 ||
      (state.population.length + initial < options.populationSize && options.fillByMutation !== true)
    ) {
      initial++;
      const graph = randomGraph(rng, options.space);
      candidates.push({ ...base, graph, hash: canonicalHash(graph), origin: 'random' });
    } else {
      const members = drawTournament(rng, state.population, tournamentSize(options, state.population.length));
      const parent = leveled.size > 0
        ? leveledTournamentWinner(rng, members, new Map([...leveled].map(([id, m]) => [id, { levels: m.levels, failed: m.failed !== null }])))
        : tournamentWinner(rng, members, options.selection === 'average' ? 'average' : 'pareto');
      const { graph, info } = mutate(rng, parent.graph, options.space, options.mutation);
      if (info.fallback) fallbacks++;
      candidates.push({ ...base, graph, hash: canonicalHash(graph), parentId: parent.id, origin: 'mutation', mutation: info });
    }
  }
  const next: EvolverState = {
    ...state,
    rng: rng.state(),
    nextId: state.nextId + n,
    batches: state.batches + 1,
    seeds,
    pending: [...state.pending, ...candidates],
    received: [],
    counts: { ...state.counts, proposed: state.counts.proposed + n, mutationFallbacks: state.counts.mutationFallbacks + fallbacks },
  };
  return { state: next, candidates };
}

/**
 * Records results for candidates of the open batch (any subset, any order). When every
 * candidate of the batch has a result, the batch is applied in id order (see the module
 * comment). Objectives with NaN or ±Inf become a rejection at stage 'evolver'.
 * Throws EvonormError('BAD_INPUT') for an id not in the open batch, a second result for an
 * id, or a number of objectives that differs from K.
 */
export function tell(state: EvolverState, results: readonly EvaluationResult[]): EvolverState {
  const pendingIds = new Set(state.pending.map((c) => c.id));
  const seen = new Set(state.received.map((r) => r.id));
  let numObjectives = state.numObjectives;
  const received = [...state.received];
  for (const result of results) {
    if (!pendingIds.has(result.id)) throw new EvonormError('BAD_INPUT', `tell: candidate ${result.id} is not in the open batch`);
    if (seen.has(result.id)) throw new EvonormError('BAD_INPUT', `tell: a second result for candidate ${result.id}`);
    seen.add(result.id);
    if ('objectives' in result) {
      const k = result.objectives.length;
      if (k === 0 || (numObjectives !== null && k !== numObjectives)) {
        throw new EvonormError('BAD_INPUT', `tell: candidate ${result.id} has ${k} objective(s), expected ${numObjectives ?? '≥ 1'}`);
      }
      numObjectives = k;
      received.push({ id: result.id, objectives: [...result.objectives], ...(result.duplicate ? { duplicate: true as const } : {}) });
    } else {
      received.push({ id: result.id, rejection: { reason: result.rejection.reason, stage: result.rejection.stage } });
    }
  }
  const next: EvolverState = { ...state, numObjectives, received };
  if (isAsync(state)) return apply(next, received); // each result at once, in arrival order
  return received.length === state.pending.length ? apply(next, state.pending.map((c) => received.find((r) => r.id === c.id)!)) : next;
}

/**
 * The Pareto front of every candidate scored so far (not just the population), by id; with
 * promotions, the leveled front (src/search/promotion.ts leveledFrontOf).
 */
export function front(state: EvolverState): readonly EvaluatedCandidate[] {
  return (state.leveled?.length ?? 0) > 0 ? leveledFrontOf(state) : state.hallOfFame;
}

/**
 * Applies results in the given order (a complete batch in proposal order, or 'async' results as
 * they arrive): population, aging, hall of fame, counts; their candidates leave `pending`.
 */
function apply(state: EvolverState, results: readonly EvaluationResult[]): EvolverState {
  const byId = new Map(state.pending.map((c) => [c.id, c]));
  const evaluated = results.map((result) => joinResult(byId.get(result.id)!, result));
  const applied = new Set(results.map((r) => r.id));
  const { populationSize, familyCap } = state.options;
  const limit = familyLimit(familyCap, populationSize);
  let population: readonly EvaluatedCandidate[] = state.population;
  for (const [i, member] of evaluated.entries()) {
    if (member.objectives === null && !state.options.rejectedJoinPopulation) continue;
    const result = results[i]!;
    if ('duplicate' in result && result.duplicate) continue;
    population = admit(population, member, populationSize, limit);
  }
  const scored = evaluated.filter((m) => m.objectives !== null);
  const referenceIds = state.options.promotion?.references ?? [];
  const newReferences = scored.filter((m) => referenceIds.includes(m.id) && !(state.references ?? []).some((r) => r.id === m.id));
  return {
    ...state,
    ...(newReferences.length > 0 ? { references: [...(state.references ?? []), ...newReferences].sort((a, b) => a.id - b.id) } : {}),
    population,
    pending: state.pending.filter((c) => !applied.has(c.id)),
    received: [],
    hallOfFame: updateHallOfFame(state.hallOfFame, scored),
    counts: {
      ...state.counts,
      scored: state.counts.scored + scored.length,
      rejected: state.counts.rejected + evaluated.length - scored.length,
    },
  };
}

function joinResult(candidate: Candidate, result: EvaluationResult): EvaluatedCandidate {
  if ('rejection' in result) return { ...candidate, objectives: null, rejection: result.rejection };
  if (!isFinitePoint(result.objectives)) {
    const rejection: Rejection = { reason: `non-finite objective(s) [${result.objectives.join(', ')}]`, stage: 'evolver' };
    return { ...candidate, objectives: null, rejection };
  }
  return { ...candidate, objectives: result.objectives, rejection: null };
}

/** The hall of fame after `scored`: the archive (pareto-archive.ts) of both, one member per canonical hash. */
function updateHallOfFame(old: readonly EvaluatedCandidate[], scored: readonly EvaluatedCandidate[]): EvaluatedCandidate[] {
  if (scored.length === 0) return [...old];
  return paretoArchive([...old, ...scored], (m) => m.hash);
}

function tournamentSize(options: EvolverOptions, populationLength: number): number {
  if (options.tournamentFraction === null) return options.tournamentSize;
  return Math.max(1, Math.round(options.tournamentFraction * populationLength));
}
