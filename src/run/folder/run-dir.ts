/**
 * The run folder `runs/<name>/` (ARCHITECTURE.md "Storage"): creating a new one, opening an
 * existing one, and reading its config and manifest.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { EvonormError } from '../../util/errors.js';
import { removeStaleTemporaries } from '../../util/stale-temporaries.js';
import { RUN_FILES } from './files.js';
import { ManifestSchema, type Manifest } from './manifest.js';

/** Paths of one run folder. */
export interface RunDir {
  /** Absolute path of the folder. */
  readonly path: string;
  /** The folder's name, used as the run's name. */
  readonly name: string;
  readonly configPath: string;
  readonly manifestPath: string;
  readonly journalPath: string;
  readonly checkpointPath: string;
  readonly logPath: string;
  readonly exportPath: string;
}

/** The paths of the run folder at `path` (nothing is checked). */
export function runDirAt(path: string): RunDir {
  const abs = resolve(path);
  return {
    path: abs,
    name: basename(abs),
    configPath: join(abs, RUN_FILES.config),
    manifestPath: join(abs, RUN_FILES.manifest),
    journalPath: join(abs, RUN_FILES.journal),
    checkpointPath: join(abs, RUN_FILES.checkpoint),
    logPath: join(abs, RUN_FILES.log),
    exportPath: join(abs, RUN_FILES.export),
  };
}

export interface CreateRunDirInput {
  /** The resolved config (any JSON value). */
  readonly config: unknown;
  readonly manifest: Manifest;
}

/**
 * Creates the run folder `<root>/<name>/` with config.json, manifest.json and an empty
 * journal.jsonl, atomically: the folder is built under a hidden temporary name beside it
 * (`.<name>.creating-<pid>`) and renamed into place once complete, so a crash or kill -9 at any
 * moment leaves either a complete run folder or none (only the hidden temporary, which
 * `evonorm runs` ignores). Refuses to touch an existing, non-empty folder
 * (EvonormError('BAD_RUN'), with a hint to resume it instead). A name with path separators is
 * EvonormError('BAD_INPUT').
 */
export function createRunDir(root: string, name: string, input: CreateRunDirInput): RunDir {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new EvonormError('BAD_INPUT', `invalid run name "${name}": a run name is a single folder name`);
  }
  const manifest = ManifestSchema.safeParse(input.manifest);
  if (!manifest.success) {
    throw new EvonormError('INTERNAL', `invalid run manifest:\n${z.prettifyError(manifest.error)}`);
  }
  const run = runDirAt(join(root, name));
  if (existsSync(run.path) && (!statSync(run.path).isDirectory() || readdirSync(run.path).length > 0)) {
    throw new EvonormError(
      'BAD_RUN',
      `run ${run.path} already exists; continue it with --resume ${run.path}, or choose another --name`,
      { path: run.path },
    );
  }
  const parent = dirname(run.path);
  mkdirSync(parent, { recursive: true });
  removeStaleTemporaries(parent, 'creating'); // left by runs killed while being created
  const building = runDirAt(join(parent, `.${run.name}.creating-${process.pid}`));
  rmSync(building.path, { recursive: true, force: true });
  try {
    mkdirSync(building.path);
    writeFileAtomic.sync(building.configPath, `${JSON.stringify(input.config, null, 2)}\n`, { fsync: true });
    writeFileAtomic.sync(building.manifestPath, `${JSON.stringify(manifest.data, null, 2)}\n`, { fsync: true });
    writeFileSync(building.journalPath, '', { flag: 'wx' });
    // rename(2) replaces an empty folder and fails on a non-empty one: a run created meanwhile is kept.
    renameSync(building.path, run.path);
  } catch (err) {
    rmSync(building.path, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new EvonormError('BAD_RUN', `run ${run.path} already exists; continue it with --resume ${run.path}, or choose another --name`, { path: run.path });
    }
    throw err;
  }
  syncFolder(parent);
  return run;
}

/** Fsyncs a folder so a rename inside it is on disk (best effort: some systems refuse it). */
function syncFolder(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // not supported here; the rename is still atomic
  }
}

/**
 * Opens an existing run folder. Throws EvonormError('BAD_RUN') when the folder does not exist
 * or is not a folder, and EvonormError('MISSING_FILE') naming the file when config.json,
 * manifest.json or journal.jsonl is missing.
 */
export function openRunDir(path: string): RunDir {
  const run = runDirAt(path);
  if (!existsSync(run.path)) throw new EvonormError('BAD_RUN', `run folder ${run.path} not found; \`evonorm runs ${dirname(run.path)}\` lists the runs there`, { path: run.path });
  if (!statSync(run.path).isDirectory()) throw new EvonormError('BAD_RUN', `${run.path} is not a run folder (it is a file)`, { path: run.path });
  for (const file of [run.configPath, run.manifestPath, run.journalPath]) {
    if (!existsSync(file)) {
      throw new EvonormError(
        'MISSING_FILE',
        `${run.path} is not a complete run folder: ${basename(file)} is missing (not a run, or its start was interrupted)`,
        { path: file },
      );
    }
  }
  for (const file of [run.configPath, run.manifestPath, run.journalPath, run.checkpointPath, run.logPath]) {
    if (existsSync(file) && !statSync(file).isFile()) {
      throw new EvonormError('BAD_RUN', `${run.path} is not a usable run folder: ${basename(file)} is not a file`, { path: file });
    }
  }
  return run;
}

/**
 * The run's identity: the first 16 hex digits of the sha256 of its manifest.json, which is
 * written once when the folder is created (seed, machine, start time to the millisecond). Run
 * events and checkpoints record it, so parts of another run are recognised.
 */
export function runIdOf(run: RunDir): string {
  if (!existsSync(run.manifestPath)) throw new EvonormError('MISSING_FILE', `${run.manifestPath} not found`, { path: run.manifestPath });
  return createHash('sha256').update(readFileSync(run.manifestPath)).digest('hex').slice(0, 16);
}

/** The run's resolved config, as JSON (validate it with the config schema). EvonormError('BAD_RUN') when unreadable. */
export function readConfig(run: RunDir): unknown {
  return readJsonFile(run.configPath);
}

/** The run's manifest, validated. EvonormError('BAD_RUN') when unreadable or invalid. */
export function readManifest(run: RunDir): Manifest {
  const parsed = ManifestSchema.safeParse(readJsonFile(run.manifestPath));
  if (!parsed.success) {
    throw new EvonormError('BAD_RUN', `${run.manifestPath} is not a valid manifest:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function readJsonFile(path: string): unknown {
  if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `${path} not found`, { path });
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EvonormError('BAD_RUN', `${path} is corrupt (not JSON: ${(err as Error).message})`, { path });
  }
}
