import type { OdeSystem, Stepper } from "./types.js";

/** Forward Euler, the lab's method: y ← y + dt·f(t, y). First order. */
export function euler(system: OdeSystem): Stepper {
  const dydt = new Float64Array(system.size);
  return {
    name: "euler",
    step(t, dt, y) {
      system.derivatives(t, y, dydt);
      for (let j = 0; j < y.length; j++) y[j] = (y[j] as number) + dt * (dydt[j] as number);
    },
  };
}
