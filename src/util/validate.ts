/**
 * Validation of a parsed value with a zod schema, errors rendered for people (STYLE.md 3).
 * In util/ so that any folder can validate at its edge without importing config/ (which
 * composes the schemas of evaluate/, data/ and models/: importing it back would be a cycle).
 */
import { z } from 'zod';
import { EvonormError } from './errors.js';

/** Validates `value` with `schema`; problems are listed one per line with their path (BAD_CONFIG). */
export function validateWith<S extends z.ZodType>(schema: S, value: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new EvonormError('BAD_CONFIG', `config ${source} is invalid:\n${indent(z.prettifyError(result.error))}`, result.error.issues);
  }
  return result.data;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
