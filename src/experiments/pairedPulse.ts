/**
 * One paired-pulse trial, the experiment a student does by hand: a conditioning pulse evokes a spike, a second
 * pulse of a chosen amplitude follows it after a chosen interval Δ; does the second pulse fire? The protocol is
 * the refractory scan's own (./pairedProtocol.ts), so a trial at (Δ, amplitude) fires exactly when the amplitude
 * is at or above the threshold `refractoryPeriods` measured at that Δ.
 */
import { invalid } from "../errors.js";
import { pulseCurrent } from "../stimulus/pulses.js";
import type { Ms, MV, UAPerCm2 } from "../units.js";
import {
  conditioningSpike,
  coverSteps,
  type PairedProtocolSettings,
  pairedProtocol,
  pairedRun,
  secondSpikes,
  singlePulseThreshold,
} from "./pairedProtocol.js";
import type { RefractoryResult } from "./refractory.js";
import { DEFAULT_TOLERANCE_UA_PER_CM2 } from "./rheobase.js";

export interface PairedPulseOptions extends PairedProtocolSettings {
  /** Interval Δ (ms) from the conditioning pulse's spike to the start of the second pulse (as in `refractoryPeriods`). */
  readonly interval_ms: Ms;
  /** Amplitude of the second pulse (µA/cm²). */
  readonly amplitude_uA_per_cm2: UAPerCm2;
  /** Conditioning amplitude (µA/cm²); default `conditioning_factor` × the single-pulse threshold (then measured). */
  readonly conditioning_amplitude_uA_per_cm2?: UAPerCm2;
  /** Default 2. */
  readonly conditioning_factor?: number;
  /** Bisection tolerance of the single-pulse threshold (µA/cm²), when it is measured. Default 0.001. */
  readonly tolerance_uA_per_cm2?: UAPerCm2;
  /**
   * The conditioning spike's time (ms) when it is already known, from `refractoryPeriods` with the same settings and
   * conditioning amplitude: skips the conditioning run (a trial is then one run). Default: measured.
   */
  readonly first_spike_ms?: Ms;
  /** Simulated time (ms); at least the second pulse's start + `observe_ms` (the default). */
  readonly duration_ms?: Ms;
}

export interface PairedPulseResult {
  /** V0 of the run: the resting potential (or the model's V0 when start_at_rest is false). */
  readonly initial_mV: MV;
  readonly pulse_ms: Ms;
  readonly first_pulse_start_ms: Ms;
  readonly observe_ms: Ms;
  readonly conditioning_amplitude_uA_per_cm2: UAPerCm2;
  /** The single-pulse threshold from rest, when it was measured for the default conditioning amplitude; else null. */
  readonly single_pulse_threshold_uA_per_cm2: UAPerCm2 | null;
  /** The conditioning pulse's spike (upward threshold crossing); Δ is measured from it. */
  readonly first_spike_ms: Ms;
  readonly interval_ms: Ms;
  /** first_spike_ms + interval_ms. */
  readonly second_pulse_start_ms: Ms;
  readonly amplitude_uA_per_cm2: UAPerCm2;
  /** Whether a spike followed the second pulse's start within `observe_ms`. */
  readonly fired: boolean;
  /** That spike's time, or null. */
  readonly second_spike_ms: Ms | null;
  readonly duration_ms: Ms;
  /** The trace: time (ms), membrane potential (mV) and injected current (µA/cm²). */
  readonly t_ms: Float64Array;
  readonly V_mV: Float64Array;
  readonly I_inj_uA_per_cm2: Float64Array;
  /** Every spike of the run (ms). */
  readonly spike_times_ms: number[];
}

/**
 * Runs one paired-pulse trial: the refractory protocol's conditioning pulse (from rest), then a second pulse of
 * `amplitude_uA_per_cm2` starting `interval_ms` after the conditioning spike; it fires when a spike follows its
 * start within `observe_ms`. Two short runs (the conditioning spike's time, unless `first_spike_ms` is given; then
 * the pair), plus the single-pulse threshold's bisection when no conditioning amplitude is given.
 */
