import { invalid } from "../errors.js";
import type { Ms, UAPerCm2 } from "../units.js";
import type { Stimulus } from "./types.js";

/** One rectangular pulse on [start, start + duration); start and amplitude may differ per neuron. */
export interface PulseOptions {
  /** ms: one value for every neuron or one per neuron. */
  readonly start: Ms | ArrayLike<Ms>;
  readonly duration: Ms;
  /** µA/cm²: one value for every neuron or one per neuron. */
  readonly amplitude: UAPerCm2 | ArrayLike<UAPerCm2>;
}

const perNeuron = (what: string, v: number | ArrayLike<number>, n: number): Float64Array => {
  const out = new Float64Array(n);
  if (typeof v === "number") out.fill(v);
  else {
    if (v.length !== n) throw invalid(`${what} (one per neuron)`, `${v.length} values`, `${n} values`);
    for (let i = 0; i < n; i++) out[i] = v[i] as number;
  }
  for (const x of out) if (!Number.isFinite(x)) throw invalid(what, x, "a finite number");
  return out;
};

/**
 * A train of rectangular pulses for n neurons; overlapping pulses add. Each pulse is on the
 * half-open window [start, start + duration) like the step current, with its own start time
 * and amplitude per neuron: a paired-pulse protocol over many intervals and amplitudes is
 * one batched run.
 */
export function pulseCurrent(pulses: readonly PulseOptions[], n: number): Stimulus {
  const compiled = pulses.map((p, k) => {
    if (!(Number.isFinite(p.duration) && p.duration >= 0)) throw invalid(`pulse ${k} duration (ms)`, p.duration, "a finite number ≥ 0");
    const start = perNeuron(`pulse ${k} start (ms)`, p.start, n);
    const stop = new Float64Array(n);
    for (let i = 0; i < n; i++) stop[i] = (start[i] as number) + p.duration;
    return { start, stop, amplitude: perNeuron(`pulse ${k} amplitude (µA/cm²)`, p.amplitude, n) };
  });
  const breakpoints = [...new Set(compiled.flatMap((p) => [...p.start, ...p.stop]))].sort((a, b) => a - b);
  return {
    breakpoints,
    sample(t, out) {
      out.fill(0);
      for (const p of compiled) {
        const { start, stop, amplitude } = p;
        for (let i = 0; i < n; i++) {
          if (t >= (start[i] as number) && t < (stop[i] as number)) out[i] = (out[i] as number) + (amplitude[i] as number);
        }
      }
    },
  };
}
