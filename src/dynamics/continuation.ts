/**
 * Pseudo-arclength continuation of a curve F(u) = 0, F: ℝᴺ → ℝᴺ⁻¹ (Keller 1977; Kuznetsov 2004, §10.2):
 * a tangent predictor, a Newton corrector on the hyperplane ⟨t, u − û⟩_W = Δs, step-size control, and
 * the location of zeros of test functions along the curve (folds, Hopf points, folds of cycles). Used
 * for branches of equilibria and of periodic orbits alike.
 */
import { solveInPlace } from "./linalg.js";

export interface ContinuationProblem {
  /** N: the number of unknowns (states and the parameter); there are N − 1 equations. */
  readonly size: number;
  /** F(u) into out (length N − 1). */
  residual(u: Float64Array, out: Float64Array): void;
  /** ∂F/∂u into J, row-major (N − 1)×N. */
  jacobian(u: Float64Array, J: Float64Array): void;
  /** Weights of the inner product ⟨a, b⟩_W = Σ wᵢaᵢbᵢ that measures arclength (length N). */
  readonly weights: Float64Array;
}

export interface CorrectOptions {
  readonly tol: number;
  readonly maxIterations: number;
}

const dotW = (w: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i] as number) * (a[i] as number) * (b[i] as number);
  return s;
};

/** The bordered matrix [∂F/∂u; (W t)ᵀ] (N×N). */
function bordered(p: ContinuationProblem, u: Float64Array, t: Float64Array): Float64Array {
  const N = p.size;
  const M = new Float64Array(N * N);
  p.jacobian(u, M);
  for (let j = 0; j < N; j++) M[(N - 1) * N + j] = (p.weights[j] as number) * (t[j] as number);
  return M;
}

/** The unit tangent (in the W norm) at u, oriented along `previous`; undefined where the bordered matrix is singular. */
export function tangentAt(p: ContinuationProblem, u: Float64Array, previous: Float64Array): Float64Array | undefined {
  const N = p.size;
  const M = bordered(p, u, previous);
  const t = new Float64Array(N);
  t[N - 1] = 1;
  if (!solveInPlace(M, t, N)) return undefined;
  const s = Math.sqrt(dotW(p.weights, t, t));
  if (!(s > 0 && Number.isFinite(s))) return undefined;
  const sign = dotW(p.weights, t, previous) < 0 ? -1 : 1;
  for (let i = 0; i < N; i++) t[i] = (sign * (t[i] as number)) / s;
  return t;
}

/**
 * Newton's method for F(u) = 0 and ⟨t, u − uRef⟩_W = ds from the predictor uRef + ds·t.
 * Returns the corrected point and the iterations taken, or undefined when it does not converge.
 */
export function correct(
  p: ContinuationProblem,
  uRef: Float64Array,
  t: Float64Array,
  ds: number,
  o: CorrectOptions,
): { u: Float64Array; iterations: number } | undefined {
  const N = p.size;
  const u = new Float64Array(N);
  for (let i = 0; i < N; i++) u[i] = (uRef[i] as number) + ds * (t[i] as number);
  const F = new Float64Array(N);
  for (let it = 1; it <= o.maxIterations; it++) {
    p.residual(u, F);
    let arc = -ds;
    for (let i = 0; i < N; i++) arc += (p.weights[i] as number) * (t[i] as number) * ((u[i] as number) - (uRef[i] as number));
    F[N - 1] = arc;
    for (let i = 0; i < N; i++) F[i] = -(F[i] as number);
    const M = bordered(p, u, t);
    if (!solveInPlace(M, F, N)) return undefined;
    let step = 0;
    for (let i = 0; i < N; i++) {
      u[i] = (u[i] as number) + (F[i] as number);
      step += (p.weights[i] as number) * (F[i] as number) ** 2;
    }
    step = Math.sqrt(step);
    if (!Number.isFinite(step)) return undefined;
    if (step < o.tol) return { u, iterations: it };
  }
  return undefined;
}

export interface BranchPoint {
  readonly u: Float64Array;
  readonly tangent: Float64Array;
}

/**
 * The zero of ψ along the curve between a (ψ(a) = psiA) and the point at arclength dsB from it
 * (ψ = psiB, opposite sign), by the Illinois variant of regula falsi on the step size, each trial
 * point corrected onto the curve. Stops when |Δs| < sTol or ψ = 0.
 */
export function locate(
  p: ContinuationProblem,
  a: BranchPoint,
  psiA: number,
  dsB: number,
  psiB: number,
  psi: (pt: BranchPoint) => number,
  o: CorrectOptions & { readonly sTol: number; readonly maxIterations: number },
): BranchPoint | undefined {
  let s0 = 0;
  let f0 = psiA;
  let s1 = dsB;
  let f1 = psiB;
  let side = 0;
  let best: BranchPoint | undefined;
  for (let it = 0; it < 60; it++) {
    const s = (s0 * f1 - s1 * f0) / (f1 - f0);
    const c = correct(p, a.u, a.tangent, s, o);
    if (!c) return best;
    const t = tangentAt(p, c.u, a.tangent);
    if (!t) return best;
    const pt = { u: c.u, tangent: t };
    best = pt;
    const f = psi(pt);
    if (f === 0 || Math.abs(s1 - s0) < o.sTol) return pt;
    if (f * f1 < 0) {
      s0 = s1;
      f0 = f1;
      s1 = s;
      f1 = f;
      side = 0;
    } else {
      s1 = s;
      f1 = f;
      if (side === -1) f0 /= 2;
      side = -1;
    }
    if (Math.abs(s1 - s0) < o.sTol) return pt;
  }
  return best;
}
