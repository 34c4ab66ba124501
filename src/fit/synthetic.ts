import { type ModelRef, resolveModel } from "../models/index.js";
import { simulate } from "../simulate.js";
import type { Ms, MV } from "../units.js";
import type { FitSweep } from "./objective.js";
import { SeededRandom } from "./random.js";

/**
 * A target simulated from a model with known parameters (V0 at rest, as a fit simulates), one sweep per
 * step amplitude (µA/cm²), sampled every sample_ms, plus Gaussian recording noise of noise_mV (seeded).
 */
export function simulatedTarget(o: {
  readonly model: ModelRef;
  readonly parameters: Readonly<Record<string, number>>;
  readonly amplitudes_uA_per_cm2: readonly number[];
  readonly start_ms: Ms;
  readonly stop_ms: Ms;
  readonly duration_ms: Ms;
  readonly dt_ms?: Ms;
  readonly method?: string;
  readonly sample_ms?: Ms;
  readonly noise_mV: MV;
  readonly seed: number;
}): FitSweep[] {
  const dt = o.dt_ms ?? 0.025;
  const r = simulate({
    model: { ...resolveModel(o.model), v0_mV: "rest" },
    parameters: { ...o.parameters },
    method: o.method ?? "euler",
    dt_ms: dt,
    duration_ms: o.duration_ms,
    stimulus: { type: "step", amplitude_uA_per_cm2: [...o.amplitudes_uA_per_cm2], start_ms: o.start_ms, stop_ms: o.stop_ms },
    record: { variables: ["V"], sample_ms: o.sample_ms ?? Math.max(dt, 0.1) },
  });
  const rng = new SeededRandom(o.seed);
  const V = r.traces.V ?? [];
  return o.amplitudes_uA_per_cm2.map((a, s) => ({
    t_ms: r.t_ms,
    V_mV: (V[s] as Float64Array).map((v) => v + o.noise_mV * rng.normal()),
    amplitude: a,
  }));
}
