import { invalid } from "../../errors.js";
import type { Ms, MV } from "../../units.js";

/**
 * Settings that are part of an eFEL feature's identity (names as eFEL's `Settings`, units in the field docs).
 * `EFEL_DEFAULTS` are eFEL 5.7's defaults: with them the features below are "eFEL-compatible".
 */
export interface EfelSettings {
  /** Spike detection threshold (mV): a spike is a run of samples above it. eFEL `Threshold`, default −20. */
  readonly Threshold: MV;
  /** AP onset: dV/dt (mV/ms) must reach this for `DerivativeWindow` samples. eFEL default 10. */
  readonly DerivativeThreshold: number;
  /** AP end: dV/dt (mV/ms) threshold on the falling phase. eFEL default −12. */
  readonly DownDerivativeThreshold: number;
  /** Samples the derivative must stay above `DerivativeThreshold` at the onset. eFEL default 3. */
  readonly DerivativeWindow: number;
  /** Every feature is computed on the trace resampled at this step (ms) by linear interpolation. eFEL default 0.1. */
  readonly interp_step: Ms;
  /** Drop the first ISI from ISI_values and ISI_CV. eFEL default true. */
  readonly ignore_first_ISI: boolean;
  /** Only peaks inside [stim_start, stim_end] count, and AHPs end at stim_end. eFEL default false. */
  readonly strict_stiminterval: boolean;
  /** voltage_base averages V over [voltage_base_start_perc, voltage_base_end_perc] × stim_start. Defaults 0.9, 1. */
  readonly voltage_base_start_perc: number;
  readonly voltage_base_end_perc: number;
  /** adaptation_index skips round(spike_skipf × N) spikes, at most max_spike_skip. Defaults 0.1 and 2. */
  readonly spike_skipf: number;
  readonly max_spike_skip: number;
  /** decay_time_constant_after_stim fits log|V − V(stim_start)| on [stim_end + start, stim_end + end) ms. Defaults 1, 10. */
  readonly decay_start_after_stim: Ms;
  readonly decay_end_after_stim: Ms;
  /** Tolerance of time comparisons in voltage_base (eFEL `precision_threshold`). Default 1e-10. */
  readonly precision_threshold: number;
}

/** eFEL 5.7.16's defaults (efel/settings.py and the C++ fallbacks): the "eFEL-compatible" setting. */
export const EFEL_DEFAULTS: EfelSettings = Object.freeze({
  Threshold: -20,
  DerivativeThreshold: 10,
  DownDerivativeThreshold: -12,
  DerivativeWindow: 3,
  interp_step: 0.1,
  ignore_first_ISI: true,
  strict_stiminterval: false,
  voltage_base_start_perc: 0.9,
  voltage_base_end_perc: 1,
  spike_skipf: 0.1,
  max_spike_skip: 2,
  decay_start_after_stim: 1,
  decay_end_after_stim: 10,
  precision_threshold: 1e-10,
});

/** eFEL's defaults with some settings replaced; each one checked (one line naming the setting). */
export function efelSettings(overrides: Partial<EfelSettings> = {}): EfelSettings {
  const s = { ...EFEL_DEFAULTS, ...overrides };
  const finite = (k: keyof EfelSettings) => {
    if (!Number.isFinite(s[k] as number)) throw invalid(`eFEL setting ${k}`, s[k], "a finite number");
  };
  (["Threshold", "DerivativeThreshold", "DownDerivativeThreshold", "precision_threshold"] as const).forEach(finite);
  if (!(s.interp_step > 0 && Number.isFinite(s.interp_step)))
    throw invalid("eFEL setting interp_step (ms)", s.interp_step, "a positive number");
  if (!(Number.isInteger(s.DerivativeWindow) && s.DerivativeWindow >= 1))
    throw invalid("eFEL setting DerivativeWindow", s.DerivativeWindow, "an integer ≥ 1");
  if (!(s.spike_skipf >= 0 && s.spike_skipf < 1)) throw invalid("eFEL setting spike_skipf", s.spike_skipf, "a number in [0, 1)");
  if (!(Number.isInteger(s.max_spike_skip) && s.max_spike_skip >= 0))
    throw invalid("eFEL setting max_spike_skip", s.max_spike_skip, "an integer ≥ 0");
  if (!(s.decay_end_after_stim > s.decay_start_after_stim))
    throw invalid(
      "eFEL setting decay_end_after_stim (ms)",
      s.decay_end_after_stim,
      `a time after decay_start_after_stim (${s.decay_start_after_stim})`,
    );
  return s;
}
