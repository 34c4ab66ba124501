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
  /** Advances the state y in place from t to t + dt (both ms). */
  step(t: Ms, dt: Ms, y: Float64Array): void;
}

/** Error tolerances of an adaptive method: each component j must satisfy |err_j| ≤ atol + rtol·|y_j|. */
export interface Tolerances {
  readonly rtol: number;
  readonly atol: number;
  /** Largest step the method may take (ms); default unlimited. */
  readonly maxStep?: Ms;
}

/**
 * An adaptive method bound to one system. It keeps "the step taken" (t1 − t0 of the last accepted
 * step) separate from "the step suggested next" (hNext), so landing on a breakpoint (a truncated
 * step) does not shrink the steps after it.
 */
export interface AdaptiveStepper {
  readonly name: string;
  /** Accepted and rejected steps since creation. */
  readonly accepted: number;
  readonly rejected: number;
  /** Right-hand-side evaluations since creation. */
  readonly evaluations: number;
  /** The interval [t0, t1] of the last accepted step. */
  readonly t0: Ms;
  readonly t1: Ms;
  /** The step the error control suggests next (ms). */
  readonly hNext: Ms;
  /** (Re)starts at (t, y): evaluates f there. Call at the start and right after each discontinuity of f. */
  restart(t: Ms, y: Float64Array): void;
  /**
   * Takes one accepted step from the current time towards tEnd, never past it, and returns the
   * new time; returns exactly tEnd when it lands there. Right-hand sides at the end of a step
   * are evaluated just before it (the left limit), so a stimulus that jumps at tEnd does not leak
   * into the step before it.
   */
  advance(tEnd: Ms, y: Float64Array): Ms;
  /** Dense output over the last step: the whole state at t ∈ [t0, t1], into out. */
  dense(t: Ms, out: Float64Array): void;
  /** Dense output of one component j at t ∈ [t0, t1]. */
  denseComponent(j: number, t: Ms): number;
}

/** A step size that fell below what floating point can resolve: the problem diverges or is too stiff. */
export class StepSizeUnderflow extends Error {
  constructor(
    readonly t: Ms,
    readonly h: Ms,
    /** The state component with the largest scaled error in the last attempt. */
    readonly component: number,
  ) {
    super(`step size underflow at t = ${t} ms (h = ${h} ms) in state component ${component}`);
  }
}
