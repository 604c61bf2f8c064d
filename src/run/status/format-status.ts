/** Renders a RunSummary for people: a block of counts, then the Pareto front as a table. */
import { familyLimit } from '../../search/family-cap.js';
import type { RunSummary } from './summary.js';
import { describeRunState, type RunStateInfo } from './run-state.js';
import { formatTable } from '../../util/table.js';
import { withError } from '../replay/objective-errors.js';
import { describePromotion } from '../replay/level-scores.js';
import { describeLevelCosts } from '../replay/level-cost.js';

/**
 * A readable status text: counts, rejections by stage and top reasons, best value per
 * objective, the population's diversity, whether the run finished, time worked, then the front table (id, one column per
 * objective, "value ± standard error" when evaluation.seeds > 1, fingerprint, expression; with
 * promotion levels also each layer's level and its objectives at every level, "resnet L1", …). `objectiveNames` label the objectives (missing names
 * fall back to the run's own, then to obj1, obj2, …). `state` (src/run/status/run-state.ts) tells a
 * running run from a crashed one; without it only the journal speaks. Ends with a newline.
 */
export function formatStatus(summary: RunSummary, objectiveNames: readonly string[] = [], state?: RunStateInfo, extras: StatusExtras = {}): string {
  const k = summary.front[0]?.objectives.length ?? summary.bestPerObjective.length;
  const names = Array.from({ length: k }, (_, m) => objectiveNames[m] ?? summary.objectiveNames?.[m] ?? `obj${m + 1}`);
  const lines: string[] = [];
  const row = (label: string, text: string): void => void lines.push(`  ${label.padEnd(13)}${text}`);

  lines.push('run');
  row('state', state !== undefined ? describeRunState(state) : summary.finished !== undefined ? `finished (${summary.finished})` : 'not finished (running, or stopped without a clean exit)');
  row('proposed', `${summary.proposed} in ${summary.batches} batch(es), ${summary.sessions} session(s)`);
  row('evaluated', `${summary.evaluated} (${summary.cacheHits} from cache), ${summary.pending} pending`);
  row('scored', String(summary.scored));
  const stages = Object.entries(summary.rejectedByStage)
    .sort((a, b) => b[1] - a[1])
    .map(([stage, n]) => `${stage} ${n}`)
    .join(', ');
  row('rejected', summary.rejected > 0 ? `${summary.rejected}: ${stages}` : '0');
  for (const { code, count, example } of summary.rejectedByReason) row('', `${String(count).padStart(5)} × ${code}, e.g. ${example}`);
  for (const seed of summary.rejectedSeeds) {
    row('warning', `seed layer ${seed.name} (#${seed.id}) was rejected at ${seed.stage} (${seed.reason}): the rejection chain stops a layer known to train; check evaluation.rejection.${seed.stage} for this protocol (scripts/probe-panel.ts measures it on known layers)`);
  }
  if (summary.bestPerObjective.length > 0) {
    row('best', summary.bestPerObjective.map((v, m) => `${names[m]} ${formatNumber(v)}`).join(', '));
  }
  const diversity = diversityLine(summary, extras.familyCap);
  if (diversity !== null) row('diversity', diversity);
  if (summary.promotion) row('promotion', describePromotion(summary.promotion));
  if (summary.levelCosts) row('cost', describeLevelCosts(summary.levelCosts));
  row('time worked', formatDuration(summary.elapsedMs));
  if (summary.workerBusyShare !== null) {
    row('workers busy', `${(100 * summary.workerBusyShare).toFixed(0)}% of the time${paceNote(summary.pace)}`);
  }
  if (summary.checkpoint) row('checkpoint', `batch ${summary.checkpoint.batch}, saved ${summary.checkpoint.savedAt}`);

  lines.push('');
  lines.push(`Pareto front (${summary.front.length})`);
  if (extras.objectives?.length) lines.push(...extras.objectives.map((d) => `  objective ${d}`));
  if (summary.front.length === 0) {
    lines.push('  (no scored candidate yet)');
  } else {
    // With promotion levels: the highest level each was measured at, then its objectives at each level above 0.
    const levels = summary.promotion?.levels ?? 0;
    const levelNames = Array.from({ length: levels }, (_, l) => names.map((n) => `${n} L${l + 1}`)).flat();
    const header = ['id', ...(summary.promotion ? ['level'] : []), ...names, ...levelNames, 'fingerprint', 'expression'];
    const body = summary.front.map((f) => [
      String(f.id),
      ...(summary.promotion ? [String(f.level ?? 0)] : []),
      ...f.objectives.map((v, m) => withError(formatNumber(v), f.objectiveErrors?.[m])),
      ...Array.from({ length: levels }, (_, l) => {
        const score = f.levels?.find((s) => s.level === l + 1);
        return names.map((_, m) => (score ? withError(formatNumber(score.objectives[m]), score.objectiveErrors?.[m]) : '-'));
      }).flat(),
      (f.fingerprint ?? '-').slice(0, 12),
      extras.rowNotes?.get(f.id) ? `${f.expression}   [${extras.rowNotes.get(f.id)}]` : f.expression,
    ]);
    const first = summary.promotion ? 2 : 1;
    const numeric = new Set(Array.from({ length: (levels + 1) * k + (first - 1) }, (_, m) => m + 1));
    lines.push(formatTable(header, body, { rightAligned: numeric, rule: false, indent: '  ' }));
  }
  return `${lines.join('\n')}\n`;
}

