import { invalid } from "../errors.js";
import type { Ms, UAPerCm2 } from "../units.js";
import { batchedBisection } from "./bisect.js";
import {
  conditioningSpike,
  type PairedProtocolSettings,
  pairedProtocol,
  pairedRun,
  secondSpikes,
  singlePulseThreshold,
} from "./pairedProtocol.js";
import { DEFAULT_TOLERANCE_UA_PER_CM2 } from "./rheobase.js";

export interface RefractoryOptions extends PairedProtocolSettings {
  /** Conditioning amplitude (µA/cm²); default `conditioning_factor` × the single-pulse threshold. */
  readonly conditioning_amplitude_uA_per_cm2?: UAPerCm2;
  /** Default 2. */
  readonly conditioning_factor?: number;
  /** Intervals Δ (ms) from the first spike to the second pulse's start. Default: `interval_count` log-spaced from 0.5 ms to `max_interval_ms`. */
  readonly intervals_ms?: readonly Ms[];
  /** Longest scanned interval (ms). Default 200. */
  readonly max_interval_ms?: Ms;
  /** Number of scanned intervals. Default 40. */
  readonly interval_count?: number;
  /** The cap for the absolute refractory period, as a multiple of the single-pulse threshold. Default 10. */
  readonly cap_factor?: number;
  /** Recovery: the second-pulse threshold is back within this fraction above the single-pulse one. Default 0.05. */
  readonly recovery_fraction?: number;
  /** Bisection tolerance for thresholds (µA/cm²). Default 0.001. */
  readonly tolerance_uA_per_cm2?: UAPerCm2;
  /** Tolerance of the refined period boundaries (ms). Default 0.01. */
  readonly interval_tolerance_ms?: Ms;
  /**
   * Called after every batched run with the runs so far and the runs expected in all (an estimate that
   * firms up once the single-pulse threshold is known): for a progress bar.
   */
  readonly onRun?: (runs: number, expected: number) => void;
}

/** Whether a period was measured, or lies outside the scanned intervals. */
export type PeriodStatus = "measured" | "below-scanned-range" | "not-reached";

export interface RefractoryResult {
  /** V0 of every protocol run: the resting potential (or the model's V0 when start_at_rest is false). */
  readonly initial_mV: number;
  readonly pulse_ms: Ms;
  readonly first_pulse_start_ms: Ms;
  readonly conditioning_amplitude_uA_per_cm2: UAPerCm2;
  /** Time of the conditioning pulse's spike (upward threshold crossing); intervals are measured from it. */
  readonly first_spike_ms: Ms;
  readonly observe_ms: Ms;
  /** Threshold of one pulse alone, from rest (the baseline). */
  readonly single_pulse_threshold_uA_per_cm2: UAPerCm2;
  /**
   * How much more the peak response jumps at that threshold than a linear membrane's would (./allOrNone.ts):
   * the evidence that the spikes are action potentials. A model below ALL_OR_NONE_MIN_RATIO (10; a passive
   * membrane: 1) has no refractory period: `refractoryPeriods` throws NoActionPotentialError instead.
   */
  readonly all_or_none_ratio: number;
  readonly cap_factor: number;
  readonly cap_uA_per_cm2: UAPerCm2;
  readonly recovery_fraction: number;
  readonly tolerance_uA_per_cm2: UAPerCm2;
  readonly interval_tolerance_ms: Ms;
  /** The threshold-versus-interval curve: Δ (ms), second-pulse threshold (µA/cm², null: no spike up to the cap), ratio to baseline. */
  readonly intervals_ms: number[];
  readonly thresholds_uA_per_cm2: (number | null)[];
  readonly threshold_ratios: (number | null)[];
  /** The largest Δ at which no second spike is evoked up to the cap; null unless measured. */
  readonly absolute_refractory_ms: Ms | null;
  readonly absolute_status: PeriodStatus;
  /** Δ just below / just above the absolute period's end: [no spike at the cap, spike at the cap]. */
  readonly absolute_bracket_ms: [Ms, Ms] | null;
  /** The Δ from which the second-pulse threshold is at most (1 + recovery_fraction) × baseline; null unless measured. */
  readonly relative_refractory_ms: Ms | null;
  readonly relative_status: PeriodStatus;
  /** [a (1 + recovery_fraction) × baseline pulse does not fire, it fires]. */
  readonly relative_bracket_ms: [Ms, Ms] | null;
  /** The smallest threshold ratio after recovery (below 1: a supernormal period). */
  readonly min_ratio: number | null;
  readonly scanned_range_ms: [Ms, Ms];
  /** Batched simulation runs used. */
  readonly runs: number;
}

