import { firingPattern } from "../analysis/firing.js";
import { spikeTimesOf } from "../record/spikes.js";
import type { UAPerCm2 } from "../units.js";
import { currentThreshold, type RheobaseOptions, stepBatch, type ThresholdSearchResult } from "./rheobase.js";

export interface SustainedThresholdResult extends ThresholdSearchResult {
  /** The smallest step amplitude that evokes firing lasting to the end of the step (µA/cm²). */
  readonly sustained_threshold_uA_per_cm2: UAPerCm2 | null;
  readonly step_ms: number;
}

/**
 * The sustained-firing threshold for a step from rest: the smallest amplitude at which the firing lasts
 * to the end of the step (`firingPattern(...).sustained`: the silence after the last spike in the step is
 * shorter than twice its late ISI), by batched bisection like `rheobase`. Below it a class II neuron fires
 * a transient burst and stops (classic HH at 6.23 µA/cm² on a 1 s step: 12 spikes, then silence), which a
 * spike count or mean rate would call firing.
 */
export function sustainedFiringThreshold(o: RheobaseOptions): SustainedThresholdResult {
  const r = currentThreshold(
    (amplitudes) => {
      const spikes = stepBatch(o, amplitudes);
      return Array.from(amplitudes, (_, i) => firingPattern(Array.from(spikeTimesOf(spikes, i)), o.start_ms, o.stop_ms).sustained);
    },
    { tolerance_uA_per_cm2: o.tolerance_uA_per_cm2, max_uA_per_cm2: o.max_uA_per_cm2 },
  );
  return {
    ...r,
    sustained_threshold_uA_per_cm2: r.threshold_uA_per_cm2,
    step_ms: o.stop_ms - o.start_ms,
    note: r.note === null ? null : r.note.replace("no spike", "no sustained firing").replace("fires without", "fires repetitively without"),
  };
}
