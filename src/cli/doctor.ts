/**
 * `evonorm doctor`: what this machine can run — versions, threads, which tfjs backends load and
 * why not, a one-step training per backend compared with wasm, and what a CUDA user must
 * install for @tensorflow/tfjs-node-gpu. What a user runs first, and what a bug report quotes.
 */
import { Option, type Command } from 'commander';
import type { CommandContext } from './context.js';
import { EXIT } from '../util/errors.js';
import { version } from './version.js';
import { formatTable } from '../util/table.js';
import { AGREEMENT_TOLERANCE, DOCTOR_BACKENDS, type DoctorBackend } from './doctor-backends.js';
import type { DoctorReport } from './doctor-checks.js';

export function registerDoctor(program: Command, ctx: CommandContext): void {
  program
    .command('doctor')
    .description('check this machine: versions, threads, tfjs backends (and why not), a one-step training per backend compared with wasm, CUDA needs')
    .addOption(new Option('--backend <name...>', 'only these backends').choices(DOCTOR_BACKENDS))
    .option('--json', 'print one JSON document instead of text')
    .action(async (opts: { backend?: DoctorBackend[]; json?: boolean }) => {
      const { runDoctor } = await import('./doctor-checks.js'); // loads tfjs: only when doctor runs
      const report = await runDoctor(version(), opts.backend ?? DOCTOR_BACKENDS);
      ctx.io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
      if (!report.ok) ctx.exit(EXIT.failure);
    });
}

/** The report as text for people. */
export function formatDoctor(report: DoctorReport): string {
  const m = report.machine;
  const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : String(v));
  const rows = report.backends.map((b) => [
    b.name,
    b.available ? 'loads' : 'no',
    b.step ? fmt(b.step.trainLoss) : '-',
    b.step ? fmt(b.step.valLoss) : '-',
    b.step ? b.step.valAccuracy.toFixed(4) : '-',
    b.name === 'wasm' ? (b.step ? 'reference' : '-') : b.differenceToWasm !== undefined ? `${b.differenceToWasm.toExponential(1)} ${b.agreesWithWasm ? 'ok' : 'MISMATCH'}` : '-',
    b.step ? `${(b.step.ms / 1000).toFixed(1)}s` : '-',
  ]);
  const lines = [
    'versions',
    ...Object.entries(report.versions).map(([k, v]) => `  ${k.padEnd(32)}${v ?? 'not installed'}`),
    '',
    'machine',
    `  ${m.platform} ${m.arch}, ${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB`,
    `  worker threads (dispatch.workers "auto"): ${m.workerThreads}; wasm backend threads: ${m.wasmThreads ?? '-'}`,
    `  GPU: ${m.nvidia}`,
    '',
    `backends (one SGD step of a ResNet proxy with EvoNorm-S0 on synthetic bars; agreement: |Δ| ≤ ${AGREEMENT_TOLERANCE} to wasm)`,
    ...formatTable(['backend', 'status', 'train loss', 'val loss', 'val acc', 'vs wasm', 'time'], rows).split('\n').map((l) => `  ${l}`),
    ...report.backends.map((b) => `  ${b.name}: ${b.note}${b.stepError ? `; training step failed: ${b.stepError}` : ''}`),
    '',
    `GPU training (backend tensorflow) needs ${report.cuda.package}:`,
    `  libtensorflow ${report.cuda.libtensorflow}, on ${report.cuda.platforms.join(' or ')}`,
    `  NVIDIA driver ${report.cuda.nvidiaDriver}; CUDA Toolkit ${report.cuda.cudaToolkit}; cuDNN ${report.cuda.cudnn}`,
    ...report.cuda.steps.map((s, i) => `  ${i + 1}. ${s}`),
    '  known problems:',
    ...report.cuda.knownProblems.map((p) => `  - ${p}`),
    `  (source: ${report.cuda.source})`,
    '',
    report.ok ? 'ok' : 'PROBLEM: no backend loads, a training step failed, or a backend disagrees with wasm',
    '',
  ];
  return lines.join('\n');
}
