/**
 * Hidden temporaries left by a kill (issue 19 §5): `.<name>.creating-<pid>` in runs/ and
 * `.<out>.writing-<pid>` beside an export are removed when a new run or export starts there,
 * when their process is gone; a live process's temporary is kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunDir, Journal } from '../../../src/run/index.js';
import { processAlive, removeStaleTemporaries } from '../../../src/util/stale-temporaries.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { EXIT } from '../../../src/util/errors.js';
import { syntheticEvents, tempDir, testManifest } from '../helpers.js';

/** The pid of a process that has exited (a child run to its end). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  assert.ok(pid > 0 && !processAlive(pid), 'the finished child is gone');
  return pid;
}

/** A hidden temporary folder with a file in it, as a killed writer leaves it. */
function leftover(folder: string, name: string): string {
  const path = join(folder, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'config.json'), '{}');
  return path;
}

test('when a process is alive or gone, then processAlive says so', () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(deadPid()), false);
});

test('when a folder holds temporaries of dead and live processes, then only the dead ones of the kind asked are removed', () => {
  const dir = tempDir();
  const dead = leftover(dir, '.a.creating-101');
  const live = leftover(dir, '.b.creating-102');
  const other = leftover(dir, '.a.writing-101');
  const plain = leftover(dir, 'a.creating-101'); // not hidden: not ours
  const removed = removeStaleTemporaries(dir, 'creating', (pid) => pid === 102);
  assert.deepEqual(removed, [dead]);
  assert.ok(!existsSync(dead));
  for (const kept of [live, other, plain]) assert.ok(existsSync(kept), kept);
});

test('when a new run is created in a runs folder with a dead process\'s .creating- temporary, then it is removed and a live one is kept', () => {
  const root = tempDir();
  const stale = leftover(root, `.killed.creating-${deadPid()}`);
  const live = leftover(root, `.busy.creating-${process.ppid}`);
  createRunDir(root, 'fresh', { config: {}, manifest: testManifest() });
  assert.ok(!existsSync(stale), 'the dead process\'s temporary is gone');
  assert.ok(existsSync(live), 'a live process\'s temporary is kept');
});

test('when a run is exported beside a dead process\'s .writing- temporary, then it is removed (default and --out folders)', async () => {
  const root = tempDir();
  const run = createRunDir(root, 'exported', { config: { seed: 3 }, manifest: testManifest(3) });
  const journal = Journal.open(run.journalPath, { fsync: false });
  for (const e of syntheticEvents(3, 2, 4)) journal.append(e);
  journal.close();
  const pid = deadPid();
  const inRun = leftover(run.path, `.export.writing-${pid}`);
  const outParent = join(root, 'elsewhere');
  const beside = leftover(outParent, `.out.writing-${pid}`);
  assert.equal(await main(['export', run.path], memoryIo()), EXIT.ok);
  assert.ok(!existsSync(inRun), 'the temporary beside <run>/export is gone');
  assert.equal(await main(['export', run.path, '--out', join(outParent, 'out')], memoryIo()), EXIT.ok);
  assert.ok(!existsSync(beside), 'the temporary beside --out is gone');
});
