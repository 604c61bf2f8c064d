/**
 * Memory one evaluation worker thread adds to the process (the figure behind the worker cap in
 * src/dispatch/worker-cap.ts). Starts a thread pool of `n` workers on configs/quick.json, then
 * has every worker evaluate one layer, and prints the process RSS growth per worker
 * (bench-results/worker-memory.json; figures in BENCHMARKS.md).
 * Usage: node --import tsx scripts/bench-worker-memory.ts [workers=2] [config=configs/quick.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadConfigFile } from '../src/config/load.js';
import { RunConfigSchema } from '../src/config/run-config.js';
import { evaluatorSpec } from '../src/run/loop/start-search.js';
import { createThreadPool } from '../src/dispatch/thread-pool.js';
import { functionalFingerprint } from '../src/tensor/fingerprint.js';
import { resolveLayer } from '../src/graph/index.js';

const n = Number(process.argv[2] ?? 2);
const config = loadConfigFile(process.argv[3] ?? 'configs/quick.json', RunConfigSchema);
const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
const before = process.memoryUsage().rss;
const pool = await createThreadPool(evaluatorSpec(config).spec, n);
const ready = process.memoryUsage().rss;
let peak = ready;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
const { graph } = resolveLayer('evonorm-b0', { maxNodes: 10 });
const started = Date.now();
await Promise.all(Array.from({ length: n }, (_, i) => pool.evaluate({ graph, fingerprint: functionalFingerprint(graph), seed: i })));
clearInterval(sampler);
const after = process.memoryUsage().rss;
await pool.close();
const figures = {
  workers: n, rssBeforeMiB: mib(before), rssReadyMiB: mib(ready), rssAfterOneEvaluationMiB: mib(after), rssPeakMiB: mib(peak),
  perWorkerReadyMiB: mib((ready - before) / n), perWorkerPeakMiB: mib((peak - before) / n), evaluationSeconds: (Date.now() - started) / 1000,
};
for (const [key, value] of Object.entries(figures)) console.log(`${key} ${value}`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/worker-memory.json', `${JSON.stringify({ ...figures, load: loadavg() }, null, 2)}\n`);
