/**
 * The branch of equilibria of a model as one parameter varies, by pseudo-arclength continuation, with
 * the stability of every point, and its saddle-node (fold) and Hopf points located and classified.
 */
import { InvalidArgumentError } from "../errors.js";
import type { NeuronModel } from "../models/types.js";
import { type BranchPoint, type ContinuationProblem, correct, locate, tangentAt } from "./continuation.js";
import { type Equilibrium, equilibria, linearise } from "./equilibria.js";
import { CURRENT, type VectorField, vectorField } from "./field.js";
import { firstLyapunov } from "./lyapunov.js";

/** A model as a family of vector fields in one parameter. */
export interface Family {
  readonly model: NeuronModel;
  readonly parameter: string;
  readonly base: Readonly<Record<string, number>>;
  readonly n: number;
  /** The vector field at parameter value p. */
  at(p: number): VectorField;
  /** ∂f/∂p at (x, p) into out. */
  dfdp(x: ArrayLike<number>, p: number, out: Float64Array): void;
  /** Weight of the parameter in the arclength norm. */
  readonly weight: number;
}

/** The model as a family of vector fields in `parameter` (µA/cm² for the injected current), other parameters at `base`. */
export function family(model: NeuronModel, parameter: string, base: Readonly<Record<string, number>> = {}): Family {
  const probe = vectorField(model, base);
  if (!Object.hasOwn(probe.parameters, parameter)) {
    throw new InvalidArgumentError(
      `parameter must be one of ${Object.keys(probe.parameters).join(", ")} for model "${model.name}"; got ${JSON.stringify(parameter)}`,
    );
  }
  const n = probe.n;
  let last: VectorField = probe;
  let lastP = probe.parameters[parameter] as number;
  const at = (p: number) => {
    if (p !== lastP) {
      last = vectorField(model, { ...base, [parameter]: p });
      lastP = p;
    }
    return last;
  };
  const scale = Math.max(1, Math.abs(probe.parameters[parameter] as number));
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let sideP = Number.NaN;
  let plus: VectorField | undefined;
  let minus: VectorField | undefined;
  const dfdp =
    parameter === CURRENT
      ? (_x: ArrayLike<number>, p: number, out: Float64Array) => {
          out.fill(0);
          out[0] = 1 / (at(p).parameters.Cm as number);
        }
      : (x: ArrayLike<number>, p: number, out: Float64Array) => {
          const h = 1e-5 * Math.max(1, Math.abs(p));
          if (p !== sideP) {
            plus = vectorField(model, { ...base, [parameter]: p + h });
            minus = vectorField(model, { ...base, [parameter]: p - h });
            sideP = p;
          }
          (plus as VectorField).rhs(x, a);
          (minus as VectorField).rhs(x, b);
          for (let k = 0; k < n; k++) out[k] = ((a[k] as number) - (b[k] as number)) / (2 * h);
        };
  return { model, parameter, base, n, at, dfdp, weight: parameter === CURRENT ? 1 : (10 / scale) ** 2 };
}

/** Arclength weights of a state: V in mV, a gate's 0.01 counts as 1 mV. */
export const stateWeights = (n: number): number[] => Array.from({ length: n }, (_, k) => (k === 0 ? 1 : 1e4));

export interface EquilibriumPoint extends Equilibrium {
  /** The parameter value. */
  readonly p: number;
}

export type EquilibriumBifurcation =
  | { readonly kind: "fold"; readonly point: EquilibriumPoint }
  | {
      readonly kind: "hopf";
      readonly point: EquilibriumPoint;
      /** ω (rad/ms) and the frequency ω/2π (Hz) of the critical pair. */
      readonly omega_per_ms: number;
      readonly frequency_Hz: number;
      /** First Lyapunov coefficient (undefined when it could not be computed). */
      readonly l1?: number;
      readonly criticality?: "subcritical" | "supercritical";
    };

