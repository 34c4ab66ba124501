/**
 * The one name of a simulated curve, from its method and dt (or an adaptive method's tolerances), in the
 * readable form every legend, table header and summary uses: "forward Euler, dt 0.025 ms",
 * "RK4, dt 0.01 ms", "RK45, rtol 1e-10, atol 1e-12". Used by the CLI, the lab report, the notebook views
 * and the web app.
 */
import { DEFAULT_ATOL, DEFAULT_RTOL } from "../integrators/rk45.js";

/** What names a curve: a method's registry name, its fixed step (ms) and, for rk45, its tolerances. */
export interface CurveMethod {
  readonly method: string;
  readonly dt_ms?: number;
  readonly rtol?: number;
  readonly atol?: number;
}

const READABLE: Readonly<Record<string, string>> = {
  euler: "forward Euler",
  "exp-euler": "exponential Euler",
  "backward-euler": "backward Euler",
  rk4: "RK4",
  rk45: "RK45",
};

/** A method's readable name ("forward Euler", "RK4"); a method added to the registry by an extension keeps its own name. */
export const methodLabel = (method: string): string => READABLE[method] ?? method;

/**
 * A curve's legend: the readable method with dt in ms ("forward Euler, dt 0.025 ms"), or for rk45 its
 * tolerances (defaults when left out), since its dt is only the output grid. No dt given: the method alone.
 */
export function curveLabel(c: CurveMethod): string {
  const name = methodLabel(c.method);
  if (c.method === "rk45") return `${name}, rtol ${c.rtol ?? DEFAULT_RTOL}, atol ${c.atol ?? DEFAULT_ATOL}`;
  return c.dt_ms === undefined ? name : `${name}, dt ${c.dt_ms} ms`;
}

/**
 * The legends of curves drawn together, each naming what differs: curveLabel, and where two curves would read the
 * same, an rk45 curve adds its output grid ("RK45, rtol 1e-6, atol 1e-8, output every 0.01 ms": its dt only
 * samples the dense output). Curves alike in every setting are numbered, " (2)", " (3)", so no two legends match.
 */
export function curveLabels(curves: readonly CurveMethod[]): string[] {
  const base = curves.map(curveLabel);
  const count = (labels: readonly string[], l: string) => labels.filter((x) => x === l).length;
  const named = curves.map((c, i) => {
    const l = base[i] as string;
    return c.method === "rk45" && c.dt_ms !== undefined && count(base, l) > 1 ? `${l}, output every ${c.dt_ms} ms` : l;
  });
  const seen = new Map<string, number>();
  return named.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return k === 1 ? l : `${l} (${k})`;
  });
}
