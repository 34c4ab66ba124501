import type { Ms, MV } from "../units.js";
import type { FitSweep } from "./objective.js";

/**
 * The recording noise (mV) of target sweeps, from their baseline before the step: the standard deviation of V's
 * successive differences divided by √2 (white noise of SD σ gives differences of SD √2·σ; the slow baseline barely
 * contributes at a 0.1 ms sample interval), pooled over the sweeps. NaN when no sweep has two samples before start_ms.
 */
export function baselineNoise_mV(sweeps: readonly FitSweep[], start_ms: Ms): MV {
  let sum = 0;
  let count = 0;
  for (const s of sweeps) {
    for (let i = 1; i < s.t_ms.length && (s.t_ms[i] as number) < start_ms; i++) {
      sum += ((s.V_mV[i] as number) - (s.V_mV[i - 1] as number)) ** 2;
      count++;
    }
  }
  return count ? Math.sqrt(sum / count / 2) : Number.NaN;
}
