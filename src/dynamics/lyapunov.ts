/**
 * The first Lyapunov coefficient ℓ₁ of a Hopf point (Kuznetsov 2004, Elements of Applied Bifurcation
 * Theory, 3rd ed., eq. 3.20): with Aq = iωq, Aᵀp = −iωp, ⟨p, q⟩ = 1, ⟨q, q⟩ = 1,
 *   ℓ₁ = Re[⟨p, C(q,q,q̄)⟩ − 2⟨p, B(q, A⁻¹B(q,q̄))⟩ + ⟨p, B(q̄, (2iωI − A)⁻¹B(q,q))⟩] / (2ω).
 * ℓ₁ < 0: supercritical (a stable cycle is born); ℓ₁ > 0: subcritical (an unstable cycle). The multilinear
 * forms B and C are directional derivatives of f by central differences, polarised from the diagonal ones.
 */
import type { VectorField } from "./field.js";
import { eigenvector, solve, solveComplex } from "./linalg.js";

/** A state vector (V in mV, gates dimensionless). */
export type Vec = Float64Array;

export interface LyapunovResult {
  /** ℓ₁ in the state units (V in mV, gates dimensionless) with ⟨q, q⟩ = 1, per ms. */
  readonly l1: number;
  readonly criticality: "subcritical" | "supercritical";
  /** ω (rad/ms) of the critical pair. */
  readonly omega: number;
}

/**
 * The first Lyapunov coefficient ℓ₁ at a Hopf point x of `field` (Kuznetsov's formula, derivatives by finite
 * differences): negative is supercritical, positive subcritical. Undefined where no critical pair near
 * `omegaGuess` (rad/ms) is found.
 */