/** Optional additions of `evonorm status`: what each objective is, and notes on front rows (seed/zoo layers). */
export interface StatusExtras {
  /** One sentence per objective (src/run/status/objective-info.ts). */
  readonly objectives?: readonly string[];
  /** By candidate id, e.g. "seed = bn-relu". */
  readonly rowNotes?: ReadonlyMap<number, string>;
  /** The run's family cap (search.diversity.familyCap), to read the largest family's share against. */
  readonly familyCap?: { readonly cap: number; readonly populationSize: number };
}

/**
 * Why the workers were idle, when the figures tell: an evaluation costs less than the search's
 * own work per candidate (fingerprints, journal writes, checkpoints), so the loop sets the pace.
 */
function paceNote(pace: RunSummary['pace']): string {
  if (pace === null) return '';
  const loopMs = pace.wallMsPerCandidate - pace.evaluationMs / Math.max(1, pace.slots);
  const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(0));
  if (loopMs <= pace.evaluationMs) return '';
  return ` — an evaluation took ${ms(pace.evaluationMs)} ms, the search's own work (fingerprints, journal, checkpoints) ${ms(loopMs)} ms per candidate: the loop, not the workers, set the pace`;
}

/**
 * e.g. "largest family tanh∘div holds 85% of the population (41 of 48); 7 distinct functions in 5
 * families; next: div 4, …"; null when the journal has no settle point yet.
 */
export function diversityLine(summary: RunSummary, familyCap?: StatusExtras['familyCap']): string | null {
  const latest = summary.diversity.latest;
  if (latest === null) {
    if (summary.diversity.unrecorded > 0) return 'not recorded (journal written before the diversity measure)';
    return summary.evaluated > 0 ? 'not measured yet (the first batch has not settled)' : null;
  }
  if (latest.largestFamily === null) return 'the population is empty';
  const next = summary.diversity.topFamilies.slice(1, 4).map((f) => `${f.family} ${f.count}`).join(', ');
  // The cap counts members out of P, not out of a population still filling up: say so, or 12 of 17 reads as a broken 25% cap.
  const limit = familyCap ? familyLimit(familyCap.cap, familyCap.populationSize) : null;
  const capped = familyCap && limit !== null ? `; the family cap allows ${limit} = ${(100 * familyCap.cap).toFixed(0)}% of ${familyCap.populationSize}` : '';
  return `largest family ${latest.largestFamily} holds ${(100 * latest.largestShare).toFixed(0)}% of the population (${latest.largestCount} of ${latest.size}${capped}); ${latest.distinctFunctions} distinct function${latest.distinctFunctions === 1 ? '' : 's'} in ${latest.families} famil${latest.families === 1 ? 'y' : 'ies'}${next ? `; next: ${next}` : ''}; ${latest.scored} of the ${latest.size} members scored`;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** e.g. 3723000 → "1h 02m 03s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${two(m)}m ${two(sec)}s`;
  if (m > 0) return `${m}m ${two(sec)}s`;
  return `${sec}s`;
}
