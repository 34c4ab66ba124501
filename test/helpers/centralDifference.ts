/**
 * Column j of a Jacobian by central differences: (f(x + h·e_j) − f(x − h·e_j)) / 2h, with f's two values kept in
 * `fp` and `fm` (for tests that bound the difference's rounding error by them). The dynamics tests check the exact
 * Jacobians (src/dynamics/field.ts) against it.
 */
export function centralColumn(
  f: (x: Float64Array, out: Float64Array) => void,
  x: Float64Array,
  j: number,
  h: number,
  fp: Float64Array,
  fm: Float64Array,
): Float64Array {
  const xp = x.slice();
  const xm = x.slice();
  xp[j] = (xp[j] as number) + h;
  xm[j] = (xm[j] as number) - h;
  f(xp, fp);
  f(xm, fm);
  return fp.map((p, i) => (p - (fm[i] as number)) / (2 * h));
}
