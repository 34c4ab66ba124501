import { invalid } from "../errors.js";
import type { Ms, MV } from "../units.js";
import { checkTrace } from "./spikes.js";

/** The default onset criterion: the upstroke starts where dV/dt first exceeds 10 mV/ms. */
export const DEFAULT_ONSET_DVDT_MV_PER_MS = 10;

/** Measured features of one action potential. `null` where the trace does not contain what is needed. */
export interface ActionPotential {
  /** The spike time: upward crossing of the detection threshold (interpolated). */
  readonly time_ms: Ms;
  /** Onset (the voltage threshold): where dV/dt rises through the onset criterion before the crossing. */
  readonly onset_ms: Ms | null;
  readonly onset_mV: MV | null;
  readonly peak_ms: Ms;
  readonly peak_mV: MV;
  /** peak_mV − onset_mV. */
  readonly amplitude_mV: MV | null;
  /** Width at half amplitude: between the rising and falling crossings of onset_mV + amplitude/2. */
  readonly half_width_ms: Ms | null;
  readonly half_rise_ms: Ms | null;
  readonly half_fall_ms: Ms | null;
  /** After-hyperpolarisation: the minimum between this spike's repolarisation and the next spike (or the trace end). */
  readonly ahp_ms: Ms | null;
  readonly ahp_mV: MV | null;
  /** False when the trace ends before the spike has repolarised below the detection threshold. */
  readonly complete: boolean;
}

export interface ApOptions {
  /** Detection threshold (mV): a spike is an upward crossing of it. Default 0. */
  readonly threshold_mV?: MV;
  /** Onset criterion (mV/ms): the onset is where dV/dt rises through it. Default 10. */
  readonly onset_dVdt_mV_per_ms?: number;
  /**
   * The injected current and the membrane capacitance of a simulated (or current-clamped) trace: the onset
   * criterion is then applied to the membrane's own rate, dV/dt − I_inj/Cm = −I_ion/Cm, not to dV/dt.
   * Without it, a step of I ≥ criterion × Cm (10 µA/cm² at Cm 1) meets the criterion on its passive
   * charging ramp the moment it starts (dV/dt = I/Cm there) and the "threshold" is the resting potential.
   * `I_uA_per_cm2` is the current at each sample (the interval from sample k uses sample k's value, as
   * a step on [start, stop) is applied) or a function of time (evaluated at each interval's midpoint).
   */
  readonly injected?: {
    /** Injected current density (µA/cm²), per sample or as a function of time (ms). */
    readonly I_uA_per_cm2: ArrayLike<number> | ((t_ms: Ms) => number);
    readonly cm_uF_per_cm2: number;
  };
}

/** The injected current of a step stimulus [start_ms, stop_ms) as a function of time, for `ApOptions.injected`. */
export const stepInjection =
  (s: { readonly start_ms: Ms; readonly stop_ms: Ms; readonly amplitude_uA_per_cm2: number }) =>
  (t: Ms): number =>
    t >= s.start_ms && t < s.stop_ms ? s.amplitude_uA_per_cm2 : 0;

/** Linear interpolation of the time where y crosses `level` between samples k and k+1. */
const cross = (t: ArrayLike<number>, y: ArrayLike<number>, k: number, level: number): number => {
  const a = y[k] as number;
  const b = y[k + 1] as number;
  const t0 = t[k] as number;
  return t0 + ((t[k + 1] as number) - t0) * ((level - a) / (b - a));
};

/** V at time `at` by linear interpolation within sample interval k. */
const valueAt = (t: ArrayLike<number>, y: ArrayLike<number>, k: number, at: number): number => {
  const t0 = t[k] as number;
  const t1 = t[k + 1] as number;
  return (y[k] as number) + ((y[k + 1] as number) - (y[k] as number)) * ((at - t0) / (t1 - t0));
};

/**
 * The features of every action potential in a voltage trace (pure; the trace may be sampled unevenly, and
 * repeated time stamps are reduced to the last sample at each time, as `dedupeTimes`).
 *
 * - spike: upward crossing of `threshold_mV` (as `spikeTimes`);
 * - onset: dV/dt is taken as the slope of each sample interval, placed at its midpoint (less I_inj/Cm of the
 *   interval when `injected` is given: the rate the membrane's own currents drive); walking back
 *   from the crossing through intervals steeper than the criterion, the onset is where the slope rises
 *   through the criterion (interpolated between the two midpoints), and onset_mV is V there. If the
 *   upstroke reaches back to the trace start or the previous spike, the onset is null;
 * - peak: the largest sample between the crossing and the downward crossing of `threshold_mV`;
 * - half width: between the rising and falling crossings of onset_mV + amplitude/2 (interpolated);
 * - AHP: the smallest sample after the downward crossing, up to the next spike's crossing or the trace end.
 */
