/** A simulation run as a notebook view: lab figure 1 (annotated V, gates, currents) and a summary with units. */

import { type ActionPotential, actionPotentials, DEFAULT_ONSET_DVDT_MV_PER_MS } from "../analysis/features.js";
import { firingRate } from "../analysis/spikes.js";
import { invalid } from "../errors.js";
import { describePeriod, type RefractoryResult } from "../experiments/refractory.js";
import { poolNames, stateNames } from "../models/index.js";
import { type LabFigureData, labFigure } from "../plot/labFigure.js";
import { spikeTimesOf } from "../record/spikes.js";
import { type SimulationResult, systemFor } from "../simulate.js";
import { docOf, type ViewOptions } from "./document.js";
import { heading, keyValues, num, table, textLines, withUnit } from "./html.js";
import { View } from "./protocol.js";

export interface RunViewOptions extends ViewOptions {
  /** Which recorded neuron to draw and describe (an index into `recordedNeurons`); default 0. */
  readonly neuron?: number;
  /** Onset criterion of the action potentials (mV/ms); default 10. */
  readonly onset_dVdt_mV_per_ms?: number;
  /** Refractory periods to draw as bands from the first spike (from `refractoryPeriods`). */
  readonly refractory?: RefractoryResult;
}

/** A title naming model, stimulus, method and dt. */
export function runTitle(run: SimulationResult): string {
  const s = run.spec.stimulus;

  const stim =
    s === undefined
      ? "no stimulus"
      : s.type === "pulses"
        ? `${s.pulses.length} current pulses`
        : typeof s.amplitude_uA_per_cm2 === "number"
          ? `${s.amplitude_uA_per_cm2} µA/cm² step on [${s.start_ms}, ${s.stop_ms}) ms`
          : `steps of ${s.amplitude_uA_per_cm2.length} amplitudes (µA/cm²) on [${s.start_ms}, ${s.stop_ms}) ms`;
  return `${run.model.name} model, ${stim}; ${run.spec.method}, dt ${run.spec.dt_ms} ms`;
}

/** The injected current of one neuron at every sample time (µA/cm²), from the recorded trace or the spec's stimulus. */
function injected(run: SimulationResult, neuron: number, r: number): Float64Array {
  const recorded = run.traces.I_inj?.[r];
  if (recorded) return recorded;
  const system = systemFor(run.spec, run.model);
  const out = new Float64Array(run.t_ms.length);
  const all = new Float64Array(run.n);
  run.t_ms.forEach((t, k) => {
    system.injected(t, all);
    out[k] = all[neuron] as number;
  });
  return out;
}

/** Lab figure 1's data for one recorded neuron: V, the recorded gates and currents, the APs, the refractory bands. */
function runFigureData(
  run: SimulationResult,
  r: number,
  aps: ActionPotential[],
  onset: number,
  title: string,
  rp?: RefractoryResult,
): LabFigureData | null {
  const tr = (v: string) => run.traces[v]?.[r];
  const V = tr("V");
  if (!V || run.t_ms.length < 2) return null;
  const neuron = run.recordedNeurons[r] as number;
  // the gates panel's axis is the open fraction (0–1): a pool's concentration (mM) is not drawn on it
  const pools = new Set(poolNames(run.model));
  const gates = Object.fromEntries(
    stateNames(run.model)
      .slice(1)
      .flatMap((g) => (!pools.has(g) && tr(g) ? [[g, tr(g) as Float64Array]] : [])),
  );
  const ionic = Object.fromEntries(
    run.model.channels.flatMap((c) => (tr(`I_${c.name}`) ? [[c.name, tr(`I_${c.name}`) as Float64Array]] : [])),
  );
  const s = run.spec.stimulus;
  return {
    t_ms: run.t_ms,
    V_mV: V,
    gates,
    I_inj_uA_per_cm2: injected(run, neuron, r),
    ...(Object.keys(ionic).length > 0 ? { ionic_uA_per_cm2: ionic } : {}),
    ...(s?.type === "step" ? { stimulus_window_ms: [s.start_ms, s.stop_ms] as const } : {}),
    aps,
    onset_dVdt_mV_per_ms: onset,
    ...(rp
      ? {
          refractory: {
            absolute_ms: rp.absolute_refractory_ms,
            relative_ms: rp.relative_refractory_ms,
            absolute_text: describePeriod(rp.absolute_refractory_ms, rp.absolute_status, rp.scanned_range_ms),
            relative_text: describePeriod(rp.relative_refractory_ms, rp.relative_status, rp.scanned_range_ms),
            method: `paired ${rp.pulse_ms} ms pulses from rest`,
          },
        }
      : {}),
    title,
  };
}

