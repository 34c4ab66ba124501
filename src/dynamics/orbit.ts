/**
 * A periodic orbit found by integrating the vector field (adaptive rk45; classical RK4 at a fixed step for the
 * simulation cross-checks): the start of a cycle branch where no Hopf point leads to it (a SNIC's branch).
 */
import { rk45 } from "../integrators/rk45.js";
import { type AdaptiveStepper, StepSizeUnderflow } from "../integrators/types.js";
import type { VectorField } from "./field.js";

/** Integrates x in place for duration (ms) at step dt (ms), calling onStep(t, x) after every step. */
export function integrateField(
  field: VectorField,
  x: Float64Array,
  duration: number,
  dt: number,
  onStep?: (t: number, x: Float64Array) => void,
) {
  const n = field.n;
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const y = new Float64Array(n);
  const steps = Math.round(duration / dt);
  for (let s = 0; s < steps; s++) {
    field.rhs(x, k1);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + 0.5 * dt * (k1[i] as number);
    field.rhs(y, k2);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + 0.5 * dt * (k2[i] as number);
    field.rhs(y, k3);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + dt * (k3[i] as number);
    field.rhs(y, k4);
    for (let i = 0; i < n; i++)
      x[i] = (x[i] as number) + (dt / 6) * ((k1[i] as number) + 2 * (k2[i] as number) + 2 * (k3[i] as number) + (k4[i] as number));
    onStep?.((s + 1) * dt, x);
  }
  return x;
}

/** Times (ms) where V crosses `threshold_mV` upwards, by linear interpolation between steps. */
export function upwardCrossings(field: VectorField, x0: Float64Array, duration: number, dt: number, threshold_mV = -20): number[] {
  const out: number[] = [];
  let prevV = x0[0] as number;
  integrateField(field, Float64Array.from(x0), duration, dt, (t, x) => {
    const v = x[0] as number;
    if (prevV < threshold_mV && v >= threshold_mV) out.push(t - dt + (dt * (threshold_mV - prevV)) / (v - prevV));
    prevV = v;
  });
  return out;
}

/** Tolerances of the adaptive orbit search (rk45): tight enough that crossing states match to far below the 1 % return test. */
const ORBIT_TOLERANCES = { rtol: 1e-8, atol: 1e-10 };

/**
 * Integrates x in place for duration (ms) with the library's adaptive Dormand–Prince 5(4) (rk45), calling
 * onStep(stepper, x) after every accepted step (the step is [stepper.t0, stepper.t1], its dense output covers it).
 * Unlike `integrateField`'s fixed step this stays stable where the field is stiff: a neuron's field is stiffest at
 * the spike's peak, where ∂(dV/dt)/∂V = −Σg/Cm. Hay et al. 2011's soma (gNaTa_t 2.04 S/cm², Cm 1 µF/cm²) has
 * an eigenvalue of −377/ms there (measured at V = 45.5 mV), so fixed-step RK4 needs dt < 2.785/377 = 0.0074 ms;
 * at dt 0.01 ms it overshoots (m_Ih −0.05 at 26.77 ms, V 140 mV) and gives NaN. No rate is singular there.
 * Stops early when onStep returns true. Returns false when the step size underflows (a diverging state) or V is not finite.
 */
export function integrateFieldAdaptive(
  field: VectorField,
  x: Float64Array,
  duration: number,
  onStep?: (stepper: AdaptiveStepper, x: Float64Array) => boolean | undefined,
): boolean {
  const stepper = rk45({ size: field.n, derivatives: (_t, y, dy) => field.rhs(y, dy) }, ORBIT_TOLERANCES);
  stepper.restart(0, x);
  let t = 0;
  try {
    while (t < duration) {
      t = stepper.advance(duration, x);
      if (!Number.isFinite(x[0] as number)) return false;
      if (onStep?.(stepper, x) === true) return true;
    }
  } catch (e) {
    if (e instanceof StepSizeUnderflow) return false;
    throw e;
  }
  return true;
}

/** The states at the accepted steps of an adaptive run of `duration` ms from x0 (many near the spikes, where steps are small). */
export function orbitStates(field: VectorField, x0: Float64Array, duration: number): Float64Array[] {
  const out: Float64Array[] = [Float64Array.from(x0)];
  integrateFieldAdaptive(field, Float64Array.from(x0), duration, (_s, x) => {
    out.push(Float64Array.from(x));
    return false;
  });
  return out;
}

/** A periodic orbit found by simulation. */
export interface SimulatedOrbit {
  /** A state on it, at an upward crossing of the threshold. */
  readonly state: Float64Array;
  readonly period_ms: number;
  /** Upward threshold crossings (spikes) in one period: 1 for tonic firing, more for a burst (or a doublet). */
  readonly spikes: number;
}

/**
 * A stable periodic orbit reached from x0 after `transient_ms` (default 500; then up to 2000 ms searched): a state
 * on it (at an upward crossing of threshold_mV) and its period; undefined when the run does not settle on regular
 * firing. Integrated adaptively (`integrateFieldAdaptive`), each crossing's time and state from the step's dense
 * output. Without a concentration pool the period is the time between the first two crossings. With one, the
 * firing may be bursts: the crossing states are iterates of the return map on the section V = threshold_mV, and the
 * period ends at the first crossing whose state returns to an earlier crossing's (every state within 1 % of its
 * value, or 1e-3 for a gate near 0): a fixed point of the N-th iterate, N spikes per period.
 */
export function orbitBySimulation(
  field: VectorField,
  x0: Float64Array,
  o: { transient_ms?: number; threshold_mV?: number } = {},
): SimulatedOrbit | undefined {
  const th = o.threshold_mV ?? -20;
  const x = Float64Array.from(x0);
  if (!integrateFieldAdaptive(field, x, o.transient_ms ?? 500)) return undefined;
  let found: SimulatedOrbit | undefined;
  const crossings: { t: number; y: Float64Array }[] = [];
  const returns = (y: ArrayLike<number>, c: Float64Array) =>
    field.pools.length === 0 ||
    c.every((ci, k) => Math.abs((y[k] as number) - ci) <= 1e-2 * Math.abs(ci) + (field.pools.includes(k) ? 0 : 1e-3));
  let prev = x[0] as number;
  const ok = integrateFieldAdaptive(field, x, 2000, (stepper, y) => {
    const v = y[0] as number;
    if (!found && prev < th && v >= th) {
      // the crossing inside the step, by bisection on the dense output of V
      let a = stepper.t0;
      let b = stepper.t1;
      for (let i = 0; i < 60 && b - a > 1e-12; i++) {
        const m = 0.5 * (a + b);
        if (stepper.denseComponent(0, m) < th) a = m;
        else b = m;
      }
      const at = new Float64Array(field.n);
      stepper.dense(b, at);
      for (let i = crossings.length - 1; i >= 0 && !found; i--) {
        const c = crossings[i] as { t: number; y: Float64Array };
        if (returns(at, c.y)) found = { state: c.y, period_ms: b - c.t, spikes: crossings.length - i };
        if (field.pools.length === 0) break;
      }
      if (crossings.length < 500) crossings.push({ t: b, y: at });
    }
    prev = v;
    return found !== undefined;
  });
  return ok ? found : undefined;
}
