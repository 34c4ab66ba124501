import { invalid } from "../errors.js";

/** Brackets after a batched bisection: for each problem, `lo` does not fire and `hi` does, hi − lo ≤ tolerance. */
export interface Brackets {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** How many batched evaluations (simulation runs) it took. */
  readonly runs: number;
}

/**
 * Solves many monotone threshold problems at once: problem i has a bracket [lo_i, hi_i] where
 * `lo_i` does not fire and `hi_i` fires. Each round places `probes` evenly spaced points inside every
 * open bracket and evaluates all of them with ONE call of `fires` (one batched simulation); the
 * bracket then shrinks to the sub-interval where firing starts (factor probes + 1 per round).
 * `fires(x, owner)` gets the probe values and the problem each belongs to and returns whether each fired.
 */
export function batchedBisection(
  lo0: ArrayLike<number>,
  hi0: ArrayLike<number>,
  tolerance: number,
  fires: (x: Float64Array, owner: Int32Array) => ArrayLike<boolean>,
  probes = 1,
): Brackets {
  if (!(tolerance > 0)) throw invalid("tolerance", tolerance, "a positive number");
  if (!(Number.isInteger(probes) && probes >= 1)) throw invalid("probes per bracket", probes, "a whole number ≥ 1");
  const lo = Float64Array.from(lo0);
  const hi = Float64Array.from(hi0);
  let runs = 0;
  for (;;) {
    const open: number[] = [];
    for (let i = 0; i < lo.length; i++) if ((hi[i] as number) - (lo[i] as number) > tolerance) open.push(i);
    if (open.length === 0) return { lo, hi, runs };
    const x = new Float64Array(open.length * probes);
    const owner = new Int32Array(open.length * probes);
    open.forEach((i, r) => {
      const a = lo[i] as number;
      const w = (hi[i] as number) - a;
      for (let j = 0; j < probes; j++) {
        x[r * probes + j] = a + (w * (j + 1)) / (probes + 1);
        owner[r * probes + j] = i;
      }
    });
    const fired = fires(x, owner);
    runs++;
    open.forEach((i, r) => {
      // the first probe that fires bounds the bracket from above; the one before it from below
      let j = 0;
      while (j < probes && !fired[r * probes + j]) j++;
      if (j > 0) lo[i] = x[r * probes + j - 1] as number;
      if (j < probes) hi[i] = x[r * probes + j] as number;
    });
  }
}