const listTimes = (t: ArrayLike<number>, max = 8): string => {
  const a = Array.from(t)
    .slice(0, max)
    .map((x) => num(x, 2));
  return a.length === 0 ? "none" : `${a.join(", ")}${t.length > max ? `, … (${t.length - max} more)` : ""} ms`;
};

/** The rate of spikes inside a step's window [start, stop) (Hz), or null without a step. */
function windowRate(run: SimulationResult, times: ArrayLike<number>): number | null {
  const s = run.spec.stimulus;
  if (s?.type !== "step" || s.stop_ms <= s.start_ms) return null;
  return firingRate(Array.from(times), s.start_ms, s.stop_ms);
}

/** The amplitude of neuron i's step (µA/cm²), or null. */
function amplitudeOf(run: SimulationResult, i: number): number | null {
  const s = run.spec.stimulus;
  if (s?.type !== "step") return null;
  const a = s.amplitude_uA_per_cm2;
  return typeof a === "number" ? a : (a[i] ?? null);
}

/**
 * A run as a notebook view: lab figure 1 of one recorded neuron (V with threshold, onsets, the first
 * AP's peak, amplitude and half-width, optionally the refractory bands; the gates; the currents) and a
 * summary with units (spikes, rate in the step window, AP features); for a batch also a table of every
 * neuron's spike count and rate.
 */
export function runView(run: SimulationResult, options: RunViewOptions = {}): View {
  const r = options.neuron ?? 0;
  const recorded = Math.max(run.recordedNeurons.length, 1);
  if (!(Number.isInteger(r) && r >= 0 && r < recorded)) throw invalid("neuron", r, `an index 0…${recorded - 1} into the recorded neurons`);
  const neuron = run.recordedNeurons[r] ?? r;
  const onset = options.onset_dVdt_mV_per_ms ?? DEFAULT_ONSET_DVDT_MV_PER_MS;
  const title = options.title ?? runTitle(run);
  const V = run.traces.V?.[r];
  const aps =
    V && run.t_ms.length >= 2
      ? actionPotentials(run.t_ms, V, { threshold_mV: run.spec.spike_threshold_mV, onset_dVdt_mV_per_ms: onset })
      : [];
  const times = spikeTimesOf(run.spikes, neuron);
  const first = aps[0];
  const rate = windowRate(run, times);
  const rows: [string, string][] = [
    ["neurons", `${run.n}`],
    ["duration", withUnit(run.spec.duration_ms, "ms", 1)],
    ["steps (accepted, rejected)", `${run.stats.accepted_steps}, ${run.stats.rejected_steps}`],
    [`spikes of neuron ${neuron}`, `${times.length}`],
    ["spike times", listTimes(times)],
    ...(rate === null ? [] : ([["rate in the step window", withUnit(rate, "Hz", 1)]] as [string, string][])),
    ...(first
      ? ([
          ["threshold (first AP onset)", withUnit(first.onset_mV, "mV")],
          ["AP peak", `${withUnit(first.peak_mV, "mV")} at ${withUnit(first.peak_ms, "ms", 3)}`],
          ["AP amplitude", withUnit(first.amplitude_mV, "mV")],
          ["AP half-width", withUnit(first.half_width_ms, "ms", 3)],
          ["after-hyperpolarisation", withUnit(first.ahp_mV, "mV")],
        ] as [string, string][])
      : []),
    ...(options.refractory
      ? ([
          [
            "absolute refractory period",
            describePeriod(
              options.refractory.absolute_refractory_ms,
              options.refractory.absolute_status,
              options.refractory.scanned_range_ms,
            ),
          ],
          [
            "relative refractory period",
            describePeriod(
              options.refractory.relative_refractory_ms,
              options.refractory.relative_status,
              options.refractory.scanned_range_ms,
            ),
          ],
        ] as [string, string][])
      : []),
  ];
  const batch = (): string => {
    if (run.n === 1) return "";
    const shown = Math.min(run.n, 50);
    const body = Array.from({ length: shown }, (_, i) => {
      const t = spikeTimesOf(run.spikes, i);
      const a = amplitudeOf(run, i);
      return [`${i}`, a === null ? "—" : num(a, 3), `${t.length}`, num(windowRate(run, t), 1), t.length > 0 ? num(t[0], 2) : "—"];
    });
    const more = run.n > shown ? ` (first ${shown} of ${run.n})` : "";
    return table(["neuron", "amplitude (µA/cm²)", "spike count", "rate (Hz)", "first spike (ms)"], body, `every neuron${more}`);
  };
  return new View({
    text: () => textLines(title, rows),
    summary: () => heading(title) + keyValues(rows) + batch(),
    svg: () => {
      if (!V) return null;
      const data = runFigureData(run, r, aps, onset, title, options.refractory);
      return data === null ? null : labFigure(docOf(options), data);
    },
  });
}
