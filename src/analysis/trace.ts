import type { Ms, MV } from "../units.js";

/**
 * A trace with repeated time stamps (NEURON's CVode records an event as two samples at one time: the
 * state before it, then the state after) reduced to the last sample at each time, the state the trace
 * continues from, so that every slope is finite. eFEL's resampling interpolates between that last sample
 * and the next one too, so eFEL-compatible features of the reduced trace equal those of the raw record
 * (tested on eFEL's mean_frequency_1.txt, 21,999 repeated time stamps). Returns the inputs themselves when no time
 * repeats; `removed` counts the samples dropped.
 */
export function dedupeTimes(t_ms: Float64Array, V_mV: Float64Array): { t_ms: Float64Array; V_mV: Float64Array; removed: number } {
  let removed = 0;
  for (let i = 1; i < t_ms.length; i++) if (t_ms[i] === t_ms[i - 1]) removed++;
  if (removed === 0) return { t_ms, V_mV, removed };
  const t = new Float64Array(t_ms.length - removed);
  const v = new Float64Array(t.length);
  let k = 0;
  for (let i = 0; i < t_ms.length; i++) {
    if (i + 1 < t_ms.length && t_ms[i + 1] === t_ms[i]) continue;
    t[k] = t_ms[i] as Ms;
    v[k++] = V_mV[i] as MV;
  }
  return { t_ms: t, V_mV: v, removed };
}
