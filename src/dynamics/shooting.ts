/**
 * Multiple shooting for periodic orbits (Ascher, Mattheij & Russell 1995, §4.3; Kuznetsov 2004, §10.3.1):
 * the orbit is cut into M segments with start states x₀…x_{M−1}; segment i lasts σᵢ·T and is integrated by
 * classical RK4 in Kᵢ steps together with its variational equations [Φ | ∂x/∂T | ∂x/∂p], so that Newton's
 * method sees the exact derivative of the discrete flow. Unknowns u = (x₀, …, x_{M−1}, T, p); equations:
 * the end of segment i equals the start of segment i + 1 (cyclically), and the phase condition
 * ⟨d, x₀ − r⟩ = 0 (a section through the reference point r of the previous orbit, along its flow d).
 */
import type { ContinuationProblem } from "./continuation.js";
import type { Family } from "./equilibriumBranch.js";
import { stateWeights } from "./equilibriumBranch.js";

export interface Mesh {
  /** Fractions of the period of each segment (sum 1). */
  readonly sigma: Float64Array;
  /** RK4 steps in each segment. */
  readonly steps: Int32Array;
}

export interface ShootingProblem extends ContinuationProblem {
  readonly M: number;
  readonly n: number;
  mesh: Mesh;
  /** Phase condition: reference point and direction. */
  phaseRef: Float64Array;
  phaseDir: Float64Array;
  /** The orbit at u sampled at every RK4 step: times (ms from x₀) and states (row per sample). */
  dense(u: Float64Array): { t: number[]; x: Float64Array[] };
  /** The monodromy matrix Φ(T) at u (row-major n×n), from the last Jacobian evaluation at u. */
  monodromy(u: Float64Array): Float64Array;
}

/** RK4 of dx/dt = f with the variational block Y (n × (n+2)): dY/dt = J·Y + [0 | f/T | ∂f/∂p]. */
function integrateSegment(
  fam: Family,
  p: number,
  T: number,
  x0: Float64Array,
  duration: number,
  K: number,
  withVariations: boolean,
  onStep?: (t: number, x: Float64Array) => void,
) {
  const n = fam.n;
  const c = n + 2;
  const field = fam.at(p);
  const h = duration / K;
  const x = Float64Array.from(x0);
  const Y = new Float64Array(n * c);
  for (let i = 0; i < n; i++) Y[i * c + i] = 1;
  const kx = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const kY = [new Float64Array(n * c), new Float64Array(n * c), new Float64Array(n * c), new Float64Array(n * c)];
  const xs = new Float64Array(n);
  const Ys = new Float64Array(n * c);
  const J = new Float64Array(n * n);
  const fp = new Float64Array(n);
  const stage = (xi: Float64Array, Yi: Float64Array, outX: Float64Array, outY: Float64Array) => {
    if (!withVariations) {
      field.rhs(xi, outX);
      return;
    }
    field.rhsJacobian(xi, outX, J);
    fam.dfdp(xi, p, fp);
    for (let i = 0; i < n; i++) {
      // J·Y row by row, skipping J's zeros (a gate's row has two non-zeros: ∂/∂V and ∂/∂itself)
      outY.fill(0, i * c, i * c + c);
      for (let k = 0; k < n; k++) {
        const jik = J[i * n + k] as number;
        if (jik === 0) continue;
        for (let j = 0; j < c; j++) outY[i * c + j] = (outY[i * c + j] as number) + jik * (Yi[k * c + j] as number);
      }
      outY[i * c + n] = (outY[i * c + n] as number) + (outX[i] as number) / T;
      outY[i * c + n + 1] = (outY[i * c + n + 1] as number) + (fp[i] as number);
    }
  };
  const coef = [0, 0.5, 0.5, 1];
  onStep?.(0, x);
  for (let s = 0; s < K; s++) {
    for (let r = 0; r < 4; r++) {
      const a = (coef[r] as number) * h;
      const prevX = r === 0 ? undefined : (kx[r - 1] as Float64Array);
      const prevY = r === 0 ? undefined : (kY[r - 1] as Float64Array);
      for (let i = 0; i < n; i++) xs[i] = (x[i] as number) + (prevX ? a * (prevX[i] as number) : 0);
      if (withVariations) for (let i = 0; i < n * c; i++) Ys[i] = (Y[i] as number) + (prevY ? a * (prevY[i] as number) : 0);
      stage(xs, Ys, kx[r] as Float64Array, kY[r] as Float64Array);
    }
    const [k1, k2, k3, k4] = kx as [Float64Array, Float64Array, Float64Array, Float64Array];
    for (let i = 0; i < n; i++)
      x[i] = (x[i] as number) + (h / 6) * ((k1[i] as number) + 2 * (k2[i] as number) + 2 * (k3[i] as number) + (k4[i] as number));
    if (withVariations) {
      const [y1, y2, y3, y4] = kY as [Float64Array, Float64Array, Float64Array, Float64Array];
      for (let i = 0; i < n * c; i++)
        Y[i] = (Y[i] as number) + (h / 6) * ((y1[i] as number) + 2 * (y2[i] as number) + 2 * (y3[i] as number) + (y4[i] as number));
    }
    onStep?.((s + 1) * h, x);
  }
  return { x, Y };
}

