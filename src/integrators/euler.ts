import type { OdeSystem, Stepper } from "./types.js";

/** A system that can take a forward Euler step fused with its derivative (the same numbers, one pass). */
interface FusedEuler {
  eulerStep(t: number, dt: number, y: Float64Array): void;
}

const hasFusedEuler = (s: OdeSystem): s is OdeSystem & FusedEuler => typeof (s as Partial<FusedEuler>).eulerStep === "function";

/** Forward Euler, the lab's method: y ← y + dt·f(t, y). First order. */
export function euler(system: OdeSystem): Stepper {
  if (hasFusedEuler(system)) return { name: "euler", step: (t, dt, y) => system.eulerStep(t, dt, y) };
  const dydt = new Float64Array(system.size);
  return {
    name: "euler",
    step(t, dt, y) {
      system.derivatives(t, y, dydt);
      for (let j = 0; j < y.length; j++) y[j] = (y[j] as number) + dt * (dydt[j] as number);
    },
  };
}
