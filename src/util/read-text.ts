/**
 * Reads a text file the user named, refusing what would hang or flood memory: a missing path
 * (MISSING_FILE), a folder, a FIFO, a device such as /dev/zero (BAD_PATH: not a regular file),
 * and a file larger than `maxBytes` (BAD_INPUT). OS errors become EvonormErrors (os-error.ts).
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { EvonormError } from './errors.js';
import { fromOsError } from './os-error.js';

/** Default cap on a config or layer file: 4 MiB (configs are a few kB). */
export const MAX_TEXT_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The UTF-8 text of the regular file at `path`. `what` names the file in messages (e.g.
 * "config file"); `maxBytes` defaults to MAX_TEXT_FILE_BYTES.
 */
export function readTextFile(path: string, what: string, maxBytes: number = MAX_TEXT_FILE_BYTES): string {
  let kind: ReturnType<typeof statSync>;
  try {
    kind = statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EvonormError('MISSING_FILE', `${what} ${path} not found`, { path });
    throw fromOsError(err) ?? err;
  }
  if (kind.isDirectory()) throw new EvonormError('BAD_PATH', `${what} ${path} is a folder, not a file`, { path });
  if (!kind.isFile()) throw new EvonormError('BAD_PATH', `${what} ${path} is not a regular file (a FIFO, socket or device cannot be read as one)`, { path });
  if (kind.size > maxBytes) throw new EvonormError('BAD_INPUT', `${what} ${path} is ${kind.size} bytes, more than the ${maxBytes} allowed`, { path });
  let fd: number | undefined;
  try {
    // Read through one descriptor, at most maxBytes + 1: the file may have grown since stat.
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) throw new EvonormError('BAD_PATH', `${what} ${path} is not a regular file`, { path });
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new EvonormError('BAD_INPUT', `${what} ${path} is larger than the ${maxBytes} bytes allowed`, { path });
    return buffer.toString('utf8', 0, length);
  } catch (err) {
    throw fromOsError(err) ?? err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
