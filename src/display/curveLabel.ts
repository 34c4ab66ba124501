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