/** The most intervals a paired-pulse scan may have (each is one neuron of every batched run). */
export const MAX_INTERVALS = 10_000;

/** `count` log-spaced values from `from` to `to`. */
export const logspace = (from: number, to: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => (count === 1 ? from : from * (to / from) ** (i / (count - 1))));

/**
 * The paired-pulse protocol on the model itself. A conditioning pulse (suprathreshold) evokes a spike at
 * `first_spike_ms`; a second pulse of the same duration starts Δ later. For every Δ its threshold
 * amplitude is found by bisection, all intervals in one batched run per bisection step. Then:
 *
 * - absolute refractory period: the largest Δ at which no second spike is evoked up to the cap
 *   (`cap_factor` × the single-pulse threshold), refined by bisection in Δ between the scanned intervals;
 * - relative refractory period: the Δ from which the second-pulse threshold stays at most
 *   (1 + recovery_fraction) × the single-pulse threshold, refined the same way.
 *
 * Every run starts at the resting potential (V0 := rest, gates at steady state: an exact equilibrium), so
 * that a slow drift from the model's own V0 does not masquerade as a change of excitability.
 * A pulse "fires" when a spike follows its start within `observe_ms`. Where a period's end is not
 * inside the scanned intervals, its value is null and its status says so.
 */
