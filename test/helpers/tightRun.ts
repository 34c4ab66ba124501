import { simulate } from "../../src/index.js";
import type { NeuronModel } from "../../src/models/types.js";

/**
 * Spike times (ms; upward crossings of −20 mV, the dynamics' orbit threshold) of a tight rk45 run (rtol 1e-9,
 * atol 1e-11) at constant current I (µA/cm²) from V0 (mV): the simulation the dynamics' orbits are checked against.
 */
export const tightSpikeTimes = (model: NeuronModel, I: number, duration_ms: number, V0_mV: number): number[] =>
  Array.from(
    simulate({
      model,
      parameters: { V0: V0_mV },
      stimulus: { amplitude_uA_per_cm2: I, start_ms: 0, stop_ms: duration_ms + 1 },
      duration_ms,
      dt_ms: 0.025,
      method: "rk45",
      rtol: 1e-9,
      atol: 1e-11,
      spike_threshold_mV: -20,
      record: { variables: [] },
    }).spikes.t_ms,
  );
