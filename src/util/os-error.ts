/**
 * Operating-system errors (Node's `err.code` such as ENOTDIR) turned into EvonormErrors for
 * people: a path the user gave that cannot serve is BAD_PATH (exit 3); a machine that refuses
 * (disk full, I/O error) is OS_FAILURE (exit 1). Anything else is left alone.
 */
import { EvonormError } from './errors.js';

/** errno codes caused by the path itself, each with what it means. */
const PATH_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  ENAMETOOLONG: 'name too long for the file system',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ELOOP: 'too many symbolic links',
  ENOTEMPTY: 'folder not empty',
  EINVAL: 'invalid path or operation for this kind of file',
};

/** errno codes caused by the machine. */
const MACHINE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

/** The EvonormError for a Node system error, or undefined when `err` is not one we know. */
export function fromOsError(err: unknown): EvonormError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, path, dest, syscall } = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof code !== 'string') return undefined;
  const where = path ? `${path}${dest ? ` → ${dest}` : ''}` : 'a file';
  const doing = syscall ? ` (${syscall})` : '';
  if (code in PATH_ERRORS) return new EvonormError('BAD_PATH', `${where}: ${PATH_ERRORS[code]}${doing}`, { code, path });
  if (code in MACHINE_ERRORS) return new EvonormError('OS_FAILURE', `${where}: ${MACHINE_ERRORS[code]}${doing}`, { code, path });
  return undefined;
}
