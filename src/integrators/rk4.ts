import { justBefore } from "./time.js";
import type { OdeSystem, Stepper } from "./types.js";

/**
 * The classical Runge–Kutta method, fourth order. The last stage is evaluated just before t + dt
 * (see `justBefore`), so a stimulus edge at a step boundary stays on its side of the boundary and
 * does not cost an order of accuracy.
 */
export function rk4(system: OdeSystem): Stepper {
  const size = system.size;
  const k1 = new Float64Array(size);
  const k2 = new Float64Array(size);
  const k3 = new Float64Array(size);
  const k4 = new Float64Array(size);
  const tmp = new Float64Array(size);
  return {
    name: "rk4",
    step(t, dt, y) {
      const h2 = dt / 2;
      system.derivatives(t, y, k1);
      for (let j = 0; j < size; j++) tmp[j] = (y[j] as number) + h2 * (k1[j] as number);
      system.derivatives(t + h2, tmp, k2);
      for (let j = 0; j < size; j++) tmp[j] = (y[j] as number) + h2 * (k2[j] as number);
      system.derivatives(t + h2, tmp, k3);
      for (let j = 0; j < size; j++) tmp[j] = (y[j] as number) + dt * (k3[j] as number);
      system.derivatives(justBefore(t + dt), tmp, k4);
      const h6 = dt / 6;
      for (let j = 0; j < size; j++) {
        y[j] = (y[j] as number) + h6 * ((k1[j] as number) + 2 * ((k2[j] as number) + (k3[j] as number)) + (k4[j] as number));
      }
    },
  };
}
