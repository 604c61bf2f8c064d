/** Shared fixtures for the run tests: temporary folders and a synthetic journal from a real evolver. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { canonicalize, type LayerGraph } from '../../src/graph/index.js';
import type { Evaluation } from '../../src/evaluate/types.js';
import { ask, createEvolver, tell, type EvaluationResult } from '../../src/search/index.js';
import { Rng } from '../../src/util/rng.js';
import { buildManifest, proposedEvent, type JournalEventInput } from '../../src/run/index.js';
import { cliCommand } from '../cli/cli-command.js';

/** A fresh temporary folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evonorm-run-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A manifest with fixed caller facts. */
export function testManifest(seed: number | string = 7) {
  return buildManifest({ seed, evonormVersion: '0.0.0-test', tfjsVersion: '4.22.0', backend: 'cpu', argv: ['evonorm', 'search'], startedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) });
}

/** Toy evaluation: rejects graphs using exp; otherwise two objectives from the live op counts. */
export function toyEvaluation(graph: LayerGraph, id: number): Evaluation {
  const ops = canonicalize(graph).nodes.map((n) => n.op);
  if (ops.includes('exp')) {
    return { status: 'rejected', stage: id % 2 === 0 ? 'stability' : 'quality', reason: `loss ${id}.5 is not finite, contains exp`, costMs: 3 };
  }
  const mulLike = ops.filter((op) => op === 'mul' || op === 'div').length;
  return { status: 'ok', objectives: [mulLike / 4 + (id % 3) * 0.01, -Math.abs(ops.length - 4) / 4], costMs: 10 + id };
}

/**
 * The events a run of `batches` batches of `batchSize` would write, with a real evolver and the
 * toy evaluation: proposals, evaluations (a repeated fingerprint is a cache hit), generations,
 * one checkpoint event, and run-finished. Times advance one second per event.
 */
export function syntheticEvents(seed = 3, batches = 4, batchSize = 8): JournalEventInput[] {
  let time = Date.UTC(2024, 0, 2, 3, 4, 5);
  const t = (): string => new Date((time += 1000)).toISOString();
  const events: JournalEventInput[] = [{ type: 'run-started', t: t(), seed, resumed: false, objectiveNames: ['mul', 'size'] }];
  let state = createEvolver(Rng.fromSeed(seed), { populationSize: 10, tournamentSize: 3 });
  const seen = new Map<string, Evaluation>();
  for (let b = 0; b < batches; b++) {
    const asked = ask(state, batchSize);
    state = asked.state;
    const results: EvaluationResult[] = [];
    let rejected = 0;
    let cacheHits = 0;
    for (const candidate of asked.candidates) {
      events.push({ ...proposedEvent(candidate), t: t() });
      const known = seen.get(candidate.hash);
      const evaluation = known ?? toyEvaluation(candidate.graph, candidate.id);
      seen.set(candidate.hash, evaluation);
      if (known) cacheHits++;
      if (evaluation.status === 'rejected') rejected++;
      events.push({ type: 'evaluated', t: t(), id: candidate.id, fingerprint: `fp-${candidate.hash.slice(0, 16)}`, hash: candidate.hash, evaluation, cached: known !== undefined, workerMs: 5 });
      results.push(
        evaluation.status === 'ok'
          ? { id: candidate.id, objectives: evaluation.objectives }
          : { id: candidate.id, rejection: { stage: evaluation.stage, reason: evaluation.reason } },
      );
    }
    state = tell(state, results);
    events.push({ type: 'generation', t: t(), batch: b, proposed: batchSize, evaluated: batchSize, rejected, cacheHits, wallMs: 1234 });
  }
  events.push({ type: 'checkpoint', t: t(), batch: batches, journalEvents: events.length });
  events.push({ type: 'run-finished', t: t(), reason: 'budget' });
  return events;
}

/**
 * Runs `evonorm search --config <configPath> --runs-dir <runsDir> --workers inline` in a child
 * process and SIGKILLs it once its journal holds `evaluations` evaluated events (or it exits);
 * `type` counts another event type instead (e.g. 'promotion-evaluated').
 */
export async function searchKilledAfter(configPath: string, runsDir: string, journalPath: string, evaluations: number, type = 'evaluated'): Promise<void> {
  // The compiled CLI when dist/ is fresh (about 2 CPU-s less to start than tsx), see cliCommand.
  const child = spawn(process.execPath, cliCommand(['search', '--config', configPath, '--runs-dir', runsDir, '--workers', 'inline']), { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let size = -1;
  let evaluated = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Read again only when the journal grew (it was read in full every 5 ms).
      const now = existsSync(journalPath) ? statSync(journalPath).size : 0;
      if (now !== size) {
        size = now;
        evaluated = now > 0 ? readFileSync(journalPath, 'utf8').split('\n').filter((l) => l.includes(`"type":"${type}"`)).length : 0;
      }
      if (evaluated >= evaluations || child.exitCode !== null) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve();
      }
    }, 5);
  });
  await exited;
}
