/**
 * eFEL's index-level spike events on the resampled trace, following efel/cppcore (SpikeEvent.cpp,
 * SpikeShape.cpp, Utils.h) line for line: the same strict comparisons, search directions and
 * "first minimum" rule, so that indices (and so every feature built on them) agree exactly.
 * Each returns null where eFEL's feature fails or is empty (eFEL returns None for both).
 */

/**
 * peak_indices: a spike is a run V[i−1] < θ < V[i] … V[k−1] > θ > V[k]; its peak the first largest sample
 * of [up, down] (inclusive). A trace that starts above θ drops the first downward crossing (the spike it
 * starts in); one that ends above θ drops the last upward one (an unfinished spike). No crossing → null.
 */
export function peakIndices(
  t: Float64Array,
  v: Float64Array,
  threshold: number,
  strict: boolean,
  stimStart: number,
  stimEnd: number,
): number[] | null {
  const up: number[] = [];
  const dn: number[] = [];
  for (let i = 1; i < v.length; i++) {
    const a = v[i - 1] as number;
    const b = v[i] as number;
    if (b > threshold && a < threshold) up.push(i);
    else if (b < threshold && a > threshold) dn.push(i);
  }
  if (dn.length === 0 || up.length === 0) return null;
  let d0 = 0;
  while (d0 < dn.length && (dn[d0] as number) < (up[0] as number)) d0++;
  const downs = dn.slice(d0);
  const count = Math.min(up.length, downs.length);
  const peaks: number[] = [];
  for (let i = 0; i < count; i++) {
    let best = -1e9;
    let at = -1;
    for (let j = up[i] as number; j <= (downs[i] as number); j++)
      if (best < (v[j] as number)) {
        best = v[j] as number;
        at = j;
      }
    if (at < 0) continue;
    if (strict && !((t[at] as number) >= stimStart && (t[at] as number) <= stimEnd)) continue;
    peaks.push(at);
  }
  return peaks;
}

/** eFEL's first_min_element (Utils.h): the running minimum once two later samples have not gone below it, else the global minimum. */
export function firstMinElement(v: Float64Array, first: number, last: number): number {
  if (first === last) return last;
  let lowest = first;
  let lowestMin = first;
  let counter = 0;
  for (let k = first + 1; k < last; k++) {
    const x = v[k] as number;
    if (x < (v[lowest] as number)) lowest = k;
    if (x >= (v[lowestMin] as number)) counter++;
    if (x < (v[lowestMin] as number)) {
      counter = 0;
      lowestMin = k;
    }
    if (counter === 2) return lowestMin;
  }
  return lowest;
}

/** First index with t[i] ≥ at (t.length if none), as eFEL's find_if over the time vector. */
export function indexAtOrAfter(t: Float64Array, at: number): number {
  let lo = 0;
  let hi = t.length;
  // t is non-decreasing: binary search for the first t[i] ≥ at
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) >= at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * min_AHP_indices: the first minimum (firstMinElement) between each peak and the next, and between the
 * last peak and the trace end (the stimulus end when strict); a minimum on the last sample of the trace
 * is dropped. Null when none.
 */
export function minAhpIndices(
  t: Float64Array,
  v: Float64Array,
  peaks: readonly number[],
  strict: boolean,
  stimEnd: number,
): number[] | null {
  const end = strict ? indexAtOrAfter(t, stimEnd) : t.length;
  const plus = [...peaks, end];
  const out: number[] = [];
  for (let i = 0; i < plus.length - 1; i++) {
    const k = firstMinElement(v, plus[i] as number, plus[i + 1] as number);
    if (k !== end - 1) out.push(k);
  }
  return out.length ? out : null;
}

/** dV/dt as eFEL takes it: the central difference of V over the central difference of t (one-sided at the ends). */
export function efelDerivative(t: Float64Array, v: Float64Array): Float64Array {
  const n = v.length;
  const d = new Float64Array(n);
  d[0] = ((v[1] as number) - (v[0] as number)) / ((t[1] as number) - (t[0] as number));
  for (let i = 1; i < n - 1; i++)
    d[i] = ((v[i + 1] as number) - (v[i - 1] as number)) / 2 / (((t[i + 1] as number) - (t[i - 1] as number)) / 2);
  d[n - 1] = ((v[n - 1] as number) - (v[n - 2] as number)) / ((t[n - 1] as number) - (t[n - 2] as number));
  return d;
}

/**
 * AP_begin_indices (SpikeShape.cpp `__AP_begin_indices`): for each peak after the stimulus start, walking
 * back from the peak to the previous AHP minimum (for the first, two samples before the stimulus start),
 * the sample after the last one with dV/dt ≤ DerivativeThreshold, provided dV/dt then stays ≥ the threshold
 * for DerivativeWindow samples (else the search goes on further back). A peak with no such sample is skipped.
 */
