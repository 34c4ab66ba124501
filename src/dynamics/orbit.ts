/**
 * A periodic orbit found by integrating the vector field (classical RK4 at a fixed step): the start of a
 * cycle branch where no Hopf point leads to it (a SNIC's branch), and the simulation cross-checks.
 */
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

/**
 * A stable periodic orbit reached from x0 after `transient_ms`: a state on it (at an upward crossing of
 * threshold_mV) and its period; undefined when the run does not settle on regular firing.
 */
export function orbitBySimulation(
  field: VectorField,
  x0: Float64Array,
  o: { transient_ms?: number; dt_ms?: number; threshold_mV?: number } = {},
): { state: Float64Array; period_ms: number } | undefined {
  const dt = o.dt_ms ?? 0.01;
  const th = o.threshold_mV ?? -20;
  const x = integrateField(field, Float64Array.from(x0), o.transient_ms ?? 500, dt);
  let prev = x[0] as number;
  let found: { state: Float64Array; period_ms: number } | undefined;
  // without a pool: the first two crossings. With a concentration pool the firing may be bursts (several spikes per
  // period) and settles slowly: the period ends at the first crossing whose state returns to an earlier crossing's
  // (the latest such; every state within 1 % of its value, or 1e-3 for a gate near 0)
  const crossings: { t: number; y: Float64Array }[] = [];
  const returns = (y: ArrayLike<number>, c: Float64Array) =>
    field.pools.length === 0 ||
    c.every((ci, k) => Math.abs((y[k] as number) - ci) <= 1e-2 * Math.abs(ci) + (field.pools.includes(k) ? 0 : 1e-3));
  // the state at the crossing, interpolated between the steps either side (a step's own state is up to dt past it)
  const last = Float64Array.from(x);
  let lastT = 0;
  integrateField(field, x, 2000, dt, (t, y) => {
    const v = y[0] as number;
    if (!found && prev < th && v >= th) {
      // (without a pool: the step's own state and time, as ever)
      const s = field.pools.length ? (th - prev) / (v - prev) : 1;
      const at = Float64Array.from(y, (yk, k) => (last[k] as number) + s * (yk - (last[k] as number)));
      const tc = lastT + s * (t - lastT);
      for (let i = crossings.length - 1; i >= 0 && !found; i--) {
        const c = crossings[i] as { t: number; y: Float64Array };
        if (returns(at, c.y)) found = { state: c.y, period_ms: tc - c.t };
        if (field.pools.length === 0) break;
      }
      if (crossings.length < 500) crossings.push({ t: tc, y: at });
    }
    prev = v;
    last.set(y);
    lastT = t;
  });
  return found;
}
