/**
 * Loads a config file: JSON with comments (JSONC), validated once at the edge by a zod schema
 * (STYLE.md 3). Errors are rendered for people and carry a stable code, never a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { EvonormError } from '../util/errors.js';

/** Parses JSONC text; syntax errors name the file, line and column. */
export function parseJsoncText(text: string, source: string): unknown {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const lines = errors.slice(0, 5).map((e) => {
      const { line, column } = lineColumn(text, e.offset);
      return `  ${source}:${line}:${column}: ${printParseErrorCode(e.error)}`;
    });
    throw new EvonormError('BAD_CONFIG', `config ${source} is not valid JSON:\n${lines.join('\n')}`);
  }
  return value;
}

/** Validates a parsed value with `schema`; problems are listed one per line with their path. */
export function validateWith<S extends z.ZodType>(schema: S, value: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new EvonormError('BAD_CONFIG', `config ${source} is invalid:\n${indent(z.prettifyError(result.error))}`, result.error.issues);
  }
  return result.data;
}

/** Reads, parses and validates a config file. */
export function loadConfigFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> {
  if (!existsSync(path)) throw new EvonormError('MISSING_FILE', `config file ${path} not found`);
  return validateWith(schema, parseJsoncText(readFileSync(path, 'utf8'), path), path);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
