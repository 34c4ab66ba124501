import { invalid } from "../errors.js";
import type { Ms, UAPerCm2 } from "../units.js";
import type { Stimulus } from "./types.js";

/** A step current: `amplitude` on the window [start, stop), zero elsewhere. */
export interface StepOptions {
  /** µA/cm²: one value for every neuron or one per neuron. */
  readonly amplitude: UAPerCm2 | ArrayLike<UAPerCm2>;
  readonly start: Ms;
  readonly stop: Ms;
}

/**
 * A step current for n neurons. The window is half-open, [start, stop), as the lab's
 * `I = lambda t: amp if start <= t < stop else 0`.
 */
export function stepCurrent({ amplitude, start, stop }: StepOptions, n: number): Stimulus {
  if (!Number.isFinite(start)) throw invalid("stimulus start (ms)", start, "a finite number");
  if (!(Number.isFinite(stop) && stop >= start)) throw invalid("stimulus stop (ms)", stop, `a finite number ≥ start (${start})`);
  const amps = new Float64Array(n);
  if (typeof amplitude === "number") amps.fill(amplitude);
  else {
    if (amplitude.length !== n) throw invalid("stimulus amplitude (one per neuron)", `${amplitude.length} values`, `${n} values`);
    for (let i = 0; i < n; i++) amps[i] = amplitude[i] as number;
  }
  for (const a of amps) if (!Number.isFinite(a)) throw invalid("stimulus amplitude (µA/cm²)", a, "a finite number");
  const on = (t: Ms) => t >= start && t < stop;
  return {
    breakpoints: [start, stop],
    sample(t, out) {
      if (on(t)) out.set(amps);
      else out.fill(0);
    },
    gated: { amplitude: amps, on },
  };
}

/** No injected current. */
export const noStimulus: Stimulus = {
  breakpoints: [],
  sample: (_t, out) => out.fill(0),
  gated: { amplitude: new Float64Array(0), on: () => false },
};
