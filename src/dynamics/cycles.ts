/**
 * Branches of periodic orbits by multiple shooting and pseudo-arclength continuation (so folds of cycles
 * are passed): started from a Hopf point or from a simulated orbit; with period, min/max V and Floquet
 * multipliers at every point; folds of cycles located; the end of the branch named (back to a Hopf point,
 * a period that grows without bound at a saddle-node of equilibria (SNIC) or elsewhere (homoclinic)).
 */
import { type BranchPoint, correct, locate, tangentAt } from "./continuation.js";
import type { Family } from "./equilibriumBranch.js";
import { type Complex, eigenvalues, eigenvector } from "./linalg.js";
import { orbitStates } from "./orbit.js";
import { type Mesh, type ShootingProblem, shootingProblem } from "./shooting.js";

export interface CyclePoint {
  readonly p: number;
  readonly period_ms: number;
  readonly Vmin_mV: number;
  readonly Vmax_mV: number;
  /** Floquet multipliers other than the trivial one (nearest 1), by decreasing modulus. */
  readonly multipliers: readonly Complex[];
  readonly stable: boolean;
  /** The state at the orbit's phase origin. */
  readonly state: Float64Array;
}

export type CycleEnd =
  | { readonly kind: "hopf"; readonly p: number }
  | { readonly kind: "snic" | "homoclinic"; readonly p: number }
  | { readonly kind: "range" | "steps" | "failed"; readonly p: number };

export interface CycleBranch {
  readonly parameter: string;
  /** Where it started ("Hopf point at I = …" or "simulated orbit at I = …"). */
  readonly origin: string;
  readonly points: readonly CyclePoint[];
  readonly folds: readonly CyclePoint[];
  readonly end: CycleEnd;
  /** Why the continuation stopped, in words. */
  readonly stop: string;
}

/** The default number of shooting segments of an orbit. */
export const SEGMENTS = 30;

export interface CycleOptions {
  /** The parameter range the branch stays in. */
  readonly range: readonly [number, number];
  /**
   * Segments of the orbit (default 30). hh1952's fold of cycles (EL −54.401) with 40, 30, 24, 20 segments: 6.2645215,
   * 6.2645216, 6.2645226, 6.2645234 µA/cm² (the published 6.264545 at E_l*, shifted by the leak: 6.2645213); 30
   * segments cost 0.8 of 40's time with the same fold to 2e-8.
   */
  readonly segments?: number;
  /** Largest RK4 step (ms; default from the Jacobian along the orbit, see autoDt) and fewest steps per segment (default 8). */
  readonly maxDt_ms?: number;
  readonly minSteps?: number;
  readonly maxSteps?: number;
  /** Largest arclength step (default 10). */
  readonly maxStep?: number;
  /** Stop when the period exceeds this (ms; default 1000): the orbit approaches a homoclinic orbit or SNIC. */
  readonly maxPeriod_ms?: number;
  /** Saddle-node points of the equilibrium branch: an orbit whose period grows without bound at one is a SNIC. */
  readonly saddleNodes?: readonly number[];
}

const interpolate = (t: number[], x: Float64Array[], at: number, n: number) => {
  let lo = 0;
  let hi = t.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((t[mid] as number) <= at) lo = mid;
    else hi = mid;
  }
  const t0 = t[lo] as number;
  const t1 = t[hi] as number;
  const w = t1 > t0 ? (at - t0) / (t1 - t0) : 0;
  const a = x[lo] as Float64Array;
  const b = x[hi] as Float64Array;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (a[k] as number) * (1 - w) + (b[k] as number) * w;
  return out;
};

