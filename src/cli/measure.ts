import { type ActionPotential, type ApOptions, actionPotentials, DEFAULT_ONSET_DVDT_MV_PER_MS } from "../analysis/features.js";
import { NoActionPotentialError } from "../experiments/allOrNone.js";
import { describePeriod, type RefractoryOptions, type RefractoryResult, refractoryPeriods } from "../experiments/refractory.js";
import { type RheobaseResult, rheobase } from "../experiments/rheobase.js";
import { type SustainedThresholdResult, sustainedFiringThreshold } from "../experiments/sustained.js";
import { recordableVariables, stateNames } from "../models/index.js";
import type { LabFigureData } from "../plot/labFigure.js";
import { type SimulationResult, simulate } from "../simulate.js";
import type { RunFlags } from "./common.js";
import { specOf } from "./common.js";

/** One run of a spec with every variable recorded: V, gates, channel currents and the injected current. */
export function runAll(o: RunFlags): SimulationResult {
  return simulate({ ...specOf(o), record: { variables: recordableVariables(o.model) } });
}

/**
 * A run's injected current and membrane capacitance, for the onset rule that removes the current's own
 * contribution (dV/dt − I_inj/Cm; see `ApOptions.injected`). Cm is the run's `Cm` parameter or the model's.
 */
export function injectedOf(run: SimulationResult): ApOptions["injected"] {
  const I = run.traces.I_inj?.[0];
  const p = run.spec.parameters.Cm;
  const cm = typeof p === "number" ? p : Array.isArray(p) ? (p[0] as number) : run.model.cm_uF_per_cm2;
  return I ? { I_uA_per_cm2: I, cm_uF_per_cm2: cm } : undefined;
}

export interface Measurements {
  readonly run: SimulationResult;
  readonly aps: ActionPotential[];
  readonly onset_dVdt_mV_per_ms: number;
  readonly rheobase: RheobaseResult;
  readonly sustained: SustainedThresholdResult;
  /** The integration method of the rheobase and sustained-firing searches (and its dt). */
  readonly search_method: string;
  readonly refractory: RefractoryResult | null;
  /** Why there are no refractory periods although they were asked for (NoActionPotentialError's line); else null. */
  readonly refractory_note: string | null;
  readonly timing_ms: { run: number; rheobase: number; sustained: number; refractory: number };
}

/** The method threshold searches use unless told otherwise: forward Euler's bias moves thresholds (2.2254 vs 2.2363 µA/cm² for the lab model). */
export const DEFAULT_SEARCH_METHOD = "rk4";

/**
 * Everything `spikelab analyze` measures for a run's settings; `done` is that run (as `runAll(o)` makes it)
 * and the ms it took, when the caller already has it (the lab report), so that it is not simulated again.
 */
export function measure(
  o: RunFlags,
  onset: number = DEFAULT_ONSET_DVDT_MV_PER_MS,
  refractory: Partial<RefractoryOptions> | null = {},
  tolerance?: number,
  searchMethod: string = DEFAULT_SEARCH_METHOD,
  done?: { readonly run: SimulationResult; readonly ms: number },
): Measurements {
  let t = performance.now();
  const run = done?.run ?? runAll(o);
  const aps = actionPotentials(run.t_ms, run.traces.V?.[0] as Float64Array, {
    threshold_mV: o.thresholdMv,
    onset_dVdt_mV_per_ms: onset,
    injected: injectedOf(run),
  });
  const tRun = performance.now() - t + (done?.ms ?? 0);
  t = performance.now();
  const settings = { model: o.model, parameters: o.param, dt_ms: o.dtMs, method: o.method, spike_threshold_mV: o.thresholdMv };
  const step = {
    ...settings,
    method: searchMethod,
    start_ms: o.startMs,
    stop_ms: o.stopMs,
    duration_ms: o.durationMs,
    tolerance_uA_per_cm2: tolerance,
  };
  const rb = rheobase(step);
  const tRb = performance.now() - t;
  t = performance.now();
  // up to the largest amplitude the rheobase search could run (a passive membrane's V leaves the bounds above it)
  const sustained = sustainedFiringThreshold({ ...step, max_uA_per_cm2: rb.max_uA_per_cm2 });
  const tSus = performance.now() - t;
  t = performance.now();
  // a model whose threshold crossings are not action potentials (a passive membrane) has no refractory period: said, not measured
  let rp: RefractoryResult | null = null;
  let note: string | null = null;
  try {
    rp = refractory === null ? null : refractoryPeriods({ ...settings, tolerance_uA_per_cm2: tolerance, ...refractory });
  } catch (e) {
    if (!(e instanceof NoActionPotentialError)) throw e;
    note = e.message;
  }
  return {
    run,
    aps,
    onset_dVdt_mV_per_ms: onset,
    rheobase: rb,
    sustained,
    search_method: searchMethod,
    refractory: rp,
    refractory_note: note,
    timing_ms: { run: tRun, rheobase: tRb, sustained: tSus, refractory: performance.now() - t },
  };
}

/** The refractory protocol in one line for figure captions. */
export const refractoryMethod = (r: RefractoryResult): string =>
  `paired ${r.pulse_ms} ms pulses from rest (threshold vs interval\nin the refractory figure)`;

/** Lab figure 1's data from a run (with every variable recorded), its APs and optionally refractory periods. */
export function labFigureData(
  run: SimulationResult,
  aps: ActionPotential[],
  onset: number,
  r: RefractoryResult | null,
  title: string,
  convergence?: LabFigureData["convergence"],
): LabFigureData {
  const tr = (v: string) => run.traces[v]?.[0] as Float64Array;
  // the state gates (instantaneous ones are functions of V, not recorded)
  const gates = Object.fromEntries(
    stateNames(run.model)
      .slice(1)
      .map((g) => [g, tr(g)]),
  );
  const ionic = Object.fromEntries(run.model.channels.map((c) => [c.name, tr(`I_${c.name}`)]));
  const s = run.spec.stimulus;
  return {
    t_ms: run.t_ms,
    V_mV: tr("V"),
    gates,
    I_inj_uA_per_cm2: tr("I_inj"),
    ionic_uA_per_cm2: ionic,
    stimulus_window_ms: s?.type === "step" ? [s.start_ms, s.stop_ms] : undefined,
    aps,
    onset_dVdt_mV_per_ms: onset,
    refractory: r
      ? {
          absolute_ms: r.absolute_refractory_ms,
          relative_ms: r.relative_refractory_ms,
          absolute_text: describePeriod(r.absolute_refractory_ms, r.absolute_status, r.scanned_range_ms),
          relative_text: describePeriod(r.relative_refractory_ms, r.relative_status, r.scanned_range_ms),
          method: refractoryMethod(r),
        }
      : undefined,
    title,
    ...(convergence ? { convergence } : {}),
  };
}

/** A title naming model, stimulus, method and dt. */
export function runTitle(run: SimulationResult): string {
  const s = run.spec.stimulus;
  const stim = s?.type === "step" ? `${s.amplitude_uA_per_cm2} µA/cm² step on [${s.start_ms}, ${s.stop_ms}) ms` : "no step";
  return `${run.model.name} model, ${stim}; ${run.spec.method}, dt ${run.spec.dt_ms} ms`;
}
