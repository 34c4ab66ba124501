import { firingPattern } from "../analysis/firing.js";
import { invalid } from "../errors.js";
import { windowSpikes } from "../record/window.js";
import { simulate } from "../simulate.js";
import type { SimulationSpecInput } from "../spec.js";
import type { SweepSpecInput } from "../sweep/spec.js";
import type { Hz, Ms, MV, UAPerCm2 } from "../units.js";

/** `count` evenly spaced values from `from` to `to` inclusive, as numpy.linspace. */
export function linspace(from: number, to: number, count: number): Float64Array {
  if (!(Number.isInteger(count) && count >= 1)) throw invalid("steps (number of amplitudes)", count, "a whole number ≥ 1");
  const out = new Float64Array(count);
  const step = count > 1 ? (to - from) / (count - 1) : 0;
  for (let i = 0; i < count; i++) out[i] = from + i * step;
  if (count > 1) out[count - 1] = to;
  return out;
}

export interface FiOptions {
  /** A built-in model's name or a model object. */
  readonly model?: SimulationSpecInput["model"];
  readonly parameters?: Readonly<Record<string, number | number[]>>;
  readonly amplitudes: ArrayLike<UAPerCm2>;
  readonly start_ms: Ms;
  readonly stop_ms: Ms;
  readonly duration_ms: Ms;
  readonly dt_ms: Ms;
  readonly method?: string;
  readonly spike_threshold_mV?: MV;
  /** Fast-math arithmetic for forward Euler (the simulation spec's fast_math). */
  readonly fast_math?: boolean;
  /** Tolerances of adaptive methods (rk45). */
  readonly rtol?: number;
  readonly atol?: number;
  /** The most neuron-steps (amplitudes × duration / dt) the curve may take; default 1e11 (the simulation spec's). */
  readonly max_neuron_steps?: number;
}

export interface FiResult {
  readonly amplitudes_uA_per_cm2: number[];
  /** Upward threshold crossings over the whole run (the lab's count). */
  readonly spike_counts: number[];
  /** Spikes whose crossing time lies in the stimulus window [start, stop), per second of window. */
  readonly rates_Hz: Hz[];
  /** "f32" when the GPU backend computed it; absent for the CPU's f64. */
  readonly precision?: "f32";
  /** 1000 / first ISI in the window (Hz); null with fewer than 2 spikes there (see `firingPattern`). */
  readonly first_isi_rates_Hz?: (Hz | null)[];
  /** 1000 / mean of the last ≤ 3 ISIs when the firing lasts to the end of the step, 0 when it stopped, null with < 2 spikes. */
  readonly steady_state_rates_Hz?: (Hz | null)[];
  /** The firing lasts to the end of the step (a transient burst that stops is not sustained firing). */
  readonly sustained?: boolean[];
}

/** The simulation spec of an f–I curve: one neuron per amplitude, spikes only. */
export function fiSpec(o: FiOptions): SimulationSpecInput {
  const amplitudes = Array.from(o.amplitudes);
  if (amplitudes.length === 0) throw invalid("amplitudes", "an empty list", "at least one amplitude (µA/cm²)");
  if (o.stop_ms > o.duration_ms) {
    throw invalid("stop_ms", o.stop_ms, `≤ duration_ms (${o.duration_ms} ms): rates are counted over [start_ms, stop_ms)`);
  }
  return {
    model: o.model ?? "lab",
    parameters: o.parameters ?? {},
    stimulus: { type: "step", amplitude_uA_per_cm2: amplitudes, start_ms: o.start_ms, stop_ms: o.stop_ms },
    duration_ms: o.duration_ms,
    dt_ms: o.dt_ms,
    method: o.method ?? "euler",
    spike_threshold_mV: o.spike_threshold_mV ?? 0,
    ...(o.fast_math ? { fast_math: true } : {}),
    record: { variables: [] },
    ...(o.rtol === undefined ? {} : { rtol: o.rtol }),
    ...(o.atol === undefined ? {} : { atol: o.atol }),
    ...(o.max_neuron_steps === undefined ? {} : { max_neuron_steps: o.max_neuron_steps }),
  };
}