export function pairedPulse(o: PairedPulseOptions): PairedPulseResult {
  if (!(Number.isFinite(o.interval_ms) && o.interval_ms > 0))
    throw invalid("interval from the first spike to the second pulse (ms)", o.interval_ms, "a positive number");
  if (!Number.isFinite(o.amplitude_uA_per_cm2)) throw invalid("second pulse amplitude (µA/cm²)", o.amplitude_uA_per_cm2, "a finite number");
  const given = o.conditioning_amplitude_uA_per_cm2;
  if (given !== undefined && !(Number.isFinite(given) && given > 0))
    throw invalid("conditioning amplitude (µA/cm²)", given, "a positive number");
  const factor = o.conditioning_factor ?? 2;
  if (!(Number.isFinite(factor) && factor > 0)) throw invalid("conditioning factor", factor, "a positive number");
  const p = pairedProtocol(o);
  const baseline =
    given === undefined ? singlePulseThreshold(p, o.tolerance_uA_per_cm2 ?? DEFAULT_TOLERANCE_UA_PER_CM2).threshold_uA_per_cm2 : null;
  const cond = given ?? factor * (baseline as number);
  const known = o.first_spike_ms;
  if (known !== undefined && !(Number.isFinite(known) && known > p.first_pulse_start_ms))
    throw invalid("first spike time (ms)", known, `a time after the first pulse's start (${p.first_pulse_start_ms} ms)`);
  const t1 = known ?? conditioningSpike(p, cond, baseline ?? undefined);
  const start2 = t1 + o.interval_ms;
  const least = coverSteps(start2 + p.observe_ms, p.base.dt_ms);
  const duration = o.duration_ms ?? least;
  if (!(duration >= least - 1e-9))
    throw invalid("duration (ms)", duration, `at least the second pulse's start + the observation time (${least} ms)`);
  const run = pairedRun(p, cond, t1, [o.interval_ms], [o.amplitude_uA_per_cm2], { duration_ms: duration, variables: ["V"] });
  const second = secondSpikes(p, run, t1, [o.interval_ms])[0] ?? null;
  // the injected current, sampled from the run's own stimulus at the recorded times
  const stimulus = pulseCurrent(
    [
      { start: p.first_pulse_start_ms, duration: p.pulse_ms, amplitude: cond },
      { start: start2, duration: p.pulse_ms, amplitude: o.amplitude_uA_per_cm2 },
    ],
    1,
  );
  const one = new Float64Array(1);
  const current = Float64Array.from(run.t_ms, (t) => {
    stimulus.sample(t, one);
    return one[0] as number;
  });
  return {
    initial_mV: p.initial_mV,
    pulse_ms: p.pulse_ms,
    first_pulse_start_ms: p.first_pulse_start_ms,
    observe_ms: p.observe_ms,
    conditioning_amplitude_uA_per_cm2: cond,
    single_pulse_threshold_uA_per_cm2: baseline,
    first_spike_ms: t1,
    interval_ms: o.interval_ms,
    second_pulse_start_ms: start2,
    amplitude_uA_per_cm2: o.amplitude_uA_per_cm2,
    fired: second !== null,
    second_spike_ms: second,
    duration_ms: duration,
    t_ms: run.t_ms,
    V_mV: run.traces.V?.[0] as Float64Array,
    I_inj_uA_per_cm2: current,
    spike_times_ms: Array.from(run.spikes.t_ms),
  };
}

/** Where an interval lies on a measured recovery curve. */
export type RefractoryPhase = "absolute" | "relative" | "recovered";

/**
 * The phase of the refractory cycle at interval Δ, by the measured periods of `r`: `absolute` up to the absolute
 * period (no second spike up to the cap), `relative` up to the relative period (threshold more than
 * +recovery_fraction above the single-pulse one), `recovered` after it. A period that was not reached in the scan
 * extends to the end of it; one below the scanned range has no extent.
 */
export function refractoryPhase(r: RefractoryResult, interval_ms: Ms): RefractoryPhase {
  const absEnd =
    r.absolute_status === "measured" ? (r.absolute_refractory_ms as number) : r.absolute_status === "not-reached" ? Infinity : 0;
  const relEnd =
    r.relative_status === "measured" ? (r.relative_refractory_ms as number) : r.relative_status === "not-reached" ? Infinity : 0;
  if (interval_ms <= absEnd) return "absolute";
  if (interval_ms < relEnd) return "relative";
  return "recovered";
}

/**
 * The measured second-pulse threshold at Δ, interpolated linearly in log Δ between the scanned intervals of `r`;
 * null outside the scan or where no spike was evoked up to the cap.
 */
export function recoveryThresholdAt(r: RefractoryResult, interval_ms: Ms): UAPerCm2 | null {
  const d = r.intervals_ms;
  const thr = r.thresholds_uA_per_cm2;
  for (let i = 1; i < d.length; i++) {
    const a = d[i - 1] as number;
    const b = d[i] as number;
    if (interval_ms < a || interval_ms > b) continue;
    const ya = thr[i - 1];
    const yb = thr[i];
    if (ya == null || yb == null) return null;
    const f = Math.log(interval_ms / a) / Math.log(b / a);
    return ya + (yb - ya) * f;
  }
  return null;
}
