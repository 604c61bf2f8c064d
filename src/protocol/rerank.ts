/**
 * `evonorm rerank runs/<name>`: the paper's re-ranking (PAPER.md §3). The search's best layers
 * and the known baselines are retrained with a longer schedule at several seeds and scored on
 * the held-out test split, which the search never saw; the "best 3" are picked by the paper's
 * rule. Results go to runs/<name>/rerank/ (the protocol results folder, see run-protocol.ts).
 *
 *   layers ← first `top` scored candidates by Pareto rank (front first), ties by `by`,
 *            one per function (fingerprint), then the baselines; with promotion levels the rank
 *            and `by` compare candidates at their levels as the search does (rerank-order.ts)
 *   proxy  ← the run's evaluation config, steps × stepsFactor, rerank overrides
 *   run the protocol on split "test"; best3 ← bestThree(cells)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsoncText, validateWith } from '../config/load.js';
import { RunConfigSchema } from '../config/run-config.js';
import { descriptorOf, type DatasetConfig } from '../data/config.js';
import { architectureNames, ProxyConfigSchema, type ProxyConfig } from '../evaluate/config.js';
import { graphFromJson } from '../graph/json.js';
import { parseExpression } from '../graph/parse.js';
import { ZOO_NAMES, zooLayer } from '../graph/zoo.js';
import type { RankedCandidate } from '../run/replay/candidates.js';
import { replayJournal } from '../run/replay/replay.js';
import { readJournal } from '../run/journal/journal.js';
import { openRunDir, readConfig } from '../run/folder/run-dir.js';
import { summarizeRun } from '../run/status/summary.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';
import { EvonormError } from '../util/errors.js';
import type { LrScaling } from './batch-scaling.js';
import { dispatchOf, resolveLayers } from './inputs.js';
import { rerankOrder, type RerankPick } from './rerank-order.js';
import { reuseSourceFiles } from './reuse-results.js';
import { RerankConfigSchema, type RerankConfig, type RerankConfigInput } from './rerank-config.js';
import { runProtocol, type ProtocolLayer, type ProtocolSummary } from './run-protocol.js';
import type { JobProgress } from './run-jobs.js';
import type { Cell } from './summarize.js';
import type { PoolSettings } from '../dispatch/create-pool.js';

/** The folder of a run that holds its rerank results. */
export const RERANK_DIR = 'rerank';

export interface RerankOptions {
  readonly run: string;
  /** A rerank config file (JSON with comments); default: none (all defaults). */
  readonly configPath?: string;
  /** Command-line overrides of the config. */
  readonly overrides?: Partial<Pick<RerankConfigInput, 'top' | 'seeds' | 'by' | 'baselines' | 'batchSizes' | 'lrScaling'>>;
  readonly workers?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: JobProgress) => void;
  readonly onStart?: (info: { outDir: string; trainings: number; layers: readonly ProtocolLayer[] }) => void;
  readonly fsync?: boolean;
  /** Other results folders whose trainings with the same key are copied in, not trained. */
  readonly reuse?: readonly string[];
}

/** The paper's pick: best mean over architectures among layers not worse than the baseline on any. */
export interface BestThree {
  readonly rule: string;
  readonly batchSize: number;
  readonly layers: readonly { readonly layer: string; readonly meanOverArchitectures: number; readonly source: string }[];
}