/**
 * The same f–I curve as a sweep of the sweep engine (src/sweep: batches on worker threads, streamed and
 * resumable files, the GPU twin): one axis, the amplitude, and the protocol of `fiSpec`. Sweep parameters
 * are one number each.
 */
export function fiSweepSpec(o: FiOptions): SweepSpecInput {
  const parameters: Record<string, number> = {};
  for (const [k, v] of Object.entries(o.parameters ?? {})) {
    if (typeof v !== "number") throw invalid(`parameter ${k} of an f–I sweep`, String(v), "one number");
    parameters[k] = v;
  }
  return {
    model: o.model ?? "lab",
    method: o.method ?? "euler",
    dt_ms: o.dt_ms,
    duration_ms: o.duration_ms,
    start_ms: o.start_ms,
    stop_ms: o.stop_ms,
    parameters,
    spike_threshold_mV: o.spike_threshold_mV ?? 0,
    ...(o.fast_math ? { fast_math: true } : {}),
    ...(o.rtol === undefined ? {} : { rtol: o.rtol }),
    ...(o.atol === undefined ? {} : { atol: o.atol }),
    axes: [{ name: "amplitude", values: Array.from(o.amplitudes) }],
  };
}

/** An f–I curve: every amplitude is one neuron of a single batched run that records spikes only. */
export function fiCurve(o: FiOptions): FiResult {
  const amplitudes = Array.from(o.amplitudes);
  const r = simulate(fiSpec(o));
  const w = windowSpikes(r.spikes, amplitudes.length, o.start_ms, o.stop_ms);
  const times: number[][] = amplitudes.map(() => []);
  for (let j = 0; j < r.spikes.neuron.length; j++) times[r.spikes.neuron[j] as number]?.push(r.spikes.t_ms[j] as number);
  const patterns = o.stop_ms > o.start_ms ? times.map((t) => firingPattern(t, o.start_ms, o.stop_ms)) : null;
  return {
    amplitudes_uA_per_cm2: amplitudes,
    spike_counts: Array.from(r.spikes.count),
    rates_Hz: Array.from(w.rate_Hz),
    ...(patterns
      ? {
          first_isi_rates_Hz: patterns.map((p) => p.first_isi_rate_Hz),
          steady_state_rates_Hz: patterns.map((p) => p.steady_state_rate_Hz),
          sustained: patterns.map((p) => p.sustained),
        }
      : {}),
  };
}

/** The rheobase as an f–I sweep shows it (see `sweepRheobase`). */
export interface SweepRheobase {
  /** Smallest swept amplitude with at least one spike inside the stimulus window (µA/cm²), or null if none fires. */
  readonly amplitude_uA_per_cm2: UAPerCm2 | null;
  /** Spacing of the sweep there (µA/cm²): the true rheobase lies within one step below the estimate; null at the sweep's lowest amplitude. */
  readonly resolution_uA_per_cm2: UAPerCm2 | null;
}

/**
 * The rheobase as an f–I sweep shows it: the smallest amplitude of the sweep (sorted or not) that fires
 * during the step (rate > 0), and the sweep's spacing below it. `rheobase` bisects for the threshold itself.
 */
export function sweepRheobase(r: FiResult): SweepRheobase {
  const a = r.amplitudes_uA_per_cm2;
  let best = -1;
  for (let i = 0; i < a.length; i++) {
    if ((r.rates_Hz[i] as number) > 0 && (best < 0 || (a[i] as number) < (a[best] as number))) best = i;
  }
  if (best < 0) return { amplitude_uA_per_cm2: null, resolution_uA_per_cm2: null };
  const x = a[best] as number;
  // the nearest swept amplitude below it, if any
  let below = Number.NEGATIVE_INFINITY;
  for (const v of a) if (v < x && v > below) below = v;
  return { amplitude_uA_per_cm2: x, resolution_uA_per_cm2: Number.isFinite(below) ? x - below : null };
}
