import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EvonormError } from '../../../src/util/errors.js';
import { acquireRunLock, readRunLock } from '../../../src/run/folder/lock.js';
import { tempDir } from '../helpers.js';

const root = tempDir();
const folder = (name: string): string => {
  const path = join(root, name);
  mkdirSync(path);
  return path;
};
/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

test('when a run is locked, then a second lock is refused with BAD_RUN naming the holder', () => {
  const path = folder('held');
  const lock = acquireRunLock(path, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
  assert.throws(() => acquireRunLock(path), (err: unknown) => {
    assert.ok(err instanceof EvonormError && err.code === 'BAD_RUN');
    assert.match(err.message, new RegExp(`pid ${process.pid} on ${hostname()}, since 2026-01-02T03:04:05`));
    return true;
  });
  lock.release();
  assert.equal(readRunLock(path).state, 'free');
  acquireRunLock(path).release();
});

test('when the lock was left by a process that is gone, then it is stale and a new lock replaces it', () => {
  const path = folder('stale');
  writeFileSync(join(path, 'lock.json'), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: new Date().toISOString() }));
  assert.equal(readRunLock(path).state, 'stale');
  const lock = acquireRunLock(path);
  assert.equal(readRunLock(path).state, 'held');
  lock.release();
  assert.equal(existsSync(join(path, 'lock.json')), false);
});

test('when lock.json is unreadable, then it counts as stale', () => {
  const path = folder('garbage');
  writeFileSync(join(path, 'lock.json'), '{"pid": ');
  assert.equal(readRunLock(path).state, 'stale');
  acquireRunLock(path).release();
});

test('when the holder is on another host, then the lock is held (unverified) and the message says how to clear it', () => {
  const path = folder('remote');
  writeFileSync(join(path, 'lock.json'), JSON.stringify({ pid: 4242, host: 'elsewhere.example', startedAt: new Date().toISOString() }));
  const status = readRunLock(path);
  assert.deepEqual(status.state === 'held' && status.verified, false);
  assert.throws(() => acquireRunLock(path), (err: unknown) => err instanceof EvonormError && /elsewhere\.example/.test(err.message) && /remove/.test(err.message));
});