/** Runs (or resumes) the rerank of a finished search. */
export async function runRerank(options: RerankOptions): Promise<{ summary: ProtocolSummary; outDir: string; ran: number; earlier: number; reused: number; interrupted: boolean }> {
  const run = openRunDir(options.run);
  const replay = replayJournal(readJournal(run.journalPath).events);
  const status = summarizeRun(replay);
  if (status.finished === undefined || status.finished === 'interrupted') {
    throw new EvonormError('BAD_RUN', `${run.path}: the search has not finished (${status.finished === 'interrupted' ? 'it was interrupted' : 'it is running or crashed'}); finish it with \`evonorm search --resume ${options.run}\` first`);
  }
  const runConfig = validateWith(RunConfigSchema, readConfig(run), run.configPath);
  if (runConfig.objective !== 'proxy' || !runConfig.evaluation) {
    throw new EvonormError('BAD_RUN', `${run.path}: a "${runConfig.objective}" search has no proxy trainings to re-rank`);
  }
  const rerank = loadRerankConfig(options.configPath, options.overrides);
  options.reuse?.forEach(reuseSourceFiles); // a wrong --reuse fails before anything trains
  const proxy = rerankProxy(runConfig.evaluation, rerank);
  assertDataAvailable(proxy.data);

  const baselines = resolveLayers(rerank.baselines).map((l) => ({ ...l, source: l.source === 'zoo' ? 'baseline (zoo)' : `baseline (${l.source})` }));
  const found = searchLayers(replay.ranking().ranked, rerank, status.objectiveNames ?? runConfig.evaluation.architectures.map((a) => a.arch));
  if (found.length === 0) throw new EvonormError('BAD_RUN', `${run.path}: the search scored no layer, there is nothing to re-rank`);
  const layers = [...baselines, ...found];
  const batchSizes = rerank.batchSizes ?? [proxy.training.batchSize];
  const outDir = join(run.path, RERANK_DIR);
  options.onStart?.({ outDir, trainings: layers.length * proxy.architectures.length * batchSizes.length * rerank.seeds, layers });
  const dispatch: Omit<PoolSettings, 'spec'> = dispatchOf(run.configPath, options.workers);
  const transfer = new Set(architectureNames(proxy).slice(proxy.architectures.length - rerank.transferArchitectures.length));
  const baseline = baselines[0]!.name;
  const result = await runProtocol({
    kind: 'rerank', layers, proxy, batchSizes, seeds: rerank.seeds, lrScaling: rerank.lrScaling as LrScaling, baseline,
    split: 'test', outDir, dispatch, signal: options.signal, onProgress: options.onProgress, fsync: options.fsync,
    asked: { run: run.path, rerankConfig: options.configPath ?? null, top: rerank.top, by: rerank.by },
    ...(options.reuse ? { reuse: options.reuse } : {}),
    extend: (cells) => ({
      run: run.path,
      transferArchitectures: [...transfer],
      best3: batchSizes.map((b) => bestThree(cells, layers, baseline, b)),
    }),
  });
  return { ...result, outDir };
}

/** The rerank config from its file (or defaults), with command-line overrides on top. */
function loadRerankConfig(path: string | undefined, overrides: RerankOptions['overrides'] = {}): RerankConfig {
  let raw: unknown = {};
  if (path !== undefined) {
    if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `rerank config ${path} not found`);
    raw = parseJsoncText(readFileSync(path, 'utf8'), path);
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return validateWith(RerankConfigSchema, { ...(raw as object), ...defined }, path ?? 'rerank options');
}

/** The run's evaluation protocol with the rerank's longer schedule and overrides. */
function rerankProxy(evaluation: ProxyConfig, rerank: RerankConfig): ProxyConfig {
  const training = {
    ...evaluation.training,
    steps: Math.round(evaluation.training.steps * rerank.stepsFactor),
    warmupSteps: Math.round(evaluation.training.warmupSteps * rerank.stepsFactor),
    ...rerank.training,
  };
  const data = rerank.data ?? { ...evaluation.data, ...(rerank.imageSize !== undefined ? { imageSize: rerank.imageSize } : {}) };
  const input = {
    ...evaluation,
    ...(rerank.backend ? { backend: rerank.backend } : {}),
    data: rerank.data && rerank.imageSize !== undefined ? { ...data, imageSize: rerank.imageSize } : data,
    architectures: [...(rerank.architectures ?? evaluation.architectures), ...rerank.transferArchitectures],
    training,
    layer: { ...evaluation.layer, ...rerank.layer },
  };
  return validateWith(ProxyConfigSchema, input, 'rerank protocol (the run\'s evaluation config with the rerank config on top)');
}

