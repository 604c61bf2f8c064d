/** Small helpers for writing the report's HTML: escaping and number formatting. */

/** Text made safe for HTML content and attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** An objective value with four significant digits (whole numbers above 1000). */
export function fmtValue(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4);
}

/** A count with thousands separators. */
export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A duration for people: "850 ms", "42 s", "12 min", "3.5 h". */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 2 * 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** An ISO time as "2026-12-01 11:05:42 UTC". */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
