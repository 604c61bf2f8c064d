/**
 * Checks on JSONC text that the parser does not make: nesting depth (measured without
 * recursion, before the recursive parser runs, so a file nested 10,000 deep is refused instead
 * of overflowing the stack) and duplicate keys (JSON allows them; the last one silently wins).
 */
import { visit } from 'jsonc-parser';

/** Deepest nesting of objects and arrays a config may have (real configs use about 5). */
export const MAX_CONFIG_DEPTH = 64;

/** The deepest nesting of `{`/`[` in JSONC text, skipping strings and comments; never recurses. */
export function jsoncDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let deepest = 0;
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth > deepest) { deepest = depth; offset = i; }
    } else if (c === '}' || c === ']') {
      depth--;
    }
  }
  return { depth: deepest, offset };
}

/** Duplicate keys of JSONC text (whose depth was checked): key path and offset of each repeat. */
export function duplicateKeys(text: string): { path: string; offset: number }[] {
  const found: { path: string; offset: number }[] = [];
  const stack: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => void stack.push(new Set()),
    onObjectEnd: () => void stack.pop(),
    onObjectProperty: (key, offset, _length, _line, _column, pathSupplier) => {
      const keys = stack[stack.length - 1];
      if (!keys) return;
      if (keys.has(key)) found.push({ path: [...pathSupplier(), key].join('.'), offset });
      keys.add(key);
    },
  }, { allowTrailingComma: true, disallowComments: false });
  return found;
}