/** Segment fractions that equidistribute |dx|_W + (L/T)·dt along the orbit, and the RK4 steps for each. */
function remesh(
  pr: ShootingProblem,
  fam: Family,
  u: Float64Array,
  tangent: Float64Array,
  maxDtGiven: number | undefined,
  minSteps: number,
) {
  const { M, n } = pr;
  const T = u[M * n] as number;
  const d0 = pr.dense(u);
  const maxDt = maxDtGiven ?? autoDt(fam, u[M * n + 1] as number, d0.x);
  const w = pr.weights;
  // the phase origin where the orbit moves fastest: the section through it is crossed transversally by nearby orbits
  const speed = (i: number) => {
    let s = 0;
    for (let k = 0; k < n; k++)
      s += (w[k] as number) * (((d0.x[i + 1] as Float64Array)[k] as number) - ((d0.x[i] as Float64Array)[k] as number)) ** 2;
    return Math.sqrt(s) / ((d0.t[i + 1] as number) - (d0.t[i] as number));
  };
  let fastest = 0;
  for (let i = 1; i < d0.x.length - 1; i++) if (speed(i) > speed(fastest)) fastest = i;
  const shift = d0.t[fastest] as number;
  const t: number[] = [];
  const x: Float64Array[] = [];
  for (let i = fastest; i < d0.x.length - 1; i++) {
    t.push((d0.t[i] as number) - shift);
    x.push(d0.x[i] as Float64Array);
  }
  for (let i = 0; i <= fastest; i++) {
    t.push((d0.t[i] as number) + T - shift);
    x.push(d0.x[i] as Float64Array);
  }
  const arc = [0];
  for (let i = 1; i < x.length; i++) {
    let s = 0;
    for (let k = 0; k < n; k++)
      s += (w[k] as number) * M * (((x[i] as Float64Array)[k] as number) - ((x[i - 1] as Float64Array)[k] as number)) ** 2;
    arc.push((arc[i - 1] as number) + Math.sqrt(s));
  }
  const L = arc[arc.length - 1] as number;
  const mon = arc.map((a, i) => a + (L / T) * (t[i] as number));
  const total = mon[mon.length - 1] as number;
  const times = [0];
  let j = 0;
  for (let i = 1; i < M; i++) {
    const target = (total * i) / M;
    while (j < mon.length - 2 && (mon[j + 1] as number) < target) j++;
    const m0 = mon[j] as number;
    const m1 = mon[j + 1] as number;
    const f = m1 > m0 ? (target - m0) / (m1 - m0) : 0;
    times.push((t[j] as number) + f * ((t[j + 1] as number) - (t[j] as number)));
  }
  const sigma = new Float64Array(M);
  const steps = new Int32Array(M);
  for (let i = 0; i < M; i++) {
    const d = (i + 1 < M ? (times[i + 1] as number) : T) - (times[i] as number);
    sigma[i] = d / T;
    steps[i] = Math.max(minSteps, Math.ceil((d * 1.3) / maxDt));
  }
  // the old mesh's start times, to carry the tangent's state components over
  const oldTimes: number[] = [];
  let acc = 0;
  for (let i = 0; i < M; i++) {
    oldTimes.push(acc);
    acc += (pr.mesh.sigma[i] as number) * T;
  }
  oldTimes.push(T);
  const oldTan = Array.from({ length: M + 1 }, (_, i) => tangent.slice((i % M) * n, (i % M) * n + n));
  const un = new Float64Array(u.length);
  const tn = new Float64Array(u.length);
  for (let i = 0; i < M; i++) {
    un.set(interpolate(t, x, times[i] as number, n), i * n);
    tn.set(interpolate(oldTimes, oldTan, ((times[i] as number) + shift) % T, n), i * n);
  }
  un[M * n] = T;
  un[M * n + 1] = u[M * n + 1] as number;
  tn[M * n] = tangent[M * n] as number;
  tn[M * n + 1] = tangent[M * n + 1] as number;
  return { mesh: { sigma, steps } as Mesh, u: un, tangent: tn };
}

