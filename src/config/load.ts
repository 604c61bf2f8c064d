/**
 * Loads a config file: JSON with comments (JSONC), validated once at the edge by a zod schema
 * (STYLE.md 3). Errors are rendered for people and carry a stable code, never a stack trace.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { EvonormError } from '../util/errors.js';
import { readTextFile } from '../util/read-text.js';
import { validateWith } from '../util/validate.js';
import { duplicateKeys, jsoncDepth, MAX_CONFIG_DEPTH } from './jsonc-limits.js';

/**
 * Parses JSONC text; syntax errors, nesting deeper than MAX_CONFIG_DEPTH and duplicate keys
 * are BAD_CONFIG naming the file, line and column.
 */
export function parseJsoncText(text: string, source: string): unknown {
  const { depth, offset } = jsoncDepth(text);
  if (depth > MAX_CONFIG_DEPTH) {
    const { line, column } = lineColumn(text, offset);
    throw new EvonormError('BAD_CONFIG', `config ${source} is nested ${depth} levels deep at ${line}:${column}; at most ${MAX_CONFIG_DEPTH} are allowed`);
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const lines = errors.slice(0, 5).map((e) => {
      const { line, column } = lineColumn(text, e.offset);
      return `  ${source}:${line}:${column}: ${printParseErrorCode(e.error)}`;
    });
    throw new EvonormError('BAD_CONFIG', `config ${source} is not valid JSON:\n${lines.join('\n')}`);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) {
    const lines = duplicates.slice(0, 5).map((d) => {
      const { line, column } = lineColumn(text, d.offset);
      return `  ${source}:${line}:${column}: duplicate key "${d.path}" (which one counts would be a guess)`;
    });
    throw new EvonormError('BAD_CONFIG', `config ${source} has duplicate keys:\n${lines.join('\n')}`);
  }
  return value;
}

export { validateWith };

/** Reads a config file's text: a regular file of bounded size (src/util/read-text.ts). */
export function readConfigText(path: string): string {
  return readTextFile(path, 'config file');
}

/** Reads, parses and validates a config file. */
export function loadConfigFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  return validateWith(schema, parseJsoncText(readConfigText(path), path), path);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
