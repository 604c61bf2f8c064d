/**
 * Evaluate-level check of kernel changes: the same candidates through the same evaluation
 * (configs/quick.json's `evaluation`, backend wasm: static checks, stability probe, quality
 * check, 200-step trainings of the three proxies at 14×14) with a set of SIMD kernel families on
 * and off, interleaved candidate by candidate. Prints each evaluation's status, rejection reason
 * or accuracies, the largest accuracy difference, and the CPU time of each side.
 *
 * Usage: node --import tsx scripts/bench-evaluate-parity.ts [--layers bn-relu,evonorm-s0,evonorm-b0]
 *          [--off conv,evonorm-s0] [--seed 0] [--config configs/quick.json]
 * --off: the families (src/tensor/wasm-kernels/simd SIMD_FAMILIES) the "off" side turns off.
 * Writes bench-results/evaluate-parity.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadEvaluationConfig } from '../src/config/evaluation-config.js';
import { createProxyEvaluator } from '../src/evaluate/proxy.js';
import { zooLayer } from '../src/graph/zoo.js';
import { functionalFingerprint } from '../src/tensor/fingerprint.js';
import { SIMD_FAMILIES, setSimdFamilyEnabled, type SimdFamily } from '../src/tensor/wasm-kernels/simd/index.js';
import { benchLayers } from './proxy-twin.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};
const LAYERS = opt('layers', 'bn-relu,evonorm-s0,evonorm-b0').split(',');
const OFF = opt('off', SIMD_FAMILIES.join(',')).split(',') as SimdFamily[];
const SEED = Number(opt('seed', '0'));
const CONFIG = opt('config', 'configs/quick.json');

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const evaluator = await createProxyEvaluator(loadEvaluationConfig(CONFIG, 'wasm'));
const load0 = loadavg();
const rows: Array<Record<string, unknown>> = [];
console.log(`evaluate parity: ${CONFIG} evaluation on ${evaluator.backend}, seed ${SEED}; "off" = SIMD families ${OFF.join(', ')} off; ${cpus().length} × ${cpus()[0]?.model ?? '?'}`);
for (const name of LAYERS) {
  const graph = benchLayers().find((l) => l.name === name)?.graph ?? zooLayer(name);
  const sides: Record<string, { status: string; objectives?: number[]; reason?: string; cpu: number; load: number }> = {};
  for (const side of ['on', 'off'] as const) {
    for (const f of OFF) setSimdFamilyEnabled(f, side === 'on');
    const load = loadavg()[0]!;
    const c0 = cpuSeconds();
    const r = await evaluator.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: SEED });
    const cpu = cpuSeconds() - c0;
    const res = r as unknown as { status: string; objectives?: readonly number[]; reason?: string; code?: string };
    sides[side] = { status: res.status, objectives: res.objectives ? [...res.objectives] : undefined, reason: res.reason ?? res.code, cpu, load };
    console.log(`  ${name} (${side}): ${res.status}${res.objectives ? ` ${res.objectives.map((a) => a.toFixed(4)).join(' ')}` : ` ${res.reason ?? res.code ?? ''}`} — ${cpu.toFixed(1)} CPU-s, load ${load.toFixed(1)}`);
  }
  for (const f of SIMD_FAMILIES) setSimdFamilyEnabled(f, true);
  const on = sides.on!.objectives;
  const off = sides.off!.objectives;
  const maxDiff = on && off ? Math.max(...on.map((a, i) => Math.abs(a - off[i]!))) : NaN;
  console.log(`  ${name}: same status ${sides.on!.status === sides.off!.status}, largest accuracy difference ${Number.isNaN(maxDiff) ? '—' : maxDiff.toExponential(2)}, CPU on/off ${(sides.on!.cpu / sides.off!.cpu).toFixed(2)}`);
  rows.push({ layer: name, ...sides, maxDiff });
}
evaluator.dispose();
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/evaluate-parity.json', JSON.stringify({ date: new Date().toISOString(), argv: args, config: CONFIG, seed: SEED, off: OFF, loadavg: { start: load0, end: loadavg() }, rows }, null, 2));
