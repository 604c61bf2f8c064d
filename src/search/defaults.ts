/**
 * The evolver's defaults, written once: evolverOptions, searchSpace and mutationOptions fill
 * missing settings from here, and the run config's schema (src/config/run-config.ts) uses the
 * same values as its defaults.
 */
export const EVOLVER_DEFAULTS = {
  populationSize: 100,
  tournamentSize: 25,
  rejectedJoinPopulation: true,
  /** Search space: most and fewest intermediate nodes of a graph. */
  maxNodes: 10,
  minNodes: 1,
} as const;
