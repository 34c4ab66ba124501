/**
 * The paired-pulse view's tried points (Δ, amplitude, fired or not) in the URL, so a shared link keeps the measured
 * points of the recovery plot: `pp.pts=5,5.1,y_6,15,n` — each point `Δ_ms,amplitude_uA_per_cm2,y|n` (y: the second
 * pulse fired), points in the order they were tried, joined by `_`. Numbers as JavaScript prints them (exact round
 * trip). At most MAX_TRIED points; a link with more keeps the last MAX_TRIED. Pure: the panel keeps them, urlProblems
 * says what a link gave that could not be used.
 */

/** A point tried on the paired-pulse view: the second pulse's Δ after the first spike, its amplitude, and whether it fired. */
export interface TriedPoint {
  interval_ms: number;
  amplitude_uA_per_cm2: number;
  fired: boolean;
}

/** The URL key of the tried points. */
export const POINTS_KEY = "pp.pts";
/** The most points kept (on screen and in the URL: about 12 characters each). */
export const MAX_TRIED = 200;

/** A number as a URL-safe word (a `+` of an exponent escaped; it would read as a space). */
const word = (v: number) => String(v).replace("+", "%2B");

/** The `pp.pts` value of a list of points ("" for none); written as is into the query (`,` and `_` need no escape). */
export const pointsToParam = (points: readonly TriedPoint[]): string =>
  points
    .slice(-MAX_TRIED)
    .map((p) => `${word(p.interval_ms)},${word(p.amplitude_uA_per_cm2)},${p.fired ? "y" : "n"}`)
    .join("_");

/** The points of a `pp.pts` value, the entries that are not points (as given), and how many beyond MAX_TRIED were left out. */
export function pointsFromParam(value: string | null): { points: TriedPoint[]; bad: string[]; dropped: number } {
  const points: TriedPoint[] = [];
  const bad: string[] = [];
  if (value === null || value.trim() === "") return { points, bad, dropped: 0 };
  for (const entry of value.split("_")) {
    const m = /^\s*([^,]+),([^,]+),([yn])\s*$/.exec(entry);
    const interval_ms = m ? Number(m[1]) : Number.NaN;
    const amplitude_uA_per_cm2 = m ? Number(m[2]) : Number.NaN;
    if (m && Number.isFinite(interval_ms) && interval_ms > 0 && Number.isFinite(amplitude_uA_per_cm2) && amplitude_uA_per_cm2 >= 0)
      points.push({ interval_ms, amplitude_uA_per_cm2, fired: m[3] === "y" });
    else bad.push(entry);
  }
  const dropped = Math.max(0, points.length - MAX_TRIED);
  return { points: points.slice(dropped), bad, dropped };
}
