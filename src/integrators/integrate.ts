import { invalid } from "../errors.js";
import { getMethod } from "./registry.js";
import type { OdeSystem, Tolerances } from "./types.js";

/**
 * Integrates any ODE system over a time grid with a fixed-step method (the notebook's
 * `euler_integrate(derivs, x0, t)` in typed form). Step k goes from times[k] to times[k+1]
 * with dt = times[k+1] − times[k] (an adaptive method integrates each interval to its tolerances).
 * Returns one state row per time.
 */
export function integrate(
  system: OdeSystem,
  y0: ArrayLike<number>,
  times: ArrayLike<number>,
  method = "euler",
  tolerances?: Tolerances,
): Float64Array[] {
  if (y0.length !== system.size) throw invalid("y0 (initial state)", `${y0.length} values`, `${system.size} values (system.size)`);
  if (times.length < 1) throw invalid("times", "an empty grid", "at least one time");
  for (let k = 1; k < times.length; k++) {
    if (!((times[k] as number) > (times[k - 1] as number)))
      throw invalid(`times[${k}] (ms)`, times[k], `greater than times[${k - 1}] = ${times[k - 1]}`);
  }
  const info = getMethod(method);
  if (info.membraneOnly) throw invalid("method for a general ODE system", method, "a method that needs only f(t, y) (e.g. euler)");
  const stepper = info.create(system, tolerances);
  const y = Float64Array.from(y0);
  const rows = [Float64Array.from(y)];
  for (let k = 0; k + 1 < times.length; k++) {
    const t = times[k] as number;
    stepper.step(t, (times[k + 1] as number) - t, y);
    rows.push(Float64Array.from(y));
  }
  return rows;
}

/**
 * The notebook's signature, for quick use: `derivs(t, x)` returns dx/dt as an array.
 * Allocates per step; prefer `integrate` with an in-place OdeSystem for speed.
 */
export function eulerIntegrate(
  derivs: (t: number, x: Float64Array) => ArrayLike<number>,
  x0: ArrayLike<number>,
  times: ArrayLike<number>,
): Float64Array[] {
  const system: OdeSystem = {
    size: x0.length,
    derivatives(t, y, dydt) {
      dydt.set(derivs(t, y));
    },
  };
  return integrate(system, x0, times, "euler");
}
