/** The names of the files in a run folder (ARCHITECTURE.md "Storage"). */
export const RUN_FILES = {
  /** The resolved config, as the run used it. */
  config: 'config.json',
  /** Seed, versions, backend, machine, start time, argv. */
  manifest: 'manifest.json',
  /** Append-only events: the source of truth. */
  journal: 'journal.jsonl',
  /** Atomic snapshot of the evolver and counters, for a fast resume. */
  checkpoint: 'checkpoint.json',
  /** pino JSON lines. */
  log: 'log.jsonl',
  /** Default folder of exportRun. */
  export: 'export',
} as const;
