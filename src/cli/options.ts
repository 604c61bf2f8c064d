/**
 * Parsers of option values, run by commander as it reads the command line (STYLE.md 3:
 * validate at the edge). A bad value is commander's `invalidArgument` error, which names the
 * option, and exit 2 — it never reaches the core as NaN or a silently rounded number.
 */
import { InvalidArgumentError, Option } from 'commander';
// Light files only: options are built at start-up, for every command (issue 18, item 4).
import { BACKENDS } from '../tensor/backends.js';
import { MAX_WORKERS } from '../config/limits.js';

/** A parser of whole numbers in [min, max], written in plain decimal digits ("1e3", "1.5", "0x10" are refused). */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const text = value.trim();
    if (!/^[-+]?\d+$/.test(text)) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, written in digits.`);
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** Largest --max-candidates: a billion (the fast objective runs ~50,000 a minute). */
export const MAX_CANDIDATES = 1_000_000_000;
/** Largest --max-nodes: the most nodes a layer file may have (src/graph/json.ts). */
export const MAX_NODES_OPTION = 1000;

/** `--workers <n>`: a count in [1, MAX_WORKERS] or "inline". */
export function parseWorkers(value: string): number | 'inline' {
  if (value.trim() === 'inline') return 'inline';
  try {
    return integerIn(1, MAX_WORKERS)(value);
  } catch {
    throw new InvalidArgumentError(`expected "inline" or a whole number of worker threads from 1 to ${MAX_WORKERS}.`);
  }
}

/** A run name: one path segment of letters, digits, _ . - and at most 200 characters. */
export function parseRunName(value: string): string {
  if (!/^[\w.-]+$/.test(value) || value === '.' || value === '..') throw new InvalidArgumentError('a run name is one folder name: letters, digits, _ . - only.');
  if (value.length > 200) throw new InvalidArgumentError(`at most 200 characters (got ${value.length}).`);
  return value;
}

/** `--backend <name>` with its choices: auto or a backend of src/tensor/backends.ts. */
export function backendOption(description: string): Option {
  return new Option('--backend <name>', description).choices(BACKENDS);
}

/** `--reuse <folder>` of rerank and fidelity, repeatable: src/protocol/reuse-results.ts. */
export function reuseOption(): Option {
  return new Option('--reuse <folder>', 'a results folder or results.jsonl of another command (rerank, fidelity, compare) whose trainings with the same key (same protocol, layer function, seed, settings) are copied in instead of trained again; repeatable')
    .argParser((value: string, previous: string[] = []) => [...previous, value]);
}

/** `--max-nodes <n>` of show and validate. */
export function maxNodesOption(): Option {
  return new Option('--max-nodes <n>', 'most intermediate nodes allowed').argParser(integerIn(1, MAX_NODES_OPTION)).default(10);
}
