import { invalid } from "../errors.js";
import { MAX_POINTS } from "../limits.js";

/** One axis of a sweep grid: a parameter name (or `amplitude`) and its values. */
export interface Axis {
  readonly name: string;
  readonly values: number[];
}

/** A parsed range, before its values are made: FROM:TO:STEP with its count, or a list. */
type Range = { from: number; to: number; step: number; count: number } | { list: number[] };

function readRange(flag: string, raw: string): Range {
  const text = raw.trim();
  const num = (s: string) => {
    const x = Number(s);
    if (s.trim() === "" || !Number.isFinite(x)) throw invalid(flag, raw, "FROM:TO:STEP, a list A,B,C or a number (finite numbers)");
    return x;
  };
  if (!text.includes(":")) return { list: text.split(",").map(num) };
  const parts = text.split(":");
  if (parts.length !== 3) throw invalid(flag, raw, "FROM:TO:STEP (e.g. 0:10:0.2)");
  const [from, to, step] = parts.map(num) as [number, number, number];
  if (!(step > 0)) throw invalid(`${flag} STEP`, step, "a positive number");
  if (to < from) throw invalid(`${flag} TO`, to, `≥ FROM (${from})`);
  return { from, to, step, count: Math.floor((to - from) / step + 1e-9) + 1 };
}

/** The number of values of a range, without making them (for size checks before anything is allocated). */
export function rangeLength(flag: string, raw: string): number {
  const r = readRange(flag, raw);
  return "list" in r ? r.list.length : r.count;
}

/**
 * Parses an axis range: `from:to:step` (inclusive of `to` within 1e-9 of a step), or a
 * comma-separated list `a,b,c`, or a single number. Names the flag in its error. A range of more
 * than 2^24 values (the most a sweep can track) is refused before its values are made.
 */
export function parseRange(flag: string, raw: string): number[] {
  const r = readRange(flag, raw);
  if ("list" in r) return r.list;
  const { from, to, step, count } = r;
  if (count > MAX_POINTS) throw invalid(flag, raw, `a range of at most ${MAX_POINTS} values (the most a sweep can track)`);
  // values as from + i·step (no accumulated rounding); the last one is `to` when the range lands on it
  return Array.from({ length: count }, (_, i) => (i === count - 1 && Math.abs(from + i * step - to) < 1e-9 * step ? to : from + i * step));
}

/** Number of points of the full grid. */
export const gridSize = (axes: readonly Axis[]): number => axes.reduce((n, a) => n * a.values.length, 1);

/**
 * The values of every axis at grid point `index`, row-major: the last axis varies fastest.
 * Deterministic and stable across machines, so a point index names the same point everywhere.
 */
export function gridPoint(axes: readonly Axis[], index: number): number[] {
  const out = new Array<number>(axes.length);
  let rest = index;
  for (let a = axes.length - 1; a >= 0; a--) {
    const values = (axes[a] as Axis).values;
    out[a] = values[rest % values.length] as number;
    rest = Math.floor(rest / values.length);
  }
  return out;
}