export function firstLyapunov(field: VectorField, x: Vec, omegaGuess: number): LyapunovResult | undefined {
  const n = field.n;
  const A = new Float64Array(n * n);
  field.jacobian(x, A);
  const AT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) AT[j * n + i] = A[i * n + j] as number;
  const ev = eigenvector(A, n, { re: 0, im: Math.abs(omegaGuess) });
  const omega = ev.value.im;
  if (!(omega > 0)) return undefined;
  const evT = eigenvector(AT, n, { re: 0, im: omega });
  // q normalised: ⟨q, q⟩ = 1
  let qn = 0;
  for (let k = 0; k < n; k++) qn += (ev.re[k] as number) ** 2 + (ev.im[k] as number) ** 2;
  qn = Math.sqrt(qn);
  const a = ev.re.map((v) => v / qn);
  const b = ev.im.map((v) => v / qn);
  // r: Aᵀr = iωr; p = r̄ / c̄ with c = Σ r_k q_k, so that ⟨p, q⟩ = Σ p̄_k q_k = 1
  let cr = 0;
  let ci = 0;
  for (let k = 0; k < n; k++) {
    const rr = evT.re[k] as number;
    const ri = evT.im[k] as number;
    cr += rr * (a[k] as number) - ri * (b[k] as number);
    ci += rr * (b[k] as number) + ri * (a[k] as number);
  }
  // p = conj(r)/conj(c) → p̄ = r/c: the inner product ⟨p, z⟩ = Σ p̄_k z_k = Σ (r_k / c) z_k
  const den = cr * cr + ci * ci;
  const pbr = new Float64Array(n);
  const pbi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const rr = evT.re[k] as number;
    const ri = evT.im[k] as number;
    pbr[k] = (rr * cr + ri * ci) / den;
    pbi[k] = (ri * cr - rr * ci) / den;
  }
  const inner = (zr: Vec, zi: Vec): [number, number] => {
    let re = 0;
    let im = 0;
    for (let k = 0; k < n; k++) {
      re += (pbr[k] as number) * (zr[k] as number) - (pbi[k] as number) * (zi[k] as number);
      im += (pbr[k] as number) * (zi[k] as number) + (pbi[k] as number) * (zr[k] as number);
    }
    return [re, im];
  };

  const f0 = new Float64Array(n);
  field.rhs(x, f0);
  const at = (u: Vec, h: number) => {
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) y[k] = (x[k] as number) + h * (u[k] as number);
    const out = new Float64Array(n);
    field.rhs(y, out);
    return out;
  };
  const h2 = 1e-3;
  const h3 = 1e-2;
  /** B(u, u) = d²f[u, u] */
  const B2 = (u: Vec) => {
    const p = at(u, h2);
    const m = at(u, -h2);
    return p.map((v, k) => (v - 2 * (f0[k] as number) + (m[k] as number)) / (h2 * h2));
  };
  const add = (u: Vec, v: Vec, s = 1) => u.map((x0, k) => x0 + s * (v[k] as number));
  const B = (u: Vec, v: Vec) => {
    const p = B2(add(u, v));
    const m = B2(add(u, v, -1));
    return p.map((x0, k) => (x0 - (m[k] as number)) / 4);
  };
  /** C(u, u, u) = d³f[u, u, u] */
  const C3 = (u: Vec) => {
    const p2 = at(u, 2 * h3);
    const p1 = at(u, h3);
    const m1 = at(u, -h3);
    const m2 = at(u, -2 * h3);
    return p2.map((v, k) => (v - 2 * (p1[k] as number) + 2 * (m1[k] as number) - (m2[k] as number)) / (2 * h3 ** 3));
  };
  const C3a = C3(a);
  const C3b = C3(b);
  const C3p = C3(add(a, b));
  const C3m = C3(add(a, b, -1));
  // C(a,a,b) = [C3(a+b) − C3(a−b) − 2C3(b)]/6, C(a,b,b) = [C3(a+b) + C3(a−b) − 2C3(a)]/6
  const Caab = C3p.map((v, k) => (v - (C3m[k] as number) - 2 * (C3b[k] as number)) / 6);
  const Cabb = C3p.map((v, k) => (v + (C3m[k] as number) - 2 * (C3a[k] as number)) / 6);
  // C(q, q, q̄) = C(a,a,a) + C(a,b,b) + i(C(a,a,b) + C(b,b,b))
  const Cr = C3a.map((v, k) => v + (Cabb[k] as number));
  const Ci = Caab.map((v, k) => v + (C3b[k] as number));
  const term1 = inner(Cr, Ci)[0];

  // B(q, q̄) = B(a,a) + B(b,b) (real); B(q, q) = B(a,a) − B(b,b) + 2i B(a,b)
  const Baa = B2(a);
  const Bbb = B2(b);
  const Bab = B(a, b);
  const Bqqbar = Baa.map((v, k) => v + (Bbb[k] as number));
  const s = solve(A, Bqqbar, n);
  if (!s) return undefined;
  // B(q, s) = B(a, s) + i B(b, s)
  const term2 = inner(B(a, s), B(b, s))[0];
  const Bqq_r = Baa.map((v, k) => v - (Bbb[k] as number));
  const Bqq_i = Bab.map((v) => 2 * v);
  // (2iωI − A) w = B(q,q): real part −A, imaginary 2ωI
  const negA = A.map((v) => -v);
  const I2 = new Float64Array(n * n);
  for (let k = 0; k < n; k++) I2[k * n + k] = 2 * omega;
  const w = solveComplex(negA, I2, Bqq_r, Bqq_i, n);
  if (!w) return undefined;
  // B(q̄, w) with q̄ = a − ib, w = c + id: B(a,c) + B(b,d) + i(B(a,d) − B(b,c))
  const c = Float64Array.from(w.re);
  const d = Float64Array.from(w.im);
  const Bac = B(a, c);
  const Bbd = B(b, d);
  const Bad = B(a, d);
  const Bbc = B(b, c);
  const term3 = inner(
    Bac.map((v, k) => v + (Bbd[k] as number)),
    Bad.map((v, k) => v - (Bbc[k] as number)),
  )[0];
  const l1 = (term1 - 2 * term2 + term3) / (2 * omega);
  return { l1, criticality: l1 > 0 ? "subcritical" : "supercritical", omega };
}
