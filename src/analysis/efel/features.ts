import { invalid } from "../../errors.js";
import type { Ms, MV } from "../../units.js";
import { checkTrace } from "../spikes.js";
import {
  apBeginIndices,
  apEndIndices,
  apFallIndices,
  apRiseIndices,
  efelDerivative,
  indexAtOrAfter,
  minAhpIndices,
  peakIndices,
} from "./events.js";
import { efelInterpolate } from "./interpolate.js";
import { EFEL_DEFAULTS, type EfelSettings, efelSettings } from "./settings.js";

/** The features this library computes, by eFEL's names (definitions in README "Features of a recording"). */
export const EFEL_FEATURES = [
  "Spikecount",
  "spike_count",
  "spike_count_stimint",
  "peak_indices",
  "peak_time",
  "peak_voltage",
  "AP_begin_indices",
  "AP_begin_time",
  "AP_begin_voltage",
  "AP_amplitude",
  "AP_end_indices",
  "AP_rise_indices",
  "AP_fall_indices",
  "AP_duration_half_width",
  "spike_half_width",
  "min_AHP_indices",
  "min_AHP_values",
  "AHP_depth_abs",
  "all_ISI_values",
  "ISI_values",
  "ISI_CV",
  "mean_frequency",
  "time_to_first_spike",
  "adaptation_index",
  "inv_first_ISI",
  "inv_last_ISI",
  "voltage_base",
  "steady_state_voltage",
  "steady_state_voltage_stimend",
  "minimum_voltage",
  "maximum_voltage",
  "voltage_deflection_vb_ssse",
  "sag_amplitude",
  "decay_time_constant_after_stim",
] as const;
export type EfelFeatureName = (typeof EFEL_FEATURES)[number];

/** A feature's values (one per spike, or one), or null where eFEL gives None (the feature fails or is empty). */
export type EfelValues = number[] | null;

const mean = (v: Float64Array, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i] as number;
  return s / (to - from);
};

/**
 * eFEL features of one voltage trace, lazily: each feature is computed once, on first use, on the trace
 * resampled as eFEL resamples it (`interp_step`), from the dependencies eFEL uses. Pure; time may be
 * sampled unevenly and may repeat (NEURON CVode records).
 */
export class EfelTrace {
  readonly settings: EfelSettings;
  /** The resampled trace every feature is computed on. */
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly stim_start_ms: Ms;
  readonly stim_end_ms: Ms;
  readonly #cache = new Map<string, EfelValues>();
  #dvdt: Float64Array | null = null;

  constructor(
    t_ms: ArrayLike<Ms>,
    V_mV: ArrayLike<MV>,
    stimulus: { stim_start_ms: Ms; stim_end_ms: Ms },
    settings: Partial<EfelSettings> = {},
  ) {
    checkTrace(t_ms, V_mV);
    const { stim_start_ms, stim_end_ms } = stimulus;
    if (!Number.isFinite(stim_start_ms)) throw invalid("stim_start_ms", stim_start_ms, "a finite time (ms)");
    if (!(stim_end_ms > stim_start_ms)) throw invalid("stim_end_ms", stim_end_ms, `a time after stim_start_ms (${stim_start_ms})`);
    if (t_ms.length < 3) throw invalid("t_ms", `${t_ms.length} samples`, "at least 3 samples (eFEL's interpolation)");
    this.settings = settings === EFEL_DEFAULTS ? EFEL_DEFAULTS : efelSettings(settings);
    this.stim_start_ms = stim_start_ms;
    this.stim_end_ms = stim_end_ms;
    const r = efelInterpolate(t_ms, V_mV, this.settings.interp_step);
    this.t = r.t;
    this.v = r.v;
  }

  get dvdt(): Float64Array {
    this.#dvdt ??= efelDerivative(this.t, this.v);
    return this.#dvdt;
  }

  /** One feature by eFEL's name. */
  get(name: EfelFeatureName): EfelValues {
    const hit = this.#cache.get(name);
    if (hit !== undefined) return hit;
    const value = this.#compute(name);
    // eFEL: an empty result is None
    const out = value && value.length === 0 && name !== "ISI_values" ? null : value;
    this.#cache.set(name, out);
    return out;
  }

  /** Several features as one plain object (name → values or null). */
  features(names: readonly EfelFeatureName[] = EFEL_FEATURES): Record<string, EfelValues> {
    return Object.fromEntries(names.map((n) => [n, this.get(n)]));
  }

