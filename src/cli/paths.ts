/** Checks of paths given on the command line, before anything is written there. */
import { statSync } from 'node:fs';
import { EvonormError } from '../util/errors.js';
import { fromOsError } from '../util/os-error.js';

/**
 * Refuses an output folder option (`--out`, `--runs-dir`) that names something other than a
 * folder (a file, /dev/null) with BAD_PATH (exit 3); a missing path is fine (it is created).
 */
export function assertFolderOrAbsent(path: string, option: string): void {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    const os = fromOsError(err);
    throw os ? new EvonormError(os.code, `${option} ${os.message}`, os.details) : err;
  }
  if (!stats.isDirectory()) throw new EvonormError('BAD_PATH', `${option} ${path} is not a folder (it is a ${stats.isFile() ? 'file' : 'device, FIFO or socket'})`, { path });
}