/** Refuses data this machine does not have, or data without a held-out split, before anything runs. */
function assertDataAvailable(data: DatasetConfig): void {
  const dataset = descriptorOf(data);
  const none = dataset.noHeldOut(data);
  if (none !== null) throw new EvonormError('BAD_CONFIG', `rerank: ${none}`);
  dataset.checkFiles?.(data, 'rerank');
}

/** The zoo layer a graph computes, if any (to mark seed and zoo rows). */
function zooNameOf(fingerprint: string): string | undefined {
  return ZOO_NAMES.find((name) => functionalFingerprint(zooLayer(name)) === fingerprint);
}

/** The search's best `top` layers, one per function, in rerank order (rerank-order.ts: with promotion levels, ranked as the search's selection does). */
function searchLayers(ranked: readonly RankedCandidate[], rerank: RerankConfig, objectiveNames: readonly string[]): ProtocolLayer[] {
  const fingerprintOf = (c: RankedCandidate): string => {
    const p = c.record.proposed;
    return c.record.evaluated?.fingerprint ?? functionalFingerprint(p.graph ? graphFromJson(p.graph) : parseExpression(p.expression));
  };
  const distinct = (picks: readonly RerankPick[]): number => new Set(picks.map((p) => fingerprintOf(p.candidate))).size;
  const seen = new Set<string>();
  const out: ProtocolLayer[] = [];
  for (const { candidate: c } of rerankOrder(ranked, rerank.by, objectiveNames, (picked) => distinct(picked) >= rerank.top)) {
    if (out.length >= rerank.top) break;
    const p = c.record.proposed;
    const graph = p.graph ? graphFromJson(p.graph) : parseExpression(p.expression);
    const fingerprint = c.record.evaluated?.fingerprint ?? functionalFingerprint(graph);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const zoo = zooNameOf(fingerprint);
    const source = p.origin === 'seed' ? `search seed${zoo ? ` (= ${zoo})` : ''}` : `search ${p.origin}${zoo ? ` (= ${zoo})` : ''}`;
    out.push({ name: `#${p.id}${zoo ? ` ${zoo}` : ''}`, graph, source, candidateId: p.id, searchObjectives: c.objectives });
  }
  return out;
}

/**
 * The paper's "best 3" at one batch size: among layers other than the baseline (and other than
 * search layers that compute the baseline's function) that trained on
 * every seed and whose mean paired difference to the baseline is ≥ 0 on every architecture, the
 * three with the best mean accuracy over architectures.
 */
export function bestThree(cells: readonly Cell[], layers: readonly ProtocolLayer[], baseline: string, batchSize: number): BestThree {
  const at = cells.filter((c) => c.batchSize === batchSize);
  const base = layers.find((l) => l.name === baseline);
  const baseFingerprint = base ? functionalFingerprint(base.graph) : null;
  const eligible = layers.filter((l) => l.name !== baseline && functionalFingerprint(l.graph) !== baseFingerprint).flatMap((l) => {
    const mine = at.filter((c) => c.layer === l.name);
    if (mine.length === 0 || mine.some((c) => c.failures.length > 0 || c.missing > 0 || !c.vsBaseline || !(c.vsBaseline.mean >= 0))) return [];
    return [{ layer: l.name, meanOverArchitectures: mine.reduce((s, c) => s + c.mean, 0) / mine.length, source: l.source }];
  });
  eligible.sort((a, b) => b.meanOverArchitectures - a.meanOverArchitectures);
  return {
    rule: `best mean held-out accuracy over architectures among layers not worse than ${baseline} on any architecture (mean paired difference ≥ 0, every seed trained)`,
    batchSize,
    layers: eligible.slice(0, 3),
  };
}

/** The rerank summary of a run folder, or null when it has none (for status and export). */
export function readRerankSummary(runPath: string): ProtocolSummary | null {
  const path = join(runPath, RERANK_DIR, 'summary.json');
  if (!existsSync(path)) return null;
  try {
    const parsed = z.looseObject({ format: z.literal('evonorm.protocol-summary') }).safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? (parsed.data as unknown as ProtocolSummary) : null;
  } catch {
    return null;
  }
}
