import type { Ms, MV } from "../units.js";
import { type EfelFeatureName, EfelTrace, type EfelValues } from "./efel/features.js";
import { EFEL_DEFAULTS, type EfelSettings } from "./efel/settings.js";
import { type ActionPotential, actionPotentials, DEFAULT_ONSET_DVDT_MV_PER_MS } from "./features.js";
import { type FiringPattern, firingPattern } from "./firing.js";
import { interSpikeIntervals } from "./spikes.js";
import { dedupeTimes } from "./trace.js";

/** A recorded sweep as the analysis needs it (structurally the readers' `Sweep`). */
export interface SweepInput {
  readonly t_ms: Float64Array;
  readonly V_mV: Float64Array;
  readonly name: string;
  readonly stimulus?: { readonly start_ms: Ms; readonly stop_ms: Ms; readonly amplitude: number; readonly unit: string };
}

export interface SweepAnalysisOptions {
  /** spikelab's spike detection threshold (mV); default 0. */
  readonly threshold_mV?: MV;
  /** spikelab's AP onset criterion (mV/ms); default 10. */
  readonly onset_dVdt_mV_per_ms?: number;
  /** The stimulus window; default the sweep's own stimulus, else the whole trace. */
  readonly stim_start_ms?: Ms;
  readonly stim_end_ms?: Ms;
  /** eFEL features to compute, with eFEL's settings (default EFEL_DEFAULTS); none when absent. */
  readonly efel?: { readonly features: readonly EfelFeatureName[]; readonly settings?: Partial<EfelSettings> };
}

/** One sweep measured: spikelab's definitions (see `actionPotentials`), eFEL's where asked, and what was noticed. */
export interface SweepAnalysis {
  readonly name: string;
  readonly samples: number;
  readonly duration_ms: Ms;
  /** Median sample interval (ms); `uneven` when intervals differ by more than 1 %. */
  readonly dt_ms: Ms;
  readonly uneven: boolean;
  readonly V_range_mV: [MV, MV];
  readonly stim_window_ms: [Ms, Ms];
  /** Where the window came from: "option", "file" (ABF epochs, NWB stimulus) or "whole trace". */
  readonly stim_window_source: "option" | "file" | "whole trace";
  readonly stimulus: SweepInput["stimulus"] | null;
  readonly spike_times_ms: number[];
  readonly isi_ms: number[];
  readonly spikes: ActionPotential[];
  /** The first measured AP's onset (its voltage threshold). */
  readonly threshold_mV: MV | null;
  readonly firing: FiringPattern;
  readonly efel: Record<string, EfelValues> | null;
  /** One sentence for each thing a reader of the numbers must know (repeated time stamps, a partial spike, no spikes). */
  readonly notes: string[];
}

