/**
 * The one plain-text table formatter: a header, a rule line under it (optional), aligned
 * columns two spaces apart, no trailing spaces. Used by `evaluate`, `status`, `doctor` and the
 * node table of `show`.
 */

export interface TableOptions {
  /** Columns (by index) aligned to the right, e.g. numbers. Default none. */
  readonly rightAligned?: ReadonlySet<number>;
  /** A line of dashes under the header. Default true. */
  readonly rule?: boolean;
  /** Text before every line, e.g. two spaces of indent. Default ''. */
  readonly indent?: string;
}

/** Formats rows under a header as aligned text lines joined by newlines (no final newline). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const { rightAligned = new Set<number>(), rule = true, indent = '' } = options;
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    `${indent}${header.map((_, i) => {
      const cell = r[i] ?? '';
      return rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
    }).join('  ')}`.trimEnd();
  return [line(header), ...(rule ? [line(widths.map((w) => '-'.repeat(w)))] : []), ...rows.map(line)].join('\n');
}
