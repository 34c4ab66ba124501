/** Any list of records as a notebook table (HTML, with a plain-text fallback): one row per record, one column per key. */
import type { ViewOptions } from "./document.js";
import { heading, num, table } from "./html.js";
import { View } from "./protocol.js";

/** A cell as text: numbers with up to `digits` decimals (trailing zeros dropped), null/undefined/NaN as "—". */
function cell(x: unknown, digits: number): string {
  if (x === null || x === undefined) return "—";
  if (typeof x === "number") return Number.isInteger(x) ? num(x, 0) : num(x, digits).replace(/\.?0+$/, "");
  return String(x);
}

/**
 * Records (e.g. `[{ "peak (ms)": 707.5, "eFEL peak (ms)": 708 }, …]`) as a table; put the unit in each key.
 * Columns are the keys of all records, in order of first appearance.
 */
export function tableView(
  rows: readonly Readonly<Record<string, unknown>>[],
  options: ViewOptions & { readonly digits?: number } = {},
): View {
  const digits = options.digits ?? 3;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const body = rows.map((r) => keys.map((k) => cell(r[k], digits)));
  const width = keys.map((k, j) => Math.max(k.length, ...body.map((r) => (r[j] as string).length)));
  const line = (cells: readonly string[]) => cells.map((c, j) => c.padStart(width[j] as number)).join("  ");
  return new View({
    text: () => [...(options.title ? [options.title] : []), line(keys), ...body.map(line)].join("\n"),
    summary: () => (options.title ? heading(options.title) : "") + table(keys, body),
    svg: () => null,
  });
}
