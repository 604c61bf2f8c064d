/**
 * The run manifest: the facts needed to reproduce or explain a run (seed, versions, backend,
 * machine, start time, argv). Written once, when the run folder is created.
 */
import { readFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

export const ManifestSchema = z.looseObject({
  format: z.literal('evonorm.manifest'),
  version: z.literal(1),
  /** The run seed. */
  seed: z.union([z.number(), z.string()]),
  /** evonorm's package version. */
  evonormVersion: z.string(),
  /** process.version, e.g. "v20.19.0". */
  nodeVersion: z.string(),
  /** @tensorflow/tfjs version, or null when unknown. */
  tfjsVersion: z.string().nullable(),
  /**
   * The tfjs backend the run's evaluations started on: "tensorflow", "wasm" or "cpu" (what
   * "auto" resolved to, recorded once the evaluation pool is up); "none" for the fast objective.
   */
  backend: z.string(),
  /** The backend the config asked for ("auto", "wasm", …), when it differs from `backend`. */
  backendRequested: z.string().optional(),
  hostname: z.string(),
  /** Model name of the first CPU, e.g. "AMD EPYC 7B13". */
  cpuModel: z.string(),
  cpuCount: z.number().int().nonnegative(),
  /** ISO time the run was created. */
  startedAt: z.iso.datetime({ offset: true }),
  /** The command line (process.argv without the node executable). */
  argv: z.array(z.string()),
  /**
   * The held-out test split the search never sees (`evonorm rerank` scores on it): which split
   * and how it is carved out; null when the data set has none. Absent in older runs.
   */
  heldOut: z.object({ split: z.literal('test'), rule: z.string() }).nullable().optional(),
});

export type Manifest = z.infer<typeof ManifestSchema>;

/** What the caller knows; the machine facts are read from the OS. */
export interface ManifestInput {
  readonly seed: number | string;
  readonly evonormVersion: string;
  readonly tfjsVersion: string | null;
  readonly backend: string;
  readonly argv: readonly string[];
  /** Default: now. */
  readonly startedAt?: Date;
  /** The held-out split (describeHeldOut of the data config); default absent. */
  readonly heldOut?: { readonly split: 'test'; readonly rule: string } | null;
}

/** Builds a manifest from the caller's facts plus node version, hostname and CPU of this machine. */
export function buildManifest(input: ManifestInput): Manifest {
  const cpu = cpus();
  return {
    format: 'evonorm.manifest',
    version: 1,
    seed: input.seed,
    evonormVersion: input.evonormVersion,
    nodeVersion: process.version,
    tfjsVersion: input.tfjsVersion,
    backend: input.backend,
    hostname: hostname(),
    cpuModel: cpu[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpu.length,
    startedAt: (input.startedAt ?? new Date()).toISOString(),
    argv: [...input.argv],
    ...(input.heldOut !== undefined ? { heldOut: input.heldOut } : {}),
  };
}

/**
 * Records in the manifest at `path` the backend the evaluations actually run on (what "auto"
 * resolved to), keeping the request as `backendRequested`. Atomic; a no-op when it is the same.
 */
export function recordBackend(path: string, backend: string): void {
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  if (manifest.backend === backend) return;
  const updated = { ...manifest, backend, backendRequested: manifest.backendRequested ?? manifest.backend };
  writeFileAtomic.sync(path, `${JSON.stringify(updated, null, 2)}\n`, { fsync: true });
}
