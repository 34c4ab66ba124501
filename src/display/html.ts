/** Small HTML helpers for the display summaries: escaped text, tables with units in their headers. */

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for HTML. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c] as string);

/** A number with a fixed count of decimals, a minus sign for negatives, or "—" for null/NaN. */
export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  const s = x.toFixed(digits);
  return s.startsWith("-") ? `−${s.slice(1)}` : s;
}

/** A number and its unit ("48.04 mV"), or "—". */
export const withUnit = (x: number | null | undefined, unit: string, digits = 2): string => {
  const n = num(x, digits);
  return n === "—" ? n : `${n} ${unit}`;
};

const STYLE = "border-collapse:collapse;font-family:sans-serif;font-size:13px;margin:4px 0";
const CELL = "padding:2px 10px;border-bottom:1px solid #ddd";
const HEAD = "padding:2px 10px;border-bottom:2px solid #999";
/** Cells holding a number (with or without its unit, a range, a list of numbers) are right-aligned; text is left-aligned. */
const NUMERIC = /^[−\-+]?[0-9.,…\s[\]−-]*( ?[a-zA-Zµ°/²]*)?$/;
const align = (c: string) => (NUMERIC.test(c) ? "right" : "left");

/** An HTML table: a header row and body rows of already formatted cells (escaped here). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], caption?: string): string {
  const right = header.map((_, j) => rows.length > 0 && rows.every((r) => align(r[j] ?? "") === "right"));
  const th = header.map((h, j) => `<th style="${HEAD};text-align:${right[j] ? "right" : "left"}">${esc(h)}</th>`).join("");
  const tr = rows
    .map((r) => `<tr>${r.map((c, j) => `<td style="${CELL};text-align:${right[j] ? "right" : "left"}">${esc(c)}</td>`).join("")}</tr>`)
    .join("");
  const cap = caption === undefined ? "" : `<caption style="text-align:left;font-weight:bold;padding:2px 0">${esc(caption)}</caption>`;
  return `<table style="${STYLE}">${cap}<thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

/** A two-column table of quantity → value (with unit). */
export const keyValues = (rows: readonly (readonly [string, string])[], caption?: string): string =>
  table(["quantity", "value"], rows, caption);

/** A title line. */
export const heading = (s: string): string =>
  `<div style="font-family:sans-serif;font-weight:bold;font-size:14px;margin:4px 0">${esc(s)}</div>`;

/** Plain-text lines of quantity: value. */
export const textLines = (title: string, rows: readonly (readonly [string, string])[]): string =>
  [title, ...rows.map(([k, v]) => `  ${k}: ${v}`)].join("\n");
