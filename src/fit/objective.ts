import { EFEL_FEATURES, type EfelFeatureName, EfelTrace, type EfelValues } from "../analysis/efel/features.js";
import { invalid } from "../errors.js";
import type { Ms, MV } from "../units.js";

/**
 * The objective of a fit: eFEL features of each sweep, each z-scored by a stated spread, z = (model − target)/spread,
 * and optionally a trace distance, the mean squared difference of V over the sweep in units of a stated spread.
 * total = Σ_features Σ_sweeps z² + weight · Σ_sweeps mean((V_model − V_target)²)/spread².
 */

/** A target sweep: the recorded (or simulated) trace and the current step applied in it. */
export interface FitSweep {
  readonly t_ms: Float64Array;
  readonly V_mV: Float64Array;
  /** The step's amplitude, in the protocol's current unit (µA/cm², or pA for a recorded cell). */
  readonly amplitude: number;
}

/** A feature term: an eFEL feature and the spread (its unit) that one z-score stands for. */
export interface FeatureTerm {
  readonly name: EfelFeatureName;
  readonly spread: number;
}

export interface ObjectiveSpec {
  readonly features: readonly FeatureTerm[];
  /** The trace-distance term: its spread (mV) and weight; absent or weight 0 means none. */
  readonly trace?: { readonly spread_mV: number; readonly weight: number };
}

/**
 * Default spreads, one z-score each (in the feature's unit): about what a cell varies between repeats of the
 * same step (BluePyOpt's L5PC fits use standard deviations of this size); give your own where you know better.
 */
export const DEFAULT_SPREADS: Readonly<Partial<Record<EfelFeatureName, number>>> = {
  Spikecount: 1,
  spike_count: 1,
  spike_count_stimint: 1,
  mean_frequency: 2,
  time_to_first_spike: 1,
  inv_first_ISI: 5,
  inv_last_ISI: 5,
  ISI_CV: 0.1,
  adaptation_index: 0.05,
  AP_amplitude: 2,
  peak_voltage: 2,
  AP_begin_voltage: 2,
  AP_duration_half_width: 0.1,
  spike_half_width: 0.1,
  AHP_depth_abs: 1,
  min_AHP_values: 1,
  voltage_base: 1,
  steady_state_voltage: 1,
  steady_state_voltage_stimend: 1,
  minimum_voltage: 1,
  maximum_voltage: 2,
  voltage_deflection_vb_ssse: 1,
  sag_amplitude: 0.5,
  decay_time_constant_after_stim: 2,
};

/** The default feature set: firing (count, latency, rate), AP shape, and the subthreshold levels. */
export const DEFAULT_FIT_FEATURES: readonly EfelFeatureName[] = [
  "Spikecount",
  "time_to_first_spike",
  "mean_frequency",
  "AP_amplitude",
  "AP_duration_half_width",
  "AHP_depth_abs",
  "voltage_base",
  "steady_state_voltage_stimend",
];

/** Features that exist only when the trace has spikes. */
export const SPIKE_FEATURES: ReadonlySet<string> = new Set([
  "time_to_first_spike",
  "mean_frequency",
  "inv_first_ISI",
  "inv_last_ISI",
  "ISI_CV",
  "ISI_values",
  "all_ISI_values",
  "adaptation_index",
  "AP_amplitude",
  "peak_voltage",
  "peak_time",
  "AP_begin_voltage",
  "AP_begin_time",
  "AP_duration_half_width",
  "spike_half_width",
  "AHP_depth_abs",
  "min_AHP_values",
]);

/** The z-score given to a feature that one trace has and the other lacks (and the cap of any |z|; BluePyOpt's is 250). */
export const MISSING_Z = 50;

/** A feature as one number: its mean over spikes (or its one value); null where eFEL gives none. */
export const featureValue = (v: EfelValues): number | null => {
  if (!v || v.length === 0) return null;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Number.isFinite(m) ? m : null;
};

/** Feature terms from names and optional spreads (name → spread), each checked. */
export function featureTerms(names: readonly string[], spreads: Readonly<Record<string, number>> = {}): FeatureTerm[] {
  for (const k of Object.keys(spreads))
    if (!names.includes(k)) throw invalid("feature spread name", k, `one of the fitted features (${names.join(", ")})`);
  return names.map((name) => {
    if (!(EFEL_FEATURES as readonly string[]).includes(name) || /indices$/.test(name))
      throw invalid("feature name", name, `an eFEL feature (${EFEL_FEATURES.filter((f) => !/indices$/.test(f)).join(", ")})`);
    const spread = spreads[name] ?? DEFAULT_SPREADS[name as EfelFeatureName] ?? 1;
    if (!(spread > 0 && Number.isFinite(spread)))
      throw invalid(`spread of feature ${name}`, spread, "a positive number (the feature's unit)");
    return { name: name as EfelFeatureName, spread };
  });
}

