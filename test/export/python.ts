/** Finding a python3 with torch for the parity tests (Debian's python3-torch at /usr/bin/python3). */
import { spawnSync } from 'node:child_process';

/** The python to use: $EVONORM_PYTHON alone when set, else /usr/bin/python3, else python3 on PATH. */
export function pythonCandidates(): string[] {
  const chosen = process.env.EVONORM_PYTHON;
  return chosen ? [chosen] : ['/usr/bin/python3', 'python3'];
}

/** The first python that imports `module`, or why none does. */
export function findPython(module: string): { python?: string; reason: string } {
  const tried: string[] = [];
  for (const python of pythonCandidates()) {
    const r = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) return { python, reason: '' };
    tried.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { reason: `no python3 with ${module} (${tried.join('; ')})` };
}

/** True when running in CI, where a missing dependency must fail, not skip. */
export const IN_CI = process.env.CI === 'true';