export function shootingProblem(fam: Family, M: number, mesh: Mesh, phaseRef: Float64Array, phaseDir: Float64Array): ShootingProblem {
  const n = fam.n;
  const N = M * n + 2;
  const sw = stateWeights(n);
  const weights = new Float64Array(N);
  for (let i = 0; i < M; i++) for (let k = 0; k < n; k++) weights[i * n + k] = (sw[k] as number) / M;
  weights[M * n] = 1;
  weights[M * n + 1] = fam.weight;
  let cacheU: Float64Array | undefined;
  let cacheF: Float64Array | undefined;
  let cacheJ: Float64Array | undefined;
  let cacheMono: Float64Array | undefined;
  const evaluate = (u: Float64Array) => {
    if (cacheU && cacheU.length === u.length && cacheU.every((v, i) => v === u[i])) return;
    const T = u[M * n] as number;
    const p = u[M * n + 1] as number;
    const F = new Float64Array(N - 1);
    const Jm = new Float64Array((N - 1) * N);
    let mono: Float64Array | undefined;
    const c = n + 2;
    for (let i = 0; i < M; i++) {
      const xi = u.subarray(i * n, i * n + n) as Float64Array;
      const { x, Y } = integrateSegment(fam, p, T, xi, (pr.mesh.sigma[i] as number) * T, pr.mesh.steps[i] as number, true);
      const next = ((i + 1) % M) * n;
      for (let k = 0; k < n; k++) {
        const row = i * n + k;
        F[row] = (x[k] as number) - (u[next + k] as number);
        for (let j = 0; j < n; j++) Jm[row * N + i * n + j] = Y[k * c + j] as number;
        Jm[row * N + next + k] = (Jm[row * N + next + k] as number) - 1;
        Jm[row * N + M * n] = Y[k * c + n] as number;
        Jm[row * N + M * n + 1] = Y[k * c + n + 1] as number;
      }
      // monodromy Φ = Φ_{M−1}···Φ₀
      const Phi = new Float64Array(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) Phi[a * n + b] = Y[a * c + b] as number;
      if (!mono) mono = Phi;
      else {
        const m2 = new Float64Array(n * n);
        for (let a = 0; a < n; a++)
          for (let b = 0; b < n; b++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += (Phi[a * n + k] as number) * (mono[k * n + b] as number);
            m2[a * n + b] = s;
          }
        mono = m2;
      }
    }
    const row = M * n;
    let ph = 0;
    for (let k = 0; k < n; k++) {
      ph += (pr.phaseDir[k] as number) * ((u[k] as number) - (pr.phaseRef[k] as number));
      Jm[row * N + k] = pr.phaseDir[k] as number;
    }
    F[row] = ph;
    cacheU = Float64Array.from(u);
    cacheF = F;
    cacheJ = Jm;
    cacheMono = mono;
  };
  const pr: ShootingProblem = {
    size: N,
    weights,
    M,
    n,
    mesh,
    phaseRef,
    phaseDir,
    residual(u, out) {
      evaluate(u);
      out.set(cacheF as Float64Array);
    },
    jacobian(u, J) {
      evaluate(u);
      J.set(cacheJ as Float64Array);
    },
    monodromy(u) {
      evaluate(u);
      return cacheMono as Float64Array;
    },
    dense(u) {
      const T = u[M * n] as number;
      const p = u[M * n + 1] as number;
      const t: number[] = [];
      const x: Float64Array[] = [];
      let t0 = 0;
      for (let i = 0; i < M; i++) {
        const d = (pr.mesh.sigma[i] as number) * T;
        integrateSegment(fam, p, T, u.subarray(i * n, i * n + n) as Float64Array, d, pr.mesh.steps[i] as number, false, (s, xs) => {
          if (s === 0 && i > 0) return;
          t.push(t0 + s);
          x.push(Float64Array.from(xs));
        });
        t0 += d;
      }
      return { t, x };
    },
  };
  return pr;
}
