/** CSV writing (RFC 4180): fields with a comma, quote, CR or LF are quoted, quotes doubled. */

export type CsvCell = string | number | boolean | null | undefined;

/** One CSV field: null and undefined are empty; numbers keep full precision. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: the header row then one row per record, each ending in "\n". */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\n`).join('');
}
