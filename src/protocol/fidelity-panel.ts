/**
 * The panel of layers a fidelity study trains: the known baselines, layers named on the command
 * line, and either a search's scored candidates sampled over its whole ranking (top, middle,
 * bottom — not only its front, since a proxy must rank the layers a search meets) or a panel
 * file (one layer per line: zoo name, expression or JSON file; `#` starts a comment line).
 * One layer per function (functional fingerprint), the first kept.
 */
import { existsSync, statSync } from 'node:fs';
import { graphFromJson } from '../graph/json.js';
import { parseExpression } from '../graph/parse.js';
import { ZOO_NAMES, zooLayer } from '../graph/zoo.js';
import { replayJournal } from '../run/replay/replay.js';
import { readJournal } from '../run/journal/journal.js';
import { openRunDir } from '../run/folder/run-dir.js';
import { functionalFingerprint } from '../tensor/fingerprint.js';
import { EvonormError } from '../util/errors.js';
import { readTextFile } from '../util/read-text.js';
import { resolveLayers } from './inputs.js';
import type { ProtocolLayer } from './run-protocol.js';

/** The known layers every panel contains (they anchor the scale: a bad, a good and the best-known). */
export const PANEL_BASELINES: readonly string[] = ['bn-relu', 'gn-relu', 'evonorm-b0', 'evonorm-s0'];

/** Fewest layers a rank correlation is worth computing over. */
export const MIN_PANEL_LAYERS = 5;

/** True when `path` is a run folder (a directory), false for a panel file. */
export function isRunFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * `sample` distinct scored candidates of a run, evenly spaced over its ranking by the mean of
 * the objectives (the search's scalar), best first; each named `#id` with its place.
 */
export function sampleRunPanel(runPath: string, sample: number): ProtocolLayer[] {
  const run = openRunDir(runPath);
  const { events } = readJournal(run.journalPath);
  const { ranked } = replayJournal(events).ranking();
  const seen = new Set<string>();
  const distinct = [...ranked]
    .map((c) => ({ c, score: c.objectives.reduce((a, b) => a + b, 0) / c.objectives.length }))
    .sort((a, b) => b.score - a.score || a.c.record.proposed.id - b.c.record.proposed.id)
    .flatMap(({ c }) => {
      const p = c.record.proposed;
      const graph = p.graph ? graphFromJson(p.graph) : parseExpression(p.expression);
      const fingerprint = c.record.evaluated?.fingerprint ?? functionalFingerprint(graph);
      if (seen.has(fingerprint)) return [];
      seen.add(fingerprint);
      return [{ id: p.id, graph, objectives: c.objectives }];
    });
  if (distinct.length === 0) throw new EvonormError('BAD_RUN', `${run.path}: the search scored no layer, there is no panel to sample`);
  const count = Math.min(sample, distinct.length);
  const places = count === 1 ? [0] : Array.from({ length: count }, (_, i) => Math.round((i * (distinct.length - 1)) / (count - 1)));
  return [...new Set(places)].map((place) => {
    const d = distinct[place]!;
    const zoo = ZOO_NAMES.find((name) => functionalFingerprint(zooLayer(name)) === functionalFingerprint(d.graph));
    return {
      name: `#${d.id}${zoo ? ` ${zoo}` : ''}`,
      graph: d.graph,
      source: `search rank ${place + 1} of ${distinct.length} by mean`,
      candidateId: d.id,
      searchObjectives: d.objectives,
    };
  });
}

/** The layers of a panel file: one per non-empty line that does not start with `#`. */
export function readPanelFile(path: string): ProtocolLayer[] {
  if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `--panel: ${path} is neither a run folder nor a panel file`);
  const lines = readTextFile(path, 'panel file').split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
  return resolveLayers(lines).map((l) => ({ ...l, source: `panel file (${l.source})` }));
}

/** Baselines, then the named layers, then the panel's; one per function; at least MIN_PANEL_LAYERS. */
export function assemblePanel(parts: { readonly panel?: readonly ProtocolLayer[]; readonly layers: readonly string[] }): ProtocolLayer[] {
  const all = [...resolveLayers(PANEL_BASELINES), ...resolveLayers(parts.layers), ...(parts.panel ?? [])];
  const seen = new Set<string>();
  const out = all.filter((layer) => {
    const fingerprint = functionalFingerprint(layer.graph);
    if (seen.has(fingerprint)) return false;
    seen.add(fingerprint);
    return true;
  });
  if (out.length < MIN_PANEL_LAYERS) {
    throw new EvonormError('BAD_INPUT', `fidelity needs a panel of at least ${MIN_PANEL_LAYERS} distinct layers (functions) to rank, got ${out.length}: add layers, or --panel runs/<name>`);
  }
  return out;
}
