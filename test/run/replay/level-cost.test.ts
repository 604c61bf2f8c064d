/** What each promotion level cost, read from a journal (src/run/replay/level-cost.ts) and shown by status. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JournalEvent } from '../../../src/run/journal/events.js';
import { describeLevelCosts, levelCosts } from '../../../src/run/replay/level-cost.js';

const arch = (cpuMs?: number) => ({ arch: 'resnet', ms: 1, ...(cpuMs !== undefined ? { cpuMs } : {}) });
const ok = (archs: ReturnType<typeof arch>[]) => ({ status: 'ok', objectives: [0.5], costMs: 1, archs });
const evaluated = (id: number, evaluation: object, cached = false) => ({ type: 'evaluated', t: 't', id, fingerprint: 'f', hash: 'h', evaluation, cached });
const promoted = (id: number, level: number, evaluation: object, cached = false) => ({ ...evaluated(id, evaluation, cached), type: 'promotion-evaluated', level });

test('when a journal has evaluations at several levels, then each level sums its own trainings\' CPU once per candidate, cache hits and probe rejections apart', () => {
  const events = [
    { type: 'run-started', t: 't', seed: 1, resumed: false },
    ...[0, 1, 2].map((id) => ({ type: 'proposed', t: 't', id, batch: 0, hash: 'h', expression: 'x', parentId: null, origin: 'random', mutation: null })),
    evaluated(0, ok([arch(1000), arch(2000)])),
    evaluated(1, { status: 'rejected', stage: 'stability', reason: 'r', costMs: 5 }),
    evaluated(2, ok([arch(9999)]), true),
    promoted(0, 1, ok([arch(5000), arch(6000)])),
    // A resumed run may journal a level's result again: the first one counts.
    promoted(0, 1, ok([arch(70000)])),
    promoted(0, 2, ok([arch(40000), arch()])),
    { type: 'generation', t: 't', batch: 0, proposed: 3, evaluated: 3, rejected: 1, cacheHits: 1 },
  ] as unknown as JournalEvent[];
  assert.deepEqual(levelCosts(events, 2), [
    { level: 0, evaluated: 2, cached: 1, trainingCpuMs: 3000, trainingsWithoutCpu: 0 },
    { level: 1, evaluated: 1, cached: 0, trainingCpuMs: 11000, trainingsWithoutCpu: 0 },
    { level: 2, evaluated: 1, cached: 0, trainingCpuMs: 40000, trainingsWithoutCpu: 1 },
  ]);
  assert.equal(levelCosts(events, 3).length, 4, 'a configured level nothing reached yet is listed, empty');
  const line = describeLevelCosts(levelCosts(events, 2));
  assert.match(line, /^training CPU by level: 0: 0\.00 h \(2 evaluated, 1 cached\), 1: 0\.00 h \(1 evaluated\), 2: 0\.01 h \(1 evaluated\); 94% above level 0 \(1 training journaled no CPU time, not counted\)$/);
});
