// A module hook for test/cli/startup.test.ts: appends every module URL the process loads to the
// file named by EVONORM_LOAD_LOG. Registered with `node --import <this file>`.
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';

if (!import.meta.url.endsWith('#hooks')) {
  register(`${import.meta.url}#hooks`, { data: process.env.EVONORM_LOAD_LOG });
}

let logFile;
/** Hook: receives the log file's path. */
export function initialize(file) {
  logFile = file;
}
/** Hook: records each loaded module's URL. */
export async function load(url, context, next) {
  if (logFile) appendFileSync(logFile, `${url}\n`);
  return next(url, context);
}