export function apBeginIndices(
  t: Float64Array,
  v: Float64Array,
  dvdt: Float64Array,
  stimStart: number,
  peaks: readonly number[],
  ahps: readonly number[] | null,
  dTh: number,
  width: number,
): number[] | null {
  const stimBegin = indexAtOrAfter(t, stimStart);
  const minima: number[] = [stimBegin > 1 ? stimBegin - 2 : stimBegin === 1 ? 0 : stimBegin];
  for (const a of ahps ?? []) if (a > stimBegin) minima.push(a);
  const pk = peaks.filter((p) => p > stimBegin);
  if (minima.length < pk.length) return null; // eFEL: "More peaks than min_AHP"
  const end = v.length;
  const out: number[] = [];
  for (let i = 0; i < pk.length; i++) {
    const lo = minima[i] as number;
    let newBegin = pk[i] as number;
    let begin = lo;
    let skip = false;
    for (;;) {
      // the last e in [lo, newBegin − 1] with dvdt[e] ≤ dTh, plus one; lo when none
      let e = newBegin - 1;
      while (e >= lo && !((dvdt[e] as number) <= dTh)) e--;
      begin = e >= lo ? e + 1 : lo;
      if (begin > end - width) begin = end - width;
      if (begin === lo) {
        skip = true;
        break;
      }
      newBegin = begin - 1;
      let allAbove = true;
      for (let k = begin; k < begin + width; k++)
        if ((dvdt[k] as number) < dTh) {
          allAbove = false;
          break;
        }
      if (allAbove) break;
    }
    if (!skip) out.push(begin);
  }
  return out.length ? out : null;
}

/** AP_end_indices: after each peak (after the stimulus start), the first sample from the steepest fall where dV/dt ≥ DownDerivativeThreshold. */
export function apEndIndices(
  t: Float64Array,
  dvdt: Float64Array,
  stimStart: number,
  peaks: readonly number[],
  downTh: number,
): number[] | null {
  const stimBegin = indexAtOrAfter(t, stimStart);
  const pk = peaks.filter((p) => p > stimBegin);
  pk.push(dvdt.length - 1);
  const out: number[] = [];
  for (let i = 0; i < pk.length - 1; i++) {
    const s = (pk[i] as number) + 1;
    const e = pk[i + 1] as number;
    if (s >= e || s >= dvdt.length || e >= dvdt.length) continue;
    let m = s;
    for (let k = s + 1; k < e; k++) if ((dvdt[k] as number) < (dvdt[m] as number)) m = k;
    for (let k = m; k < e; k++)
      if ((dvdt[k] as number) >= downTh) {
        out.push(k);
        break;
      }
  }
  return out.length ? out : null;
}

/** AP_rise_indices: between begin and peak, the sample closest to the half height (V[peak] + V[begin])/2 (peaks paired by position, as eFEL). */
export function apRiseIndices(v: Float64Array, begins: readonly number[], peaks: readonly number[]): number[] | null {
  const n = Math.min(begins.length, peaks.length);
  const out: number[] = new Array(n).fill(0);
  for (let i = 0; i < n; i++) {
    const b = begins[i] as number;
    const p = peaks[i] as number;
    if (p < b) return null;
    const half = ((v[p] as number) + (v[b] as number)) / 2;
    let best = b;
    for (let k = b + 1; k < p; k++) if (Math.abs((v[k] as number) - half) < Math.abs((v[best] as number) - half)) best = k;
    out[i] = best;
  }
  return out.length ? out : null;
}

/** AP_fall_indices: between peak and AP end, the sample closest to the half height (0 where eFEL skips a spike). */
export function apFallIndices(
  v: Float64Array,
  begins: readonly number[],
  ends: readonly number[],
  peaks: readonly number[],
): number[] | null {
  const n = Math.min(begins.length, peaks.length);
  const out: number[] = new Array(n).fill(0);
  for (let i = 0; i < n; i++) {
    const p = peaks[i] as number;
    const b = begins[i] as number;
    const e = ends[i];
    if (e === undefined) continue; // eFEL reads past its vector here; such a spike has no fall index
    if (p >= v.length || b >= v.length || e >= v.length || p > e) continue;
    const half = ((v[p] as number) + (v[b] as number)) / 2;
    let best = p;
    for (let k = p + 1; k < e; k++) if (Math.abs((v[k] as number) - half) < Math.abs((v[best] as number) - half)) best = k;
    out[i] = best;
  }
  return out.length ? out : null;
}
