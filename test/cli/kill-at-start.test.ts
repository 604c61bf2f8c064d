/** kill -9 right at the start of a search leaves a resumable run or none (it used to leave a half-made folder resume refused). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSearch } from '../../src/run/loop/start-search.js';
import { spawnCli } from './spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'evonorm-kill-start-'));

/** Polls every millisecond until `ready()` (or the child exited). */
function until(ready: () => boolean, child: { exitCode: number | null; signalCode: string | null }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (ready() || child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
}

const moments: Array<[string, (runs: string, name: string) => boolean]> = [
  ['anything appears in the runs folder', (runs) => existsSync(runs) && readdirSync(runs).length > 0],
  ['the run folder appears', (runs, name) => existsSync(join(runs, name))],
  ['the journal has its first line', (runs, name) => existsSync(join(runs, name, 'journal.jsonl')) && readFileSync(join(runs, name, 'journal.jsonl'), 'utf8').length > 0],
];

for (const [i, [moment, ready]] of moments.entries()) {
  test(`when a search is killed with SIGKILL as soon as ${moment}, then the run is resumable or absent`, async () => {
    const name = `start-${i}`;
    const runs = join(dir, `runs-${i}`);
    const config = join(dir, `${name}.json`);
    writeFileSync(config, JSON.stringify({ seed: 1, objective: 'fast', name, search: { populationSize: 8, tournamentSize: 3, batchSize: 4, maxCandidates: 24 }, dispatch: { mode: 'inline' } }));
    const { child, exited } = spawnCli(['search', '--config', config, '--runs-dir', runs]);
    await until(() => ready(runs, name), child);
    child.kill('SIGKILL');
    await exited;
    const path = join(runs, name);
    if (!existsSync(path)) return; // cleanly absent: nothing to resume, nothing broken
    const resumed = await startSearch({ resume: path, workers: 'inline', fsync: false, exportAtEnd: false });
    assert.equal(resumed.reason, 'budget');
    assert.equal(resumed.state.nextId, 24);
  });
}