export interface EquilibriumBranch {
  readonly parameter: string;
  readonly points: readonly EquilibriumPoint[];
  readonly bifurcations: readonly EquilibriumBifurcation[];
  /** Why the continuation stopped (end of range, or where and why it could not go on). */
  readonly stop: string;
  /** True when the branch reached the end of the requested range. */
  readonly complete: boolean;
}

export interface EquilibriumBranchOptions {
  readonly parameter?: string;
  readonly from: number;
  readonly to: number;
  /** The other parameters (default: the model's). */
  readonly parameters?: Readonly<Record<string, number>>;
  readonly maxSteps?: number;
  /** Largest arclength step; default 1/60 of (the parameter span + 100 mV) in the arclength norm. */
  readonly maxStep?: number;
}

const equilibriumProblem = (fam: Family): ContinuationProblem => {
  const n = fam.n;
  const J = new Float64Array(n * n);
  const fp = new Float64Array(n);
  return {
    size: n + 1,
    weights: Float64Array.from([...stateWeights(n), fam.weight]),
    residual(u, out) {
      fam.at(u[n] as number).rhs(u, out);
    },
    jacobian(u, M) {
      const p = u[n] as number;
      fam.at(p).jacobian(u, J);
      fam.dfdp(u, p, fp);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) M[i * (n + 1) + j] = J[i * n + j] as number;
        M[i * (n + 1) + n] = fp[i] as number;
      }
    },
  };
};

/** Re λ of the complex eigenvalue (Im > 0) nearest the imaginary axis; NaN when there is none. */
const hopfTest = (e: Equilibrium): number => {
  let best = Number.NaN;
  for (const l of e.eigenvalues) if (l.im > 1e-10 && !(Math.abs(l.re) >= Math.abs(best))) best = l.re;
  return best;
};

/**
 * Continues the equilibrium that is lowest in V at `from` (the resting state) until the parameter leaves
 * [from, to], detecting folds (the parameter turns back) and Hopf points (a complex pair crosses the
 * imaginary axis), each located to a relative 1e-9 in arclength.
 */
