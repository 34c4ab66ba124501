/**
 * The pieces of the paired-pulse protocol shared by the refractory-period scan (./refractory.ts) and a single
 * paired-pulse trial (./pairedPulse.ts): the runs' settings (every run from rest), the single-pulse threshold,
 * the conditioning spike, and the paired run itself. One protocol, so a trial by hand and the measured
 * recovery curve answer "does the second pulse fire?" in exactly the same way.
 */
import { invalid } from "../errors.js";
import { modelParameters, resolveModel } from "../models/index.js";
import { type SimulationResult, simulate } from "../simulate.js";
import type { Ms, MV, UAPerCm2 } from "../units.js";
import { allOrNoneRatio, requireActionPotential } from "./allOrNone.js";
import { restingPotentialOf } from "./rest.js";
import { currentThreshold, type RunSettings } from "./rheobase.js";

/** The settings every run of the protocol shares. */
export interface PairedProtocolSettings extends RunSettings {
  /** Duration of both pulses (ms). Default 1. */
  readonly pulse_ms?: Ms;
  /** Start of the conditioning (first) pulse (ms). Default 10. */
  readonly first_pulse_start_ms?: Ms;
  /** A pulse counts as firing if a spike follows its start within this time (ms). Default 50. */
  readonly observe_ms?: Ms;
  /** Start every run at the resting potential (V0 := rest), so that the baseline does not drift. Default true. */
  readonly start_at_rest?: boolean;
}

/** The protocol's settings, validated, with the parameters every run uses (V0 at rest unless asked otherwise). */
export interface PairedProtocol {
  readonly pulse_ms: Ms;
  readonly first_pulse_start_ms: Ms;
  readonly observe_ms: Ms;
  /** V0 of every run: the resting potential (or the model's V0 when start_at_rest is false). */
  readonly initial_mV: MV;
  /** What every `simulate` call of the protocol shares (no traces recorded). */
  readonly base: {
    readonly model: NonNullable<RunSettings["model"]>;
    readonly parameters: Record<string, number>;
    readonly dt_ms: Ms;
    readonly method: string;
    readonly spike_threshold_mV: MV;
    readonly record: { readonly variables: string[] };
  };
}

/** Validates the shared settings and finds the resting potential every run starts from. */
export function pairedProtocol(o: PairedProtocolSettings): PairedProtocol {
  const pulse = o.pulse_ms ?? 1;
  const start1 = o.first_pulse_start_ms ?? 10;
  const observe = o.observe_ms ?? 50;
  if (!(pulse > 0)) throw invalid("pulse duration (ms)", pulse, "a positive number");
  if (!(start1 >= 0)) throw invalid("first pulse start (ms)", start1, "a number ≥ 0");
  if (!(observe > 0)) throw invalid("observation time after a pulse (ms)", observe, "a positive number");
  const model = o.model ?? "lab";
  const rest = o.start_at_rest === false ? null : restingPotentialOf(model, o.parameters ?? {});
  if (o.start_at_rest !== false && rest === null)
    throw invalid("model for the paired-pulse protocol", model, "a neuron with a stable resting potential");
  const parameters = rest === null ? { ...(o.parameters ?? {}) } : { ...(o.parameters ?? {}), V0: rest };
  return {
    pulse_ms: pulse,
    first_pulse_start_ms: start1,
    observe_ms: observe,
    initial_mV: parameters.V0 ?? (modelParameters(resolveModel(model)).find((p) => p.name === "V0")?.value as number),
    base: {
      model,
      parameters,
      dt_ms: o.dt_ms,
      method: o.method ?? "euler",
      spike_threshold_mV: o.spike_threshold_mV ?? 0,
      record: { variables: [] },
    },
  };
}

/** A whole number of steps of `dt` covering t. */
export const coverSteps = (t: Ms, dt: Ms): Ms => Math.ceil(t / dt - 1e-9) * dt;

/** The single-pulse threshold and the all-or-none ratio that shows its spike is an action potential. */
export interface SinglePulseThreshold {
  readonly threshold_uA_per_cm2: UAPerCm2;
  /** See ./allOrNone.ts: 1 for a linear membrane, at least ALL_OR_NONE_MIN_RATIO for an action potential. */
  readonly all_or_none_ratio: number;
}

/**
 * The single-pulse threshold from rest (the baseline): the smallest amplitude of one pulse that evokes a spike
 * within `observe_ms` of its start, by the library's batched bisection. `onRun` is called after every run.
 * Throws when the model is not silent at rest or no pulse fires it, and (NoActionPotentialError) when the
 * threshold crossing is not an action potential: the peak response does not jump at the threshold (all-or-none,
 * ./allOrNone.ts), as a passive membrane's does not. That check is one more run, of the bracket's two amplitudes.
 */
