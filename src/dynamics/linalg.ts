/** Small dense linear algebra on row-major Float64Arrays: LU solves here, eigenvalues through ml-matrix. */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

/** A complex number (re, im). */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/**
 * Solves A x = b in place (b becomes x) for a square row-major A of size n (A is overwritten by its LU
 * factors). Returns false when A is singular to working precision (a pivot below 1e-300 or not finite).
 */
export function solveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  const piv = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    let max = Math.abs(A[k * n + k] as number);
    for (let i = k + 1; i < n; i++) {
      const a = Math.abs(A[i * n + k] as number);
      if (a > max) {
        max = a;
        p = i;
      }
    }
    if (!(max > 1e-300) || !Number.isFinite(max)) return false;
    piv[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = A[k * n + j] as number;
        A[k * n + j] = A[p * n + j] as number;
        A[p * n + j] = t;
      }
      const t = b[k] as number;
      b[k] = b[p] as number;
      b[p] = t;
    }
    const d = A[k * n + k] as number;
    for (let i = k + 1; i < n; i++) {
      const l = (A[i * n + k] as number) / d;
      if (l === 0) continue;
      A[i * n + k] = l;
      for (let j = k + 1; j < n; j++) A[i * n + j] = (A[i * n + j] as number) - l * (A[k * n + j] as number);
      b[i] = (b[i] as number) - l * (b[k] as number);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < n; j++) s -= (A[i * n + j] as number) * (b[j] as number);
    b[i] = s / (A[i * n + i] as number);
  }
  return true;
}

/** A x = b for a copy of A; undefined when A is singular. */
export function solve(A: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | undefined {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  return solveInPlace(a, x, n) ? x : undefined;
}

/** Complex solve (A + i·B) z = c + i·d as the real system [[A, −B], [B, A]] [x; y] = [c; d]. */
export function solveComplex(A: ArrayLike<number>, B: ArrayLike<number>, c: ArrayLike<number>, d: ArrayLike<number>, n: number) {
  const m = 2 * n;
  const M = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = A[i * n + j] as number;
      const b = B[i * n + j] as number;
      M[i * m + j] = a;
      M[i * m + n + j] = -b;
      M[(n + i) * m + j] = b;
      M[(n + i) * m + n + j] = a;
    }
  }
  const rhs = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    rhs[i] = c[i] as number;
    rhs[n + i] = d[i] as number;
  }
  if (!solveInPlace(M, rhs, m)) return undefined;
  return { re: rhs.subarray(0, n), im: rhs.subarray(n) };
}

const toMatrix = (A: ArrayLike<number>, n: number) => {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from({ length: n }, (_, j) => A[i * n + j] as number));
  return new Matrix(rows);
};

/** Eigenvalues of a real n×n matrix, sorted by decreasing real part. */
export function eigenvalues(A: ArrayLike<number>, n: number): Complex[] {
  if (n === 0) return [];
  const e = new EigenvalueDecomposition(toMatrix(A, n), { assumeSymmetric: false });
  const out = e.realEigenvalues.map((re, i) => ({ re, im: e.imaginaryEigenvalues[i] as number }));
  return out.sort((a, b) => b.re - a.re || b.im - a.im);
}

/**
 * The eigenvector of A (real n×n) for the eigenvalue closest to `target`, as complex re/im parts
 * (ml-matrix stores a complex pair λ = a ± ib as the columns (Re v, Im v) for a + ib).
 */
export function eigenvector(A: ArrayLike<number>, n: number, target: Complex): { value: Complex; re: Float64Array; im: Float64Array } {
  const e = new EigenvalueDecomposition(toMatrix(A, n), { assumeSymmetric: false });
  const re = e.realEigenvalues;
  const im = e.imaginaryEigenvalues;
  let best = 0;
  let dist = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const d = Math.hypot((re[i] as number) - target.re, (im[i] as number) - target.im);
    if (d < dist) {
      dist = d;
      best = i;
    }
  }
  const V = e.eigenvectorMatrix;
  const vr = new Float64Array(n);
  const vi = new Float64Array(n);
  const lamIm = im[best] as number;
  if (lamIm === 0) {
    for (let k = 0; k < n; k++) vr[k] = V.get(k, best);
  } else {
    // the pair occupies columns j (Re) and j+1 (Im) where j is the one with positive imaginary part
    const j = lamIm > 0 ? best : best - 1;
    const sign = lamIm > 0 ? 1 : -1;
    for (let k = 0; k < n; k++) {
      vr[k] = V.get(k, j);
      vi[k] = sign * V.get(k, j + 1);
    }
  }
  return { value: { re: re[best] as number, im: lamIm }, re: vr, im: vi };
}

/** Euclidean norm. */
export const norm = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
};