function pointOf(pr: ShootingProblem, u: Float64Array): CyclePoint {
  const { M, n } = pr;
  const { x } = pr.dense(u);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of x) {
    lo = Math.min(lo, s[0] as number);
    hi = Math.max(hi, s[0] as number);
  }
  const mu = eigenvalues(pr.monodromy(u), n);
  let trivial = 0;
  mu.forEach((m, i) => {
    const d = Math.hypot(m.re - 1, m.im);
    if (d < Math.hypot((mu[trivial] as Complex).re - 1, (mu[trivial] as Complex).im)) trivial = i;
  });
  const others = mu.filter((_, i) => i !== trivial).sort((a, b) => Math.hypot(b.re, b.im) - Math.hypot(a.re, a.im));
  const stable = others.every((m) => Math.hypot(m.re, m.im) < 1);
  return {
    p: u[M * n + 1] as number,
    period_ms: u[M * n] as number,
    Vmin_mV: lo,
    Vmax_mV: hi,
    multipliers: others,
    stable,
    state: u.slice(0, n),
  };
}

/** Continues a cycle branch from a point u on it with tangent t (the shooting problem set up for u). */
function continueCycles(
  fam: Family,
  pr: ShootingProblem,
  u0: Float64Array,
  t0: Float64Array,
  o: CycleOptions,
  origin: string,
): CycleBranch {
  const { M, n } = pr;
  const iT = M * n;
  const ip = M * n + 1;
  const minSteps = o.minSteps ?? 8;
  const maxSteps = o.maxSteps ?? 400;
  const dsMax = o.maxStep ?? 10;
  const maxPeriod = o.maxPeriod_ms ?? 1000;
  const [lo, hi] = [Math.min(...o.range), Math.max(...o.range)];
  const opts = { tol: 1e-8, maxIterations: 7 };
  const points: CyclePoint[] = [pointOf(pr, u0)];
  const folds: CyclePoint[] = [];
  let cur: BranchPoint = { u: u0, tangent: t0 };
  let ds = Math.min(dsMax, 1);
  let end: CycleEnd = { kind: "steps", p: u0[ip] as number };
  let stop = `stopped after ${maxSteps} steps`;
  const maxAmp = { v: points[0] ? points[0].Vmax_mV - points[0].Vmin_mV : 0 };
  const name = fam.parameter;
  const setPhase = (u: Float64Array) => {
    const f = new Float64Array(n);
    fam.at(u[ip] as number).rhs(u.subarray(0, n), f);
    pr.phaseRef = u.slice(0, n);
    pr.phaseDir = f;
  };
  /**
   * The direction of travel from the (T, p) components where they carry it: the state components of two
   * tangents differ by a shift of phase (the gauge of each point's own phase condition), which can outweigh
   * the rest and reverse the branch.
   */
  const orient = (t: Float64Array, prev: Float64Array) => {
    const wT = pr.weights[iT] as number;
    const wp = pr.weights[ip] as number;
    const a = Math.hypot(Math.sqrt(wT) * (t[iT] as number), Math.sqrt(wp) * (t[ip] as number));
    const b = Math.hypot(Math.sqrt(wT) * (prev[iT] as number), Math.sqrt(wp) * (prev[ip] as number));
    if (a < 0.05 || b < 0.05) return;
    if (wT * (t[iT] as number) * (prev[iT] as number) + wp * (t[ip] as number) * (prev[ip] as number) < 0) {
      for (let i = 0; i < t.length; i++) t[i] = -(t[i] as number);
    }
  };
  setPhase(u0);
  let meshT = 0;
  let meshStep = 0;
  for (let step = 0; step < maxSteps; step++) {
    const c = correct(pr, cur.u, cur.tangent, ds, opts);
    // the tangent at the new point with the phase condition through that point (a gauge in which the
    // sign of dp/ds is that of the family of orbits, not of where a fixed section happens to cut them)
    if (c) setPhase(c.u);
    const t = c && tangentAt(pr, c.u, cur.tangent);
    if (t) orient(t, cur.tangent);
    if (!c || !t || !((c.u[iT] as number) > 0)) {
      setPhase(cur.u);
      ds /= 2;
      if (ds < 1e-6) {
        const last = points[points.length - 1] as CyclePoint;
        end = { kind: "failed", p: last.p };
        stop = `the cycle branch could not be continued past ${name} = ${last.p.toPrecision(7)} (period ${last.period_ms.toFixed(3)} ms): Newton's method for the shooting equations (${M} segments) did not converge even with a step of ${ds.toExponential(1)}; ${points.length} orbits were computed`;
        break;
      }
      continue;
    }

    const fa = cur.tangent[ip] as number;
    const fb = t[ip] as number;
    if (fa * fb < 0) {
      setPhase(cur.u);
      const f = locate(pr, cur, fa, ds, fb, (pt) => pt.tangent[ip] as number, { ...opts, sTol: 1e-9 });
      // a fold is an extremum of p: both neighbours lie on the same side of it
      const pf = f?.u[ip] as number;
      if (f && (pf - (cur.u[ip] as number)) * (pf - (c.u[ip] as number)) >= 0) folds.push(pointOf(pr, f.u));
      setPhase(c.u);
    }
    const pt = pointOf(pr, c.u);
    points.push(pt);
    cur = { u: c.u, tangent: t };
    const amp = pt.Vmax_mV - pt.Vmin_mV;
    maxAmp.v = Math.max(maxAmp.v, amp);
    if (pt.p < lo || pt.p > hi) {
      end = { kind: "range", p: pt.p };
      stop = `reached the end of the range (${name} = ${pt.p < lo ? lo : hi})`;
      break;
    }
    const prev = points[points.length - 2] as CyclePoint;
    const prevAmp = prev.Vmax_mV - prev.Vmin_mV;
    const prev2 = points[points.length - 3];
    const passed = prev2 !== undefined && prevAmp < 0.05 * maxAmp.v && amp > prevAmp && prev2.Vmax_mV - prev2.Vmin_mV > prevAmp;
    if (passed) points.pop();
    if (amp < 0.015 * maxAmp.v || passed) {
      end = { kind: "hopf", p: pt.p };
      stop = `the orbit shrank to the equilibrium: the branch ends at the Hopf point near ${name} = ${pt.p.toPrecision(6)}`;
      break;
    }
    if (pt.period_ms > maxPeriod) {
      const sn = (o.saddleNodes ?? []).find((q) => Math.abs(q - pt.p) <= 1e-2 * Math.max(1, Math.abs(q)));
      end = { kind: sn === undefined ? "homoclinic" : "snic", p: sn ?? pt.p };
      stop =
        sn === undefined
          ? `the period exceeded ${maxPeriod} ms at ${name} = ${pt.p.toPrecision(7)} away from any saddle-node: the orbit approaches a homoclinic orbit`
          : `the period exceeded ${maxPeriod} ms at ${name} = ${pt.p.toPrecision(7)}, at the saddle-node of equilibria (${name} = ${sn.toPrecision(7)}): a saddle-node on an invariant circle (SNIC)`;
      break;
    }
    // step control on the Newton iterations, then a new mesh for the orbit as it is now
    if (c.iterations <= 3) ds = Math.min(dsMax, ds * 1.4);
    else if (c.iterations >= 5) ds /= 1.5;
    // small orbits take small steps, so that an end at a Hopf point is seen
    ds = Math.min(ds, Math.max(0.5, 0.5 * amp));
    // a new mesh when the period has changed by more than 10 % since the last one, or every 8 steps
    const T = cur.u[iT] as number;
    if (Math.abs(T - meshT) < 0.1 * meshT && step - meshStep < 8) continue;
    meshT = T;
    meshStep = step;
    const r = remesh(pr, fam, cur.u, cur.tangent, o.maxDt_ms, minSteps);
    pr.mesh = r.mesh;
    setPhase(r.u);
    const rc = correct(pr, r.u, r.tangent, 0, opts);
    const rt = rc && tangentAt(pr, rc.u, r.tangent);
    if (rc && rt) {
      // keep the direction of travel in (T, p), which the re-meshing does not change
      orient(rt, cur.tangent);
      cur = { u: rc.u, tangent: rt };
      setPhase(rc.u);
    } else {
      end = { kind: "failed", p: pt.p };
      stop = `the cycle branch could not be continued past ${name} = ${pt.p.toPrecision(7)} (period ${pt.period_ms.toFixed(3)} ms): Newton's method for the shooting equations did not converge on the orbit's new mesh (${M} segments; more segments may pass); ${points.length} orbits were computed`;
      break;
    }
  }
  return { parameter: name, origin, points, folds, end, stop };
}