/** Measures one recorded sweep (pure). The trace is used with repeated time stamps removed (see `dedupeTimes`). */
export function analyzeSweep(sweep: SweepInput, o: SweepAnalysisOptions = {}): SweepAnalysis {
  const notes: string[] = [];
  const d = dedupeTimes(sweep.t_ms, sweep.V_mV);
  if (d.removed) notes.push(`${d.removed} repeated time stamps (a variable-step record): the last sample at each time is used`);
  const t = d.t_ms;
  const V = d.V_mV;
  const n = t.length;
  const th = o.threshold_mV ?? 0;
  const onset = o.onset_dVdt_mV_per_ms ?? DEFAULT_ONSET_DVDT_MV_PER_MS;

  const steps: number[] = [];
  const stride = Math.max(1, Math.floor((n - 1) / 100000));
  for (let i = 0; i + 1 < n; i += stride) steps.push((t[i + 1] as number) - (t[i] as number));
  steps.sort((a, b) => a - b);
  const dt = steps[steps.length >> 1] as number;
  const uneven = (steps[steps.length - 1] as number) - (steps[0] as number) > 0.01 * dt;
  if (uneven)
    notes.push(
      `uneven sampling (intervals ${(steps[0] as number).toPrecision(3)}…${(steps[steps.length - 1] as number).toPrecision(3)} ms): slopes and crossings use each interval as it is`,
    );
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = V[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }

  let window: [Ms, Ms];
  let source: SweepAnalysis["stim_window_source"];
  if (o.stim_start_ms !== undefined || o.stim_end_ms !== undefined) {
    window = [
      o.stim_start_ms ?? sweep.stimulus?.start_ms ?? (t[0] as number),
      o.stim_end_ms ?? sweep.stimulus?.stop_ms ?? (t[n - 1] as number),
    ];
    source = "option";
  } else if (sweep.stimulus) {
    window = [sweep.stimulus.start_ms, sweep.stimulus.stop_ms];
    source = "file";
  } else {
    window = [t[0] as number, t[n - 1] as number];
    source = "whole trace";
    notes.push("no stimulus window given or in the file: rates and eFEL's stimulus features use the whole trace");
  }

  const aps = actionPotentials(t, V, { threshold_mV: th, onset_dVdt_mV_per_ms: onset });
  const times = aps.map((a) => a.time_ms);
  if ((V[0] as number) >= th)
    notes.push(
      `the trace starts above the detection threshold (${th} mV): the spike it starts in is not measured; measurements begin with the first complete AP`,
    );
  if (aps.length === 0)
    notes.push(
      `no spikes: V stays ${hi < th ? `below the detection threshold (${th} mV; max ${hi.toFixed(2)} mV)` : `above ${th} mV without an upward crossing`}`,
    );
  const incomplete = aps.filter((a) => !a.complete).length;
  if (incomplete) notes.push("the trace ends inside a spike: its repolarisation and AHP are not measured");
  const noOnset = aps.filter((a) => a.onset_ms === null).length;
  if (noOnset)
    notes.push(`${noOnset} spike(s) without a measurable onset (the upstroke reaches back to the trace start or the previous spike)`);

  let efel: Record<string, EfelValues> | null = null;
  if (o.efel) {
    const tr = new EfelTrace(t, V, { stim_start_ms: window[0], stim_end_ms: window[1] }, o.efel.settings ?? EFEL_DEFAULTS);
    efel = tr.features(o.efel.features);
  }
  return {
    name: sweep.name,
    samples: n,
    duration_ms: (t[n - 1] as number) - (t[0] as number),
    dt_ms: dt,
    uneven,
    V_range_mV: [lo, hi],
    stim_window_ms: window,
    stim_window_source: source,
    stimulus: sweep.stimulus ?? null,
    spike_times_ms: times,
    isi_ms: interSpikeIntervals(times),
    spikes: aps,
    threshold_mV: aps.find((a) => a.onset_mV !== null)?.onset_mV ?? null,
    firing: firingPattern(times, window[0], window[1] > window[0] ? window[1] : window[0] + 1e-9),
    efel,
    notes,
  };
}

/** The f–I curve of a recording's step protocol: one point per sweep that has a current step; null with fewer than 2. */
export interface RecordingFi {
  readonly unit: string;
  readonly sweeps: number[];
  readonly amplitudes: number[];
  readonly step_windows_ms: [Ms, Ms][];
  readonly spike_counts: number[];
  readonly rates_Hz: number[];
  readonly first_isi_rates_Hz: (number | null)[];
  readonly steady_state_rates_Hz: (number | null)[];
  readonly sustained: boolean[];
  /** The smallest step of the protocol that evoked a spike: the recording's rheobase, to the protocol's resolution. */
  readonly rheobase_estimate: number | null;
  /** The smallest step whose firing lasted to its end. */
  readonly sustained_threshold_estimate: number | null;
}

/**
 * The f–I curve of a recording's current-step sweeps (one point per sweep with a step; `numbers` are the sweeps'
 * numbers in the file): spike counts, rates (Hz) and the rheobase and sustained-firing estimates at the protocol's
 * resolution (pA or µA/cm², as the recording gives the steps). Null with fewer than two step sweeps.
 */
export function fiOfSweeps(sweeps: readonly SweepAnalysis[], numbers: readonly number[]): RecordingFi | null {
  const withStep = sweeps.map((s, i) => ({ s, k: numbers[i] as number })).filter(({ s }) => s.stimulus !== null);
  if (withStep.length < 2) return null;
  const amp = (s: SweepAnalysis) => s.stimulus?.amplitude as number;
  const firing = withStep.filter(({ s }) => s.firing.spike_count > 0).map(({ s }) => amp(s));
  const sustained = withStep.filter(({ s }) => s.firing.sustained).map(({ s }) => amp(s));
  return {
    unit: withStep[0]?.s.stimulus?.unit ?? "",
    sweeps: withStep.map(({ k }) => k),
    amplitudes: withStep.map(({ s }) => amp(s)),
    step_windows_ms: withStep.map(({ s }) => s.stim_window_ms),
    spike_counts: withStep.map(({ s }) => s.firing.spike_count),
    rates_Hz: withStep.map(({ s }) => s.firing.mean_rate_Hz),
    first_isi_rates_Hz: withStep.map(({ s }) => s.firing.first_isi_rate_Hz),
    steady_state_rates_Hz: withStep.map(({ s }) => s.firing.steady_state_rate_Hz),
    sustained: withStep.map(({ s }) => s.firing.sustained),
    rheobase_estimate: firing.length ? Math.min(...firing) : null,
    sustained_threshold_estimate: sustained.length ? Math.min(...sustained) : null,
  };
}
