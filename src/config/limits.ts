/**
 * Limits and checks of the run config that the CLI needs when it builds its options, before any
 * command runs: kept apart from run-config.ts (zod and the whole schema) so that start-up loads
 * only this file (issue 18, item 4). run-config.ts re-exports them.
 */

/** Most workers (threads, or Redis evaluations in flight) a run may ask for. */
export const MAX_WORKERS = 256;

/**
 * Why `name` cannot be a BullMQ queue name, or undefined when it can: BullMQ refuses an empty
 * name and a colon (it separates the parts of its Redis keys). The config and `worker --queue` both check here.
 */
export function queueNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'a queue name cannot be empty (the default is "evonorm")';
  if (name.includes(':')) return `a queue name cannot contain ":" (BullMQ uses it in its Redis keys); got "${name}"`;
  return undefined;
}