/**
 * The largest RK4 step (ms) for an orbit: 1.5/max|λ(J)| at its stiffest sample (well inside RK4's stability
 * interval, |hλ| < 2.78, and small enough for its accuracy), at most 1 ms.
 */
export function autoDt(fam: Family, p: number, states: readonly Float64Array[]): number {
  const n = fam.n;
  const J = new Float64Array(n * n);
  const field = fam.at(p);
  let worst = 1e-9;
  const every = Math.max(1, Math.floor(states.length / 50));
  for (let i = 0; i < states.length; i += every) {
    field.jacobian(states[i] as Float64Array, J);
    for (const l of eigenvalues(J, n)) worst = Math.max(worst, Math.hypot(l.re, l.im));
  }
  return Math.min(1, 1.5 / worst);
}

const uniformMesh = (M: number, T: number, maxDt: number, minSteps: number): Mesh => ({
  sigma: new Float64Array(M).fill(1 / M),
  steps: new Int32Array(M).fill(Math.max(minSteps, Math.ceil((T * 1.3) / M / maxDt))),
});

/**
 * The branch of periodic orbits born at a Hopf point (state x*, parameter p*, ω in rad/ms), started on
 * the first-order approximation x* + ε·Re(q·e^{iωt}) and continued until it ends.
 */
