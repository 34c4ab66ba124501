import type { Ms } from "../../units.js";

/**
 * eFEL's resampling (cppcore/Utils.cpp `LinearInterpolation`), reproduced operation for operation so that
 * every index-based feature lands on the same samples: times t0, t0 + h, t0 + 2h, … formed by repeated
 * addition (x += h, as eFEL does), ceil((t_end − t0)/h) of them, plus one more if the last is still
 * before t_end; V linearly interpolated on the sample interval [X[j], X[j+1]] with X[j+1] ≥ x (after a
 * repeated time stamp, from the last of the repeated samples: see `dedupeTimes`).
 */
export function efelInterpolate(t: ArrayLike<number>, v: ArrayLike<number>, step: Ms): { t: Float64Array; v: Float64Array } {
  const n = t.length;
  const start = t[0] as number;
  const stop = t[n - 1] as number;
  const size = Math.ceil((stop - start) / step);
  // eFEL's accumulated sum, written straight into a typed array (one spare slot for the closing point)
  const xs = new Float64Array(Math.max(size, 0) + 1);
  let x = start;
  for (let i = 0; i < size; i++) {
    xs[i] = x;
    x += step;
  }
  let count = size;
  if (count === 0 || (xs[count - 1] as number) < stop) xs[count++] = x;
  const ti = count === xs.length ? xs : xs.subarray(0, count);
  const vi = new Float64Array(ti.length);
  let j = 0;
  let m = ti.length;
  for (let i = 0; i < ti.length; i++) {
    const xi = ti[i] as number;
    while ((t[j + 1] as number) < xi) {
      j++;
      if (j + 1 >= n) {
        j = n - 1;
        break;
      }
    }
    if (j === n - 1) {
      vi[i] = v[j] as number;
      m = i + 1;
      break;
    }
    const x0 = t[j] as number;
    const y0 = v[j] as number;
    vi[i] = y0 + (((v[j + 1] as number) - y0) / ((t[j + 1] as number) - x0)) * (xi - x0);
  }
  return m === ti.length ? { t: ti, v: vi } : { t: ti.subarray(0, m), v: vi.subarray(0, m) };
}