export function equilibriumBranch(model: NeuronModel, o: EquilibriumBranchOptions): EquilibriumBranch {
  const parameter = o.parameter ?? CURRENT;
  for (const [k, v] of [
    ["from", o.from],
    ["to", o.to],
  ] as const) {
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`${k} must be a finite value of ${parameter}; got ${v}`);
  }
  if (o.from === o.to) throw new InvalidArgumentError(`from and to must differ; got ${o.from} for both`);
  const fam = family(model, parameter, o.parameters ?? {});
  const n = fam.n;
  const start = equilibria(fam.at(o.from));
  if (start.length === 0) {
    throw new InvalidArgumentError(
      `no equilibrium of model "${model.name}" at ${parameter} = ${o.from} with V in [-150, 100] mV; choose another start of the range`,
    );
  }
  const problem = equilibriumProblem(fam);
  const lo = Math.min(o.from, o.to);
  const hi = Math.max(o.from, o.to);
  const dir = o.to > o.from ? 1 : -1;
  const span = (hi - lo) * Math.sqrt(fam.weight) + 100;
  const dsMax = o.maxStep ?? span / 60;
  const dsMin = dsMax * 1e-7;
  const maxSteps = o.maxSteps ?? 4000;
  const opts = { tol: 1e-10, maxIterations: 8 };
  const u0 = Float64Array.from([...(start[0] as Equilibrium).state, o.from]);
  const e0 = new Float64Array(n + 1);
  e0[n] = dir;
  const t0 = tangentAt(problem, u0, e0);
  const toPoint = (u: Float64Array): EquilibriumPoint => {
    const p = u[n] as number;
    return { ...linearise(fam.at(p), u.slice(0, n)), p };
  };
  const points: EquilibriumPoint[] = [toPoint(u0)];
  const bifurcations: EquilibriumBifurcation[] = [];
  if (!t0)
    return {
      parameter,
      points,
      bifurcations,
      stop: `the Jacobian is singular at the first equilibrium (${parameter} = ${o.from}, V = ${(u0[0] as number).toFixed(3)} mV): the equilibrium is not isolated there (does any conductance depend on V?), so the branch cannot be continued from it; only that point was computed`,
      complete: false,
    };
  let cur: BranchPoint = { u: u0, tangent: t0 };
  let ds = dsMax / 10;
  let stop = "";
  let complete = false;
  const where = (u: Float64Array) => `${parameter} = ${(u[n] as number).toPrecision(7)}, V = ${(u[0] as number).toFixed(3)} mV`;
  for (let step = 0; step < maxSteps; step++) {
    const c = correct(problem, cur.u, cur.tangent, ds, opts);
    const t = c && tangentAt(problem, c.u, cur.tangent);
    if (!c || !t) {
      ds /= 2;
      if (ds < dsMin) {
        stop = `the branch could not be continued past ${where(cur.u)}: Newton's method did not converge even with a step of ${ds.toExponential(1)} (a singular Jacobian there?)`;
        break;
      }
      continue;
    }
    const next: BranchPoint = { u: c.u, tangent: t };
    const a = points[points.length - 1] as EquilibriumPoint;
    const b = toPoint(c.u);
    // fold: the parameter turns back (dp/ds changes sign)
    const fa = cur.tangent[n] as number;
    const fb = t[n] as number;
    if (fa * fb < 0) {
      const f = locate(problem, cur, fa, ds, fb, (pt) => pt.tangent[n] as number, { ...opts, sTol: 1e-12 * span });
      if (f) bifurcations.push({ kind: "fold", point: toPoint(f.u) });
    }
    const ha = hopfTest(a);
    const hb = hopfTest(b);
    if (Math.abs(a.unstable - b.unstable) >= 2 || (ha * hb < 0 && a.unstable !== b.unstable)) {
      if (ha * hb < 0) {
        const psi = (pt: BranchPoint) => hopfTest(toPoint(pt.u));
        const h = locate(problem, cur, ha, ds, hb, psi, { ...opts, sTol: 1e-12 * span });
        if (h) {
          const pt = toPoint(h.u);
          const omega = Math.max(...pt.eigenvalues.filter((l) => Math.abs(l.re) < 1e-6).map((l) => Math.abs(l.im)), 0);
          const ly = omega > 0 ? firstLyapunov(fam.at(pt.p), pt.state, omega) : undefined;
          bifurcations.push({
            kind: "hopf",
            point: pt,
            omega_per_ms: omega,
            frequency_Hz: (omega / (2 * Math.PI)) * 1000,
            ...(ly ? { l1: ly.l1, criticality: ly.criticality } : {}),
          });
        }
      }
    }
    points.push(b);
    cur = next;
    const p = c.u[n] as number;
    // the far end of the range ends the branch; behind its start, the branch may turn back (an S-shaped curve)
    if ((dir > 0 ? p > hi : p < lo) || p < lo - 100 * (hi - lo) || p > hi + 100 * (hi - lo)) {
      stop = (dir > 0 ? p > hi : p < lo) ? `reached the end of the range (${parameter} = ${o.to})` : `left the range at ${where(c.u)}`;
      complete = dir > 0 ? p > hi : p < lo;
      break;
    }
    if (!(Math.abs(c.u[0] as number) < 300)) {
      stop = `V left [-300, 300] mV at ${where(c.u)}`;
      break;
    }
    if (c.iterations <= 3) ds = Math.min(dsMax, ds * 1.5);
    else if (c.iterations >= 6) ds /= 2;
  }
  if (stop === "")
    stop = `stopped after ${maxSteps} steps (maxSteps) at ${where(cur.u)}, before the end of the range (${parameter} = ${o.to})`;
  return { parameter, points, bifurcations, stop, complete };
}