export function cyclesFromHopf(
  fam: Family,
  hopf: { readonly state: Float64Array; readonly p: number; readonly omega_per_ms: number },
  o: CycleOptions,
): CycleBranch {
  const n = fam.n;
  const M = o.segments ?? SEGMENTS;
  const minSteps = o.minSteps ?? 8;
  const maxDt = o.maxDt_ms ?? autoDt(fam, hopf.p, [hopf.state]);
  const field = fam.at(hopf.p);
  const A = new Float64Array(n * n);
  field.jacobian(hopf.state, A);
  // eigenvector q = a + ib of iω
  const ev = eigenvector(A, n, { re: 0, im: hopf.omega_per_ms });
  const omega = Math.abs(ev.value.im);
  const T = (2 * Math.PI) / omega;
  const a = ev.re;
  const b = ev.im;
  // scale so that the V excursion is 1
  const scale = 1 / Math.max(1e-12, Math.hypot(a[0] as number, b[0] as number));
  const u = new Float64Array(M * n + 2);
  const tan = new Float64Array(M * n + 2);
  for (let i = 0; i < M; i++) {
    const th = (2 * Math.PI * i) / M;
    for (let k = 0; k < n; k++) {
      u[i * n + k] = hopf.state[k] as number;
      tan[i * n + k] = scale * ((a[k] as number) * Math.cos(th) - (b[k] as number) * Math.sin(th));
    }
  }
  u[M * n] = T;
  u[M * n + 1] = hopf.p;
  const dir = new Float64Array(n);
  for (let k = 0; k < n; k++) dir[k] = -(b[k] as number) * scale;
  const ref = new Float64Array(n);
  for (let k = 0; k < n; k++) ref[k] = (hopf.state[k] as number) + (tan[k] as number);
  const pr = shootingProblem(fam, M, uniformMesh(M, T, maxDt, minSteps), ref, dir);
  let tn = 0;
  for (let i = 0; i < tan.length; i++) tn += (pr.weights[i] as number) * (tan[i] as number) ** 2;
  for (let i = 0; i < tan.length; i++) tan[i] = (tan[i] as number) / Math.sqrt(tn);
  const origin = `Hopf point at ${fam.parameter} = ${hopf.p.toPrecision(7)}`;
  const opts = { tol: 1e-8, maxIterations: 10 };
  // the first orbit: amplitude ≈ 1 mV in V, from the Hopf point along the eigenvector
  const first = correct(pr, u, tan, 0.5, opts);
  // orient the tangent along the secant from the Hopf point (outwards, to larger orbits)
  const t1 =
    first &&
    tangentAt(
      pr,
      first.u,
      first.u.map((v, i) => v - (u[i] as number)),
    );
  if (!first || !t1) {
    return {
      parameter: fam.parameter,
      origin,
      points: [],
      folds: [],
      end: { kind: "failed", p: hopf.p },
      stop: `no periodic orbit could be found next to the ${origin} (Newton's method for the shooting equations, ${M} segments, did not converge from the linear approximation)`,
    };
  }
  return continueCycles(fam, pr, first.u, t1, o, origin);
}

