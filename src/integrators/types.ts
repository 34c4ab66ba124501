import type { Ms } from "../units.js";

/** A system of ordinary differential equations dy/dt = f(t, y) of fixed size. */
export interface OdeSystem {
  readonly size: number;
  /** Writes f(t, y) into dydt. Never allocates, never writes y. */
  derivatives(t: Ms, y: Float64Array, dydt: Float64Array): void;
}

/** A fixed-step method bound to one system: advances y in place from t to t + dt. */
export interface Stepper {
  readonly name: string;
  step(t: Ms, dt: Ms, y: Float64Array): void;
}
