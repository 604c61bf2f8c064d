/** `evonorm doctor` (issue 8): backends here (wasm, cpu; tensorflow is not installed), steps compared with wasm. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { EXIT } from '../../src/util/errors.js';
import type { DoctorReport } from '../../src/cli/doctor-checks.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(argv, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('when doctor runs with --json, then wasm and cpu load, each trains one step, and cpu agrees with wasm', async () => {
  const { code, out } = await cli('doctor', '--json');
  const report = JSON.parse(out) as DoctorReport;
  assert.equal(code, report.ok ? EXIT.ok : EXIT.failure);
  assert.equal(report.versions.node, process.version);
  assert.match(String(report.versions['@tensorflow/tfjs']), /^4\.\d+\.\d+$/);
  assert.ok(report.machine.workerThreads >= 1);
  const byName = new Map(report.backends.map((b) => [b.name, b]));
  assert.deepEqual([...byName.keys()], ['tensorflow', 'wasm', 'cpu']);
  for (const name of ['wasm', 'cpu'] as const) {
    const b = byName.get(name)!;
    assert.equal(b.available, true, b.note);
    assert.ok(b.step && Number.isFinite(b.step.trainLoss) && Number.isFinite(b.step.valLoss), JSON.stringify(b));
    assert.ok(b.step.valAccuracy >= 0 && b.step.valAccuracy <= 1);
  }
  const cpu = byName.get('cpu')!;
  assert.equal(typeof cpu.differenceToWasm, 'number');
  assert.equal(cpu.agreesWithWasm, true, `cpu differs from wasm by ${cpu.differenceToWasm}`);
  const tensorflow = byName.get('tensorflow')!;
  // This machine has no @tensorflow/tfjs-node(-gpu): doctor says why instead of failing.
  if (!tensorflow.available) assert.match(tensorflow.note, /not installed|failed to load|did not initialise/);
  assert.match(report.cuda.cudaToolkit, /^11\.2/);
  assert.match(report.cuda.cudnn, /^8\.1/);
  // The libtensorflow download's 403 and the mirror override are stated, not left to be rediscovered.
  assert.ok(report.cuda.knownProblems.some((p) => p.includes('403') && p.includes('tfjs#8742')));
  assert.ok(report.cuda.steps.some((s) => s.includes('TFJS_NODE_CDN_STORAGE')));
  assert.equal(report.ok, true);
});

test('when doctor prints text, then it shows the backend table and what a CUDA machine needs', async () => {
  const { code, out } = await cli('doctor', '--backend', 'cpu');
  assert.equal(code, EXIT.ok);
  assert.match(out, /^\s+cpu\s+loads\s+\d\.\d{6}/m);
  assert.match(out, /CUDA Toolkit 11\.2/);
  assert.match(out, /tfjs-node-gpu@4\.22\.0/);
  assert.doesNotMatch(out, /^\s+wasm\s/m, 'only the backend asked for');
});

test('when doctor gets --backend gpu, then it exits 2 with the choices', async () => {
  const { code, err } = await cli('doctor', '--backend', 'gpu');
  assert.equal(code, EXIT.usage);
  assert.match(err, /tensorflow, wasm, cpu/);
});