export function singlePulseThreshold(p: PairedProtocol, tolerance: UAPerCm2, onRun: () => void = () => {}): SinglePulseThreshold {
  const pulse = (amps: ArrayLike<number>, variables: string[] = []) =>
    simulate({
      ...p.base,
      record: { variables },
      duration_ms: coverSteps(p.first_pulse_start_ms + p.observe_ms, p.base.dt_ms),
      stimulus: {
        type: "pulses",
        pulses: [{ start_ms: p.first_pulse_start_ms, duration_ms: p.pulse_ms, amplitude_uA_per_cm2: Array.from(amps) }],
      },
    });
  const single = currentThreshold(
    (amps) => {
      const s = pulse(amps);
      onRun();
      return Array.from(s.spikes.count, (c) => c > 0);
    },
    { tolerance_uA_per_cm2: tolerance },
  );
  const baseline = single.threshold_uA_per_cm2;
  const name = typeof p.base.model === "string" ? p.base.model : p.base.model.name;
  if (baseline === null || baseline === 0 || single.bracket_uA_per_cm2 === null)
    throw invalid("model for the paired-pulse protocol", name, `a neuron that is silent at rest and fires for a pulse (${single.note})`);
  // all-or-none: the peak responses just below and just above the threshold
  const bracket = single.bracket_uA_per_cm2;
  const run = pulse(bracket, ["V"]);
  onRun();
  const peakOf = (i: number) => {
    let m = -Infinity;
    for (const v of run.traces.V?.[i] ?? []) m = Math.max(m, v);
    return m;
  };
  const peaks: [number, number] = [peakOf(0), peakOf(1)];
  const ratio = requireActionPotential(allOrNoneRatio(bracket, peaks, p.initial_mV), {
    model: name,
    pulse_ms: p.pulse_ms,
    spike_threshold_mV: p.base.spike_threshold_mV,
    threshold_uA_per_cm2: baseline,
  });
  return { threshold_uA_per_cm2: baseline, all_or_none_ratio: ratio };
}

/**
 * The time of the conditioning pulse's spike (its upward threshold crossing), from which the interval Δ to the
 * second pulse is measured. Throws when the conditioning pulse does not fire.
 */
export function conditioningSpike(p: PairedProtocol, conditioning: UAPerCm2, baseline?: UAPerCm2): Ms {
  const c = simulate({
    ...p.base,
    duration_ms: coverSteps(p.first_pulse_start_ms + p.observe_ms, p.base.dt_ms),
    stimulus: {
      type: "pulses",
      pulses: [{ start_ms: p.first_pulse_start_ms, duration_ms: p.pulse_ms, amplitude_uA_per_cm2: conditioning }],
    },
  });
  const t1 = c.spikes.t_ms[0];
  if (t1 === undefined)
    throw invalid(
      "conditioning amplitude (µA/cm²)",
      conditioning,
      baseline === undefined ? "an amplitude that fires" : `an amplitude that fires (the single-pulse threshold is ${baseline})`,
    );
  return t1;
}

/**
 * One batched paired-pulse run: neuron i gets the conditioning pulse and a second pulse of amplitude `amp[i]`
 * starting at `t1 + delta[i]`. Runs for `duration_ms` (default: until the last second pulse's start +
 * `observe_ms`), recording `variables` (default none).
 */
export function pairedRun(
  p: PairedProtocol,
  conditioning: UAPerCm2,
  t1: Ms,
  delta: ArrayLike<number>,
  amp: ArrayLike<number>,
  options: { duration_ms?: Ms; variables?: readonly string[] } = {},
): SimulationResult {
  const starts = Array.from(delta, (d) => t1 + d);
  return simulate({
    ...p.base,
    duration_ms: options.duration_ms ?? coverSteps(Math.max(...starts) + p.observe_ms, p.base.dt_ms),
    record: { variables: [...(options.variables ?? [])] },
    stimulus: {
      type: "pulses",
      pulses: [
        { start_ms: p.first_pulse_start_ms, duration_ms: p.pulse_ms, amplitude_uA_per_cm2: conditioning },
        { start_ms: starts, duration_ms: p.pulse_ms, amplitude_uA_per_cm2: Array.from(amp) },
      ],
    },
  });
}

/** For each neuron of a paired run: the first spike within `observe_ms` after its second pulse's start, or null. */
export function secondSpikes(p: PairedProtocol, run: SimulationResult, t1: Ms, delta: ArrayLike<number>): (Ms | null)[] {
  const starts = Array.from(delta, (d) => t1 + d);
  const out: (Ms | null)[] = starts.map(() => null);
  for (let j = 0; j < run.spikes.neuron.length; j++) {
    const i = run.spikes.neuron[j] as number;
    const t = run.spikes.t_ms[j] as number;
    const s = starts[i] as number;
    if (t >= s && t < s + p.observe_ms && out[i] === null) out[i] = t;
  }
  return out;
}
