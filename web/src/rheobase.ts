/** The rheobase as an f–I sweep shows it: the smallest amplitude of the sweep that fires during the step. */
import type { FiResult } from "./lib.js";

export interface RheobaseEstimate {
  /** Smallest swept amplitude with at least one spike inside the stimulus window (µA/cm²), or null if none fires. */
  amplitude_uA_per_cm2: number | null;
  /** Spacing of the sweep there (µA/cm²): the true rheobase lies within one step below the estimate. */
  resolution_uA_per_cm2: number | null;
}

export function rheobaseEstimate(r: FiResult): RheobaseEstimate {
  const a = r.amplitudes_uA_per_cm2;
  let best = -1;
  for (let i = 0; i < a.length; i++) {
    if ((r.rates_Hz[i] as number) > 0 && (best < 0 || (a[i] as number) < (a[best] as number))) best = i;
  }
  if (best < 0) return { amplitude_uA_per_cm2: null, resolution_uA_per_cm2: null };
  const x = a[best] as number;
  // the nearest swept amplitude below it, if any (the sweep need not be sorted)
  let below = Number.NEGATIVE_INFINITY;
  for (const v of a) if (v < x && v > below) below = v;
  return { amplitude_uA_per_cm2: x, resolution_uA_per_cm2: Number.isFinite(below) ? x - below : null };
}