/** The target's side of the objective, computed once: its features per sweep, its V on the model's sample times. */
export interface PreparedTarget {
  readonly features: readonly (Readonly<Record<string, number | null>> & { spikes: number })[];
  /** V_target at the model's sample times, per sweep (for the trace distance). */
  readonly V_on_model_times: readonly Float64Array[];
}

/** Linear interpolation of (t, v) at the times `at` (held constant outside). */
export function resampleLinear(t: Float64Array, v: Float64Array, at: Float64Array): Float64Array {
  const out = new Float64Array(at.length);
  let j = 0;
  for (let i = 0; i < at.length; i++) {
    const x = at[i] as number;
    while (j + 1 < t.length && (t[j + 1] as number) <= x) j++;
    if (j + 1 >= t.length || x <= (t[j] as number)) out[i] = v[Math.min(j, t.length - 1)] as number;
    else {
      const t0 = t[j] as number;
      const t1 = t[j + 1] as number;
      out[i] = (v[j] as number) + (((v[j + 1] as number) - (v[j] as number)) * (x - t0)) / (t1 - t0);
    }
  }
  return out;
}

const featuresOf = (t: ArrayLike<number>, v: ArrayLike<number>, window: { start_ms: Ms; stop_ms: Ms }, terms: readonly FeatureTerm[]) => {
  const tr = new EfelTrace(t, v, { stim_start_ms: window.start_ms, stim_end_ms: window.stop_ms });
  const out: Record<string, number | null> & { spikes: number } = { spikes: featureValue(tr.get("Spikecount")) ?? 0 };
  for (const f of terms) out[f.name] = featureValue(tr.get(f.name));
  return out;
};

/**
 * Prepares the target: its features per sweep (checked: a spike feature needs a target sweep with spikes)
 * and its V resampled on the model's sample times.
 */
export function prepareTarget(
  sweeps: readonly FitSweep[],
  window: { start_ms: Ms; stop_ms: Ms },
  spec: ObjectiveSpec,
  modelTimes: Float64Array,
): PreparedTarget {
  const features = sweeps.map((s) => featuresOf(s.t_ms, s.V_mV, window, spec.features));
  const spiking = spec.features.filter((f) => SPIKE_FEATURES.has(f.name));
  if (spiking.length && features.every((f) => f.spikes === 0))
    throw invalid(
      "target",
      "no spikes in any sweep",
      `a trace with spikes when spike features are fitted (${spiking.map((f) => f.name).join(", ")}); fit subthreshold features only (voltage_base, steady_state_voltage_stimend, …)`,
    );
  return { features, V_on_model_times: sweeps.map((s) => resampleLinear(s.t_ms, s.V_mV, modelTimes)) };
}

/** One part of the objective: a feature of a sweep, or a sweep's trace distance. */
export interface ObjectivePart {
  readonly feature: string;
  readonly sweep: number;
  readonly target: number | null;
  readonly model: number | null;
  /** (model − target)/spread, capped at ±MISSING_Z; MISSING_Z where one side lacks the feature. */
  readonly z: number;
}

/** The objective of one candidate's traces (one per sweep, sampled at the model's times). */
export function scoreCandidate(
  t_ms: Float64Array,
  V: readonly Float64Array[],
  target: PreparedTarget,
  window: { start_ms: Ms; stop_ms: Ms },
  spec: ObjectiveSpec,
): { total: number; parts: ObjectivePart[] } {
  const parts: ObjectivePart[] = [];
  let total = 0;
  V.forEach((v, s) => {
    const tf = target.features[s] as Record<string, number | null>;
    const mf = spec.features.length ? featuresOf(t_ms, v, window, spec.features) : {};
    for (const f of spec.features) {
      const a = tf[f.name] ?? null;
      const b = (mf as Record<string, number | null>)[f.name] ?? null;
      const z =
        a === null && b === null ? 0 : a === null || b === null ? MISSING_Z : Math.max(-MISSING_Z, Math.min(MISSING_Z, (b - a) / f.spread));
      total += z * z;
      parts.push({ feature: f.name, sweep: s, target: a, model: b, z });
    }
    if (spec.trace && spec.trace.weight > 0) {
      const vt = target.V_on_model_times[s] as Float64Array;
      let sq = 0;
      for (let i = 0; i < v.length; i++) sq += ((v[i] as number) - (vt[i] as number)) ** 2;
      const rms = Math.sqrt(sq / v.length);
      const z = rms / spec.trace.spread_mV;
      total += spec.trace.weight * z * z;
      parts.push({ feature: "trace_rms_mV", sweep: s, target: 0, model: rms, z });
    }
  });
  return { total, parts };
}

/** The parts summed per feature (Σ z² over sweeps; the trace term with its weight). */
export function partsByFeature(parts: readonly ObjectivePart[], spec: ObjectiveSpec): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) {
    const w = p.feature === "trace_rms_mV" ? (spec.trace?.weight ?? 0) : 1;
    out[p.feature] = (out[p.feature] ?? 0) + w * p.z * p.z;
  }
  return out;
}

export type { MV };
