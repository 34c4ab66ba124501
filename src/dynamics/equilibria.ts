/** Equilibria of a model at fixed parameters: all of them, with eigenvalues of the full Jacobian and stability. */
import { InvalidArgumentError } from "../errors.js";
import type { VectorField } from "./field.js";
import { type Complex, eigenvalues } from "./linalg.js";

export type FixedPointType = "stable node" | "stable focus" | "unstable node" | "unstable focus" | "saddle" | "saddle-focus";

export interface Equilibrium {
  /** The state (V in mV, then the state gates), in the field's state order. */
  readonly state: Float64Array;
  readonly V_mV: number;
  /** Eigenvalues of the Jacobian (1/ms), by decreasing real part. */
  readonly eigenvalues: readonly Complex[];
  /** Number of eigenvalues with positive real part. */
  readonly unstable: number;
  readonly stable: boolean;
  readonly type: FixedPointType;
}

/** The type of a fixed point from its eigenvalues (sorted by decreasing real part). */
export function classify(eig: readonly Complex[]): FixedPointType {
  const up = eig.filter((e) => e.re > 0);
  const lead = eig[0] as Complex;
  if (up.length === 0) return lead.im !== 0 ? "stable focus" : "stable node";
  if (up.length === eig.length) return eig.some((e) => e.im !== 0) ? "unstable focus" : "unstable node";
  if (up.every((e) => e.im === 0)) return "saddle";
  return up.length === 2 ? "unstable focus" : "saddle-focus";
}

/** Linearisation at a state: Jacobian eigenvalues, stability and type. */
export function linearise(field: VectorField, state: Float64Array): Equilibrium {
  const n = field.n;
  const J = new Float64Array(n * n);
  field.jacobian(state, J);
  const eig = eigenvalues(J, n);
  const unstable = eig.filter((e) => e.re > 0).length;
  return { state, V_mV: state[0] as number, eigenvalues: eig, unstable, stable: unstable === 0, type: classify(eig) };
}

export interface EquilibriaOptions {
  /** Voltage range searched (mV); default [−150, 100]. */
  readonly range_mV?: readonly [number, number];
  /** Grid step of the scan (mV); default 0.05. Two equilibria closer than this may be missed. */
  readonly step_mV?: number;
}

/**
 * Every equilibrium in the voltage range. At an equilibrium each gate sits at its steady state, so the
 * equilibria are the zeros of I − I∞(V) (I∞: the steady-state ionic current); they are bracketed on a
 * grid, refined by bisection to machine precision, and linearised with the full Jacobian.
 */
export function equilibria(field: VectorField, options: EquilibriaOptions = {}): Equilibrium[] {
  const [lo, hi] = options.range_mV ?? [-150, 100];
  const step = options.step_mV ?? 0.05;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new InvalidArgumentError(`range_mV must be two finite voltages, lower first; got [${lo}, ${hi}]`);
  }
  if (!(step > 0)) throw new InvalidArgumentError(`step_mV must be a positive number of mV; got ${step}`);
  const I = field.parameters.I as number;
  const g = (v: number) => I - field.steadyCurrent(v);
  const out: Equilibrium[] = [];
  const count = Math.ceil((hi - lo) / step);
  let va = lo;
  let ga = g(va);
  for (let k = 1; k <= count; k++) {
    const vb = Math.min(hi, lo + k * step);
    const gb = g(vb);
    if (ga === 0) out.push(linearise(field, field.steadyState(va)));
    else if (ga * gb < 0) {
      let a = va;
      let b = vb;
      let fa = ga;
      for (let it = 0; it < 200 && b - a > 1e-13 * Math.max(1, Math.abs(a)); it++) {
        const m = (a + b) / 2;
        const fm = g(m);
        if (fm === 0) {
          a = b = m;
          break;
        }
        if (fa * fm < 0) b = m;
        else {
          a = m;
          fa = fm;
        }
      }
      out.push(linearise(field, field.steadyState((a + b) / 2)));
    }
    va = vb;
    ga = gb;
  }
  return out;
}