/**
 * The branch of periodic orbits through a known orbit (state x₀ on it, period T at parameter p), in the
 * direction of increasing (dir = 1) or decreasing (−1) parameter.
 */
export function cyclesFromOrbit(
  fam: Family,
  orbit: { readonly state: Float64Array; readonly period_ms: number; readonly p: number },
  dir: 1 | -1,
  o: CycleOptions,
): CycleBranch | string {
  const n = fam.n;
  const M = o.segments ?? SEGMENTS;
  const T = orbit.period_ms;
  // the RK4 step from the stiffest state along the whole orbit (its spike's peak), not only the crossing it starts at
  const maxDt = o.maxDt_ms ?? autoDt(fam, orbit.p, orbitStates(fam.at(orbit.p), orbit.state, T));
  const minSteps = o.minSteps ?? 8;
  const origin = `orbit at ${fam.parameter} = ${orbit.p.toPrecision(7)}`;
  // initial segments from one integration of the orbit
  const f0 = new Float64Array(n);
  fam.at(orbit.p).rhs(orbit.state, f0);
  const pr0 = shootingProblem(fam, M, uniformMesh(M, T, maxDt, minSteps), orbit.state, f0);
  const u = new Float64Array(M * n + 2);
  for (let i = 0; i < M; i++) u.set(orbit.state, i * n);
  u[M * n] = T;
  u[M * n + 1] = orbit.p;
  // the orbit from one integration over the period, sampled at the segment starts
  const one = shootingProblem(fam, 1, { sigma: Float64Array.of(1), steps: Int32Array.of(Math.ceil((T * 1.3) / maxDt)) }, orbit.state, f0);
  const u1 = Float64Array.from([...orbit.state, T, orbit.p]);
  const d = one.dense(u1);
  for (let i = 0; i < M; i++) u.set(interpolate(d.t, d.x, (T * i) / M, n), i * n);
  // fix p: a correction along e_p with ds = 0
  const ep = new Float64Array(M * n + 2);
  ep[M * n + 1] = 1 / Math.sqrt(pr0.weights[M * n + 1] as number);
  const c = correct(pr0, u, ep, 0, { tol: 1e-8, maxIterations: 12 });
  if (!c) return `no periodic orbit found near the simulated one at ${origin} (period ${T.toFixed(3)} ms)`;
  const e = new Float64Array(M * n + 2);
  e[M * n + 1] = dir;
  const t0 = tangentAt(pr0, c.u, e);
  if (!t0) return `singular shooting Jacobian at the ${origin}`;
  return continueCycles(fam, pr0, c.u, t0, o, origin);
}