  #compute(name: EfelFeatureName): EfelValues {
    const { t, v, settings: s, stim_start_ms: start, stim_end_ms: end } = this;
    const at = (idx: EfelValues, arr: Float64Array) => idx?.map((i) => arr[i] as number) ?? null;
    switch (name) {
      case "peak_indices":
        return peakIndices(t, v, s.Threshold, s.strict_stiminterval, start, end);
      case "Spikecount":
      case "spike_count":
        return [this.get("peak_indices")?.length ?? 0];
      case "spike_count_stimint": {
        const pt = this.get("peak_time");
        return [pt ? pt.filter((x) => start <= x && x <= end).length : 0];
      }
      case "peak_time":
        return at(this.get("peak_indices"), t);
      case "peak_voltage":
        return at(this.get("peak_indices"), v);
      case "min_AHP_indices": {
        const p = this.get("peak_indices");
        return p ? minAhpIndices(t, v, p, s.strict_stiminterval, end) : null;
      }
      case "min_AHP_values":
      case "AHP_depth_abs":
        return at(this.get("min_AHP_indices"), v);
      case "AP_begin_indices": {
        const p = this.get("peak_indices");
        return p ? apBeginIndices(t, v, this.dvdt, start, p, this.get("min_AHP_indices"), s.DerivativeThreshold, s.DerivativeWindow) : null;
      }
      case "AP_begin_time":
        return at(this.get("AP_begin_indices"), t);
      case "AP_begin_voltage":
        return at(this.get("AP_begin_indices"), v);
      case "AP_end_indices": {
        const p = this.get("peak_indices");
        return p ? apEndIndices(t, this.dvdt, start, p, s.DownDerivativeThreshold) : null;
      }
      case "AP_rise_indices": {
        const b = this.get("AP_begin_indices");
        const p = this.get("peak_indices");
        return b && p ? apRiseIndices(v, b, p) : null;
      }
      case "AP_fall_indices": {
        const b = this.get("AP_begin_indices");
        const e = this.get("AP_end_indices");
        const p = this.get("peak_indices");
        return b && e && p ? apFallIndices(v, b, e, p) : null;
      }
      case "AP_duration_half_width": {
        const r = this.get("AP_rise_indices");
        const f = this.get("AP_fall_indices");
        return r && f ? r.map((ri, i) => (t[f[i] as number] as number) - (t[ri] as number)) : null;
      }
      case "AP_amplitude": {
        const b = this.get("AP_begin_indices");
        const pv = this.get("peak_voltage");
        const pt = this.get("peak_time");
        if (!b || !pv || !pt) return null;
        const during = pv.filter((_, i) => (pt[i] as number) >= start && (pt[i] as number) <= end);
        if (during.length > b.length) return null;
        return during.map((x, i) => x - (v[b[i] as number] as number));
      }
      case "spike_half_width":
        return this.#spikeHalfWidth();
      case "all_ISI_values": {
        const pt = this.get("peak_time");
        if (!pt || pt.length < 2) return null;
        return pt.slice(1).map((x, i) => x - (pt[i] as number));
      }
      case "ISI_values": {
        const isi = this.get("all_ISI_values");
        return isi ? (s.ignore_first_ISI ? isi.slice(1) : isi) : null;
      }
      case "ISI_CV": {
        const all = this.get("all_ISI_values");
        const isi = all ? (s.ignore_first_ISI ? all.slice(1) : all) : null;
        if (!isi || isi.length < 2) return null;
        const m = isi.reduce((a, b) => a + b, 0) / isi.length;
        const ss = isi.reduce((a, b) => a + (b - m) ** 2, 0);
        return [Math.sqrt(ss / (isi.length - 1)) / m];
      }
      case "mean_frequency": {
        const pt = this.get("peak_time");
        if (!pt) return null;
        let last = 0;
        let count = 0;
        for (const x of pt)
          if (x >= start && x <= end) {
            last = x;
            count++;
          }
        if (last === start) return null;
        return [(count * 1000) / (last - start)];
      }
      case "time_to_first_spike": {
        const pt = this.get("peak_time");
        return pt ? [(pt[0] as number) - start] : null;
      }
      case "adaptation_index":
        return this.#adaptationIndex();
      case "inv_first_ISI":
      case "inv_last_ISI": {
        const isi = this.get("all_ISI_values");
        if (!isi) return null;
        return [1000 / (isi[name === "inv_first_ISI" ? 0 : isi.length - 1] as number)];
      }
      case "voltage_base": {
        const t0 = start * s.voltage_base_start_perc;
        const t1 = start * s.voltage_base_end_perc;
        if (t0 >= t1) return null;
        const i0 = indexAtOrAfter(t, t0);
        let i1 = t.length;
        for (let i = t.length - 1; i > 0; i--)
          if ((t[i] as number) - t1 < s.precision_threshold) {
            i1 = i + 1;
            break;
          }
        return [mean(v, i0, i1)];
      }
      case "steady_state_voltage": {
        let sum = 0;
        let n = 0;
        for (let i = t.length - 1; i >= 0 && (t[i] as number) > end; i--) {
          sum += v[i] as number;
          n++;
        }
        return [sum / n];
      }
      case "steady_state_voltage_stimend": {
        const i0 = indexAtOrAfter(t, end - 0.1 * (end - start));
        const i1 = indexAtOrAfter(t, end);
        return i1 > i0 ? [mean(v, i0, i1)] : null;
      }
      case "minimum_voltage":
      case "maximum_voltage":
        return this.#maxMin(name === "maximum_voltage");
      case "voltage_deflection_vb_ssse": {
        const ss = this.get("steady_state_voltage_stimend");
        const vb = this.get("voltage_base");
        return ss && vb ? [(ss[0] as number) - (vb[0] as number)] : null;
      }
      case "sag_amplitude": {
        const ss = this.get("steady_state_voltage_stimend");
        const d = this.get("voltage_deflection_vb_ssse");
        const mn = this.get("minimum_voltage");
        if (!ss || !d || !mn) return null;
        return (d[0] as number) <= 0 ? [(ss[0] as number) - (mn[0] as number)] : null;
      }
      case "decay_time_constant_after_stim":
        return this.#decayTimeConstant();
    }
  }

  #maxMin(max: boolean): EfelValues {
    const { t, v } = this;
    const last = t[t.length - 1] as number;
    if (this.stim_start_ms > last) return null;
    const stimEnd = Math.min(this.stim_end_ms, last);
    const i0 = indexAtOrAfter(t, this.stim_start_ms);
    const i1 = indexAtOrAfter(t, stimEnd);
    if (i0 >= t.length || i1 >= t.length || i1 <= i0) return null;
    let m = v[i0] as number;
    for (let i = i0 + 1; i < i1; i++) m = max ? Math.max(m, v[i] as number) : Math.min(m, v[i] as number);
    return [m];
  }

  #spikeHalfWidth(): EfelValues {
    const { t, v } = this;
    const peaks = this.get("peak_indices");
    const ahps = this.get("min_AHP_indices");
    if (!peaks || !ahps) return null;
    const plus = [indexAtOrAfter(t, this.stim_start_ms), ...ahps];
    const out: number[] = [];
    for (let i = 1; i < plus.length; i++) {
      const p = peaks[i - 1] as number;
      const vHalf = ((v[p] as number) + (v[plus[i] as number] as number)) / 2;
      let rise = plus[i - 1] as number;
      while (rise < p && !((v[rise] as number) >= vHalf)) rise++;
      const tDevRise =
        (((t[rise] as number) - (t[rise - 1] as number)) * (vHalf - (v[rise] as number))) / ((v[rise] as number) - (v[rise - 1] as number));
      let fall = p;
      const stop = plus[i] as number;
      while (fall < stop && !((v[fall] as number) <= vHalf)) fall++;
      const tDevFall =
        (((t[fall] as number) - (t[fall - 1] as number)) * (vHalf - (v[fall] as number))) / ((v[fall] as number) - (v[fall - 1] as number));
      out.push((t[fall] as number) - tDevRise - (t[rise] as number) + tDevFall);
    }
    return out;
  }

  #adaptationIndex(): EfelValues {
    const pt = this.get("peak_time");
    if (!pt) return null;
    const s = this.settings;
    const times = pt.filter((x) => x >= this.stim_start_ms && x <= this.stim_end_ms);
    const remove = Math.min(Math.trunc(times.length * s.spike_skipf + 0.5), s.max_spike_skip);
    const kept = times.slice(remove);
    if (kept.length < 4) return null;
    const isi = kept.slice(1).map((x, i) => x - (kept[i] as number));
    let adi = 0;
    for (let i = 1; i < isi.length; i++)
      adi += ((isi[i] as number) - (isi[i - 1] as number)) / ((isi[i] as number) + (isi[i - 1] as number));
    return [adi / (isi.length - 1)];
  }

  #decayTimeConstant(): EfelValues {
    const { t, v, settings: s } = this;
    const ref = v[indexAtOrAfter(t, this.stim_start_ms)] as number;
    const i0 = indexAtOrAfter(t, this.stim_end_ms + s.decay_start_after_stim);
    const i1 = indexAtOrAfter(t, this.stim_end_ms + s.decay_end_after_stim);
    const n = i1 - i0;
    if (n < 1) return null;
    // eFEL's slope_straight_line_fit, the same sums in the same order
    let sx = 0;
    let sy = 0;
    let sx2 = 0;
    let sxy = 0;
    for (let i = i0; i < i1; i++) {
      const x = t[i] as number;
      const y = Math.log(Math.abs((v[i] as number) - ref));
      sx += x;
      sy += y;
      sx2 += x * x;
      sxy += x * y;
    }
    const slope = (n * sxy - sx * sy) / (n * sx2 - sx * sx);
    return [Math.abs(-1 / slope)];
  }
}

/** eFEL features of one trace with eFEL's defaults unless settings say otherwise (see EfelTrace). */
export function efelFeatures(
  t_ms: ArrayLike<Ms>,
  V_mV: ArrayLike<MV>,
  stimulus: { stim_start_ms: Ms; stim_end_ms: Ms },
  names: readonly EfelFeatureName[] = EFEL_FEATURES,
  settings: Partial<EfelSettings> = EFEL_DEFAULTS,
): Record<string, EfelValues> {
  return new EfelTrace(t_ms, V_mV, stimulus, settings).features(names);
}
