/** Where a run's report goes by default: `runs/<name>/report.html`. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The report's file name inside the run folder. */
export const REPORT_FILE = 'report.html';

/** The default report path of the run folder at `runPath`. */
export function defaultReportPath(runPath: string): string {
  return join(runPath, REPORT_FILE);
}

/** The line `evonorm status` prints about the report: its path and when it was written, or how to write one. */
export function reportLine(runPath: string): string {
  const path = defaultReportPath(runPath);
  if (!existsSync(path)) return `report: none yet (write one with: evonorm report ${runPath})`;
  return `report: ${path} (written ${statSync(path).mtime.toISOString().slice(0, 19).replace('T', ' ')} UTC)`;
}