export function refractoryPeriods(o: RefractoryOptions): RefractoryResult {
  const capFactor = o.cap_factor ?? 10;
  const recovery = o.recovery_fraction ?? 0.05;
  const tol = o.tolerance_uA_per_cm2 ?? DEFAULT_TOLERANCE_UA_PER_CM2;
  const dTol = o.interval_tolerance_ms ?? 0.01;
  const maxInterval = o.max_interval_ms ?? 200;
  const count = o.interval_count ?? 40;
  // each interval is a neuron of every batched run: a scan of more is refused before any is made
  if (!(Number.isInteger(count) && count >= 2 && count <= MAX_INTERVALS))
    throw invalid("interval count (--intervals)", count, `a whole number in [2, ${MAX_INTERVALS}]`);
  const intervals = [...(o.intervals_ms ?? logspace(Math.min(0.5, maxInterval), maxInterval, count))];
  // the pulses, the observation time and the resting potential every run starts from
  const p = pairedProtocol(o);
  if (!(capFactor > 1)) throw invalid("cap factor", capFactor, "a number > 1");
  if (!(recovery > 0)) throw invalid("recovery fraction", recovery, "a positive number (0.05 is 5 %)");
  if (!(dTol > 0)) throw invalid("interval tolerance (ms)", dTol, "a positive number");
  if (intervals.length === 0 || intervals.some((d, i) => !(d > 0) || (i > 0 && d <= (intervals[i - 1] as number))))
    throw invalid("intervals (ms)", intervals.join(","), "positive, increasing numbers");

  let runs = 0;
  // expected runs: the two bisections in current (≈ log2(cap / tolerance) each, the first shorter) and a few more
  let expected = 24;
  const tick = () => o.onRun?.(runs, Math.max(expected, runs));

  // 1. the single-pulse threshold (baseline): one pulse from rest, a spike within observe_ms of its start
  const single = singlePulseThreshold(p, tol, () => {
    runs++;
    tick();
  });
  const baseline = single.threshold_uA_per_cm2;
  const cond = o.conditioning_amplitude_uA_per_cm2 ?? (o.conditioning_factor ?? 2) * baseline;
  // then: the conditioning run, the run at the cap, a bisection from 0 to the cap, and the refinement in Δ
  expected = runs + 2 + Math.ceil(Math.log2((capFactor * baseline) / tol)) + Math.ceil(Math.log(maxInterval / dTol) / Math.log(16));

  // 2. the conditioning spike
  runs++;
  const t1 = conditioningSpike(p, cond, baseline);
  tick();

  /** One batched paired-pulse run: for each (Δ_i, A_i), did the second pulse evoke a spike within observe_ms? */
  const secondFires = (delta: ArrayLike<number>, amp: ArrayLike<number>): boolean[] => {
    runs++;
    const s = pairedRun(p, cond, t1, delta, amp);
    tick();
    return secondSpikes(p, s, t1, delta).map((t) => t !== null);
  };

  // 3. which intervals can fire at all, up to the cap (one run)
  const cap = capFactor * baseline;
  const atCap = secondFires(
    intervals,
    intervals.map(() => cap),
  );
  // 4. the threshold at every interval that can fire: one batched bisection run per step
  const live = intervals.map((_, i) => i).filter((i) => atCap[i]);
  const b = batchedBisection(
    live.map(() => 0),
    live.map(() => cap),
    tol,
    (x, owner) =>
      secondFires(
        Array.from(owner, (k) => intervals[live[k] as number] as number),
        x,
      ),
  );
  const thresholds: (number | null)[] = intervals.map(() => null);
  live.forEach((i, k) => {
    thresholds[i] = b.hi[k] as number;
  });
  const ratios = thresholds.map((x) => (x === null ? null : x / baseline));

  // 5. the period ends, refined in Δ between scanned intervals (both in the same batched runs)
  const lastNoFire = atCap.lastIndexOf(false);
  const limit = (1 + recovery) * baseline;
  const lastElevated = thresholds.map((x) => x === null || x > limit).lastIndexOf(true);
  const status = (k: number): PeriodStatus => (k < 0 ? "below-scanned-range" : k === intervals.length - 1 ? "not-reached" : "measured");
  const absStatus = status(lastNoFire);
  const relStatus = status(lastElevated);
  const problems: { amp: number; lo: number; hi: number }[] = [];
  if (absStatus === "measured") problems.push({ amp: cap, lo: intervals[lastNoFire] as number, hi: intervals[lastNoFire + 1] as number });
  if (relStatus === "measured")
    problems.push({ amp: limit, lo: intervals[lastElevated] as number, hi: intervals[lastElevated + 1] as number });
  const refined = batchedBisection(
    problems.map((p) => p.lo),
    problems.map((p) => p.hi),
    dTol,
    (x, owner) =>
      secondFires(
        x,
        Array.from(owner, (k) => (problems[k] as { amp: number }).amp),
      ),
    15,
  );
  let k = 0;
  const absBracket: [Ms, Ms] | null = absStatus === "measured" ? [refined.lo[k] as number, refined.hi[k++] as number] : null;
  const relBracket: [Ms, Ms] | null = relStatus === "measured" ? [refined.lo[k] as number, refined.hi[k] as number] : null;
  const after = ratios.filter((r, i) => r !== null && i > lastElevated) as number[];

  return {
    initial_mV: p.initial_mV,
    pulse_ms: p.pulse_ms,
    first_pulse_start_ms: p.first_pulse_start_ms,
    conditioning_amplitude_uA_per_cm2: cond,
    first_spike_ms: t1,
    observe_ms: p.observe_ms,
    single_pulse_threshold_uA_per_cm2: baseline,
    all_or_none_ratio: single.all_or_none_ratio,
    cap_factor: capFactor,
    cap_uA_per_cm2: cap,
    recovery_fraction: recovery,
    tolerance_uA_per_cm2: tol,
    interval_tolerance_ms: dTol,
    intervals_ms: intervals,
    thresholds_uA_per_cm2: thresholds,
    threshold_ratios: ratios,
    absolute_refractory_ms: absBracket ? absBracket[0] : null,
    absolute_status: absStatus,
    absolute_bracket_ms: absBracket,
    relative_refractory_ms: relBracket ? relBracket[1] : null,
    relative_status: relStatus,
    relative_bracket_ms: relBracket,
    min_ratio: after.length ? Math.min(...after) : null,
    scanned_range_ms: [intervals[0] as number, intervals[intervals.length - 1] as number],
    runs,
  };
}

/** A period in words: its value, or why there is none. */
export function describePeriod(value: Ms | null, status: PeriodStatus, range: [Ms, Ms], digits = 2): string {
  if (status === "measured" && value !== null) return `${value.toFixed(digits)} ms`;
  if (status === "below-scanned-range") return `shorter than the shortest scanned interval (${range[0]} ms)`;
  return `not reached within the scanned range (up to ${range[1]} ms)`;
}