export function actionPotentials(t_ms: ArrayLike<Ms>, V_mV: ArrayLike<MV>, options: ApOptions = {}): ActionPotential[] {
  checkTrace(t_ms, V_mV);
  // repeated time stamps (NEURON CVode records): measured on the trace that keeps the last sample at each time
  for (let k = 0; k + 1 < t_ms.length; k++)
    if (t_ms[k + 1] === t_ms[k]) {
      const I = options.injected?.I_uA_per_cm2;
      const keep: number[] = [];
      for (let i = 0; i < t_ms.length; i++) if (!(i + 1 < t_ms.length && t_ms[i + 1] === t_ms[i])) keep.push(i);
      const pick = (a: ArrayLike<number>) => Float64Array.from(keep, (i) => a[i] as number);
      const injected =
        options.injected && I !== undefined && typeof I !== "function" ? { ...options.injected, I_uA_per_cm2: pick(I) } : options.injected;
      return actionPotentials(pick(t_ms), pick(V_mV), { ...options, injected });
    }
  const th = options.threshold_mV ?? 0;
  const crit = options.onset_dVdt_mV_per_ms ?? DEFAULT_ONSET_DVDT_MV_PER_MS;
  if (!(Number.isFinite(crit) && crit > 0)) throw invalid("onset dV/dt criterion (mV/ms)", crit, "a positive number");
  const t = t_ms;
  const V = V_mV;
  const last = V.length - 1;
  const mid = (k: number) => ((t[k] as number) + (t[k + 1] as number)) / 2;
  const inj = options.injected;
  if (inj && !(Number.isFinite(inj.cm_uF_per_cm2) && inj.cm_uF_per_cm2 > 0))
    throw invalid("membrane capacitance Cm (µF/cm²)", inj.cm_uF_per_cm2, "a positive number");
  if (inj && typeof inj.I_uA_per_cm2 !== "function" && inj.I_uA_per_cm2.length !== V.length)
    throw invalid(
      "injected current I_uA_per_cm2 (one value per time)",
      `${inj.I_uA_per_cm2.length} values`,
      `${V.length} values like t_ms`,
    );
  const I = inj?.I_uA_per_cm2;
  const cm = inj?.cm_uF_per_cm2 ?? 1;
  const injectedRate =
    I === undefined ? (_k: number) => 0 : typeof I === "function" ? (k: number) => I(mid(k)) / cm : (k: number) => (I[k] as number) / cm;
  /** The membrane's own rate of depolarisation over interval k: dV/dt, less I_inj/Cm when the current is known. */
  const slope = (k: number) => ((V[k + 1] as number) - (V[k] as number)) / ((t[k + 1] as number) - (t[k] as number)) - injectedRate(k);

  const ups: number[] = [];
  for (let k = 0; k < last; k++) if ((V[k] as number) < th && (V[k + 1] as number) >= th) ups.push(k);

  const out: ActionPotential[] = [];
  let floor = 0; // the earliest sample an onset search may reach (after the previous spike's repolarisation)
  ups.forEach((c, j) => {
    const next = j + 1 < ups.length ? (ups[j + 1] as number) : last;
    // downward crossing: first d > c with V[d] < θ
    let d = -1;
    for (let k = c + 1; k <= next; k++)
      if ((V[k] as number) < th) {
        d = k;
        break;
      }
    const peakEnd = d < 0 ? last : d;
    let p = c + 1;
    for (let k = c + 1; k <= peakEnd; k++) if ((V[k] as number) > (V[p] as number)) p = k;

    let onset_ms: number | null = null;
    let onset_mV: number | null = null;
    let onsetK = -1;
    if (slope(c) >= crit) {
      let k = c;
      while (k > floor && slope(k - 1) >= crit) k--;
      if (k > floor) {
        const s0 = slope(k - 1);
        const s1 = slope(k);
        onset_ms = mid(k - 1) + (mid(k) - mid(k - 1)) * ((crit - s0) / (s1 - s0));
        onsetK = onset_ms < (t[k] as number) ? k - 1 : k;
        onset_mV = valueAt(t, V, onsetK, onset_ms);
      }
    }
    const peak_mV = V[p] as number;
    const amplitude_mV = onset_mV === null ? null : peak_mV - onset_mV;

    let half_rise_ms: number | null = null;
    let half_fall_ms: number | null = null;
    if (amplitude_mV !== null && onset_mV !== null) {
      const level = onset_mV + amplitude_mV / 2;
      for (let k = Math.max(onsetK, 0); k < p; k++)
        if ((V[k] as number) < level && (V[k + 1] as number) >= level) {
          half_rise_ms = cross(t, V, k, level);
          break;
        }
      for (let k = p; k < last; k++)
        if ((V[k] as number) >= level && (V[k + 1] as number) < level) {
          half_fall_ms = cross(t, V, k, level);
          break;
        }
    }

    let ahp_ms: number | null = null;
    let ahp_mV: number | null = null;
    if (d >= 0) {
      let m = d;
      for (let k = d; k <= next; k++) if ((V[k] as number) < (V[m] as number)) m = k;
      ahp_ms = t[m] as number;
      ahp_mV = V[m] as number;
      floor = m;
    } else floor = last;

    out.push({
      time_ms: cross(t, V, c, th),
      onset_ms,
      onset_mV,
      peak_ms: t[p] as number,
      peak_mV,
      amplitude_mV,
      half_width_ms: half_rise_ms !== null && half_fall_ms !== null ? half_fall_ms - half_rise_ms : null,
      half_rise_ms,
      half_fall_ms,
      ahp_ms,
      ahp_mV,
      complete: d >= 0,
    });
  });
  return out;
}
