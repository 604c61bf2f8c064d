/**
 * How many worker threads this machine can hold: `search --workers 256` (the most a config may
 * ask for) once took 3 GiB within 21 s on a 2-core machine and would have needed ~80 GiB once
 * every worker had trained (issue 19). The pool starts min(requested, cores, memory / per-worker)
 * threads, at least one, and says why when that is fewer than asked.
 */
import { availableParallelism, freemem } from 'node:os';

/**
 * Resident memory one worker thread adds, in bytes, by objective. Measured with
 * scripts/bench-worker-memory.ts on a 2-core, 23 GiB Linux machine (Node 20, tfjs cpu backend):
 * proxy (configs/quick.json, MNIST 14×14, three proxies) 195 MiB once ready and 315 MiB at the
 * peak of its first evaluation; fast 48 MiB ready, 52 MiB after evaluating. Rounded up, as the
 * data set and proxies of other configs may be larger.
 */
export const WORKER_BYTES = { proxy: 384 * 2 ** 20, fast: 64 * 2 ** 20 } as const;

/** Share of the free memory the workers may take (the rest: the main thread, the OS, other processes). */
export const MEMORY_SHARE = 0.75;

/** What the machine offers: logical cores and free memory in bytes. */
export interface MachineCapacity {
  readonly cores: number;
  readonly freeBytes: number;
}

/** This machine now: os.availableParallelism() cores; the free memory, or the cgroup limit when lower. */
export function machineCapacity(): MachineCapacity {
  const limit = process.constrainedMemory?.() || Infinity; // 0 or undefined: no limit known
  return { cores: availableParallelism(), freeBytes: Math.min(freemem(), limit) };
}

/** The number of threads to start, and a sentence for stderr when it is fewer than `requested`. */
export interface WorkerCap {
  readonly workers: number;
  readonly warning?: string;
}

/**
 * Caps `requested` worker threads: at most one per core (the evaluations are CPU-bound, so more
 * threads only cost memory), and at most MEMORY_SHARE of `machine.freeBytes` at `perWorkerBytes`
 * each; never below 1.
 */
export function capWorkers(requested: number, perWorkerBytes: number, machine: MachineCapacity = machineCapacity()): WorkerCap {
  const byMemory = Math.max(1, Math.floor((machine.freeBytes * MEMORY_SHARE) / perWorkerBytes));
  const byCores = Math.max(1, machine.cores);
  const workers = Math.max(1, Math.min(requested, byCores, byMemory));
  if (workers === requested) return { workers };
  const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);
  const reason = byMemory < byCores
    ? `${gib(machine.freeBytes)} GiB free holds ${byMemory} at ~${Math.round(perWorkerBytes / 2 ** 20)} MiB each`
    : `this machine has ${byCores} core${byCores === 1 ? '' : 's'}, and more threads than cores only cost memory`;
  return { workers, warning: `starting ${workers} worker thread${workers === 1 ? '' : 's'}, not the ${requested} asked for: ${reason}` };
}
