/** Default run names: `<config basename>-<yyyymmdd-hhmmss>` (local time; no randomness). */
import { basename } from 'node:path';

/**
 * The default name of a run started from `configPath` at `date`: the config file's name without
 * its extension (characters other than letters, digits, `.`, `_`, `-` become `-`), then the
 * local date and time, e.g. `configs/mnist.jsonc` at 2024-01-02 03:04:05 → `mnist-20240102-030405`.
 */
export function runNameFromConfig(configPath: string, date: Date = new Date()): string {
  const stem = basename(configPath).replace(/\.(jsonc?|json5)$/i, '');
  const clean = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'run';
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
  return `${clean}-${stamp}`;
}
