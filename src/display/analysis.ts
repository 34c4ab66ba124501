/** Analysis results as notebook views: action-potential features, rheobase, refractory periods, a dt check. */
import type { ActionPotential } from "../analysis/features.js";
import type { ConvergenceReport } from "../experiments/convergence.js";
import { describePeriod, type RefractoryResult } from "../experiments/refractory.js";
import type { RheobaseResult } from "../experiments/rheobase.js";
import { refractoryFigure } from "../plot/refractoryFigure.js";
import { docOf, type ViewOptions } from "./document.js";
import { heading, keyValues, num, table, textLines, withUnit } from "./html.js";
import { View } from "./protocol.js";

const noFigure = () => null;

/** The features of every action potential (from `actionPotentials`) as a table with units. */
export function actionPotentialsView(aps: readonly ActionPotential[], options: ViewOptions = {}): View {
  const title = options.title ?? `${aps.length} action potential${aps.length === 1 ? "" : "s"}`;
  const header = ["spike (ms)", "onset (ms)", "threshold (mV)", "peak (mV)", "amplitude (mV)", "half-width (ms)", "AHP (mV)"];
  const rows = aps.map((a) => [
    num(a.time_ms, 3),
    num(a.onset_ms, 3),
    num(a.onset_mV, 2),
    num(a.peak_mV, 2),
    num(a.amplitude_mV, 2),
    num(a.half_width_ms, 3),
    num(a.ahp_mV, 2),
  ]);
  return new View({
    text: () => [title, header.join("  "), ...rows.map((r) => r.join("  "))].join("\n"),
    summary: () => heading(title) + table(header, rows),
    svg: noFigure,
  });
}

/** A rheobase search (from `rheobase`) with its bracket and tolerance (µA/cm²). */
export function rheobaseView(r: RheobaseResult, options: ViewOptions = {}): View {
  const title = options.title ?? "rheobase";
  const rows: [string, string][] = [
    ["rheobase", r.rheobase_uA_per_cm2 === null ? (r.note ?? "not found") : withUnit(r.rheobase_uA_per_cm2, "µA/cm²", 4)],
    [
      "bracket [no spike, spike]",
      r.bracket_uA_per_cm2 ? `[${num(r.bracket_uA_per_cm2[0], 4)}, ${num(r.bracket_uA_per_cm2[1], 4)}] µA/cm²` : "—",
    ],
    ["tolerance", withUnit(r.tolerance_uA_per_cm2, "µA/cm²", 4)],
    ["batched runs", `${r.runs}`],
  ];
  return new View({ text: () => textLines(title, rows), summary: () => heading(title) + keyValues(rows), svg: noFigure });
}

/** Refractory periods (from `refractoryPeriods`): the threshold-versus-interval figure and the periods in ms. */
export function refractoryView(r: RefractoryResult, options: ViewOptions = {}): View {
  const title = options.title ?? "refractory periods (paired pulses)";
  const rows: [string, string][] = [
    ["absolute refractory period", describePeriod(r.absolute_refractory_ms, r.absolute_status, r.scanned_range_ms)],
    ["relative refractory period", describePeriod(r.relative_refractory_ms, r.relative_status, r.scanned_range_ms)],
    ["single-pulse threshold", withUnit(r.single_pulse_threshold_uA_per_cm2, "µA/cm²", 4)],
    ["pulse length", withUnit(r.pulse_ms, "ms", 2)],
    ["starting from", withUnit(r.initial_mV, "mV", 2)],
    ["intervals scanned", `${r.intervals_ms.length}, ${num(r.scanned_range_ms[0], 2)} … ${num(r.scanned_range_ms[1], 1)} ms`],
    ["smallest threshold ratio after recovery", num(r.min_ratio, 3)],
    ["batched runs", `${r.runs}`],
  ];
  return new View({
    text: () => textLines(title, rows),
    summary: () => heading(title) + keyValues(rows),
    svg: () => refractoryFigure(docOf(options), r, title),
  });
}

/** A dt check (from `checkConvergence` / `checkFiConvergence`): which neurons change at dt/2, and by how much. */
export function convergenceView(r: ConvergenceReport, options: ViewOptions & { readonly labels?: readonly string[] } = {}): View {
  const bad = r.neurons.filter((n) => !n.converged);
  const title = options.title ?? `dt check: ${bad.length} of ${r.neurons.length} neurons not converged`;
  const label = (i: number) => options.labels?.[i] ?? `${i}`;
  const header = ["neuron", "spikes", "spikes at the finer setting", "largest spike-time shift (ms)", "converged"];
  const rows = r.neurons.map((n) => [
    label(n.neuron),
    `${n.spike_count}`,
    `${n.refined_spike_count}`,
    num(n.max_shift_ms, 4),
    n.converged ? "yes" : "no",
  ]);
  const lines: [string, string][] = [
    ["method", r.method],
    ["finer setting", r.refined.rtol === undefined ? `dt ${r.refined.dt_ms} ms` : `rtol ${r.refined.rtol}, atol ${r.refined.atol}`],
    ["tolerance on spike times", withUnit(r.tolerance_ms, "ms", 3)],
    ["not converged", `${bad.length} of ${r.neurons.length}`],
  ];
  return new View({
    text: () => textLines(title, lines),
    summary: () =>
      heading(title) +
      keyValues(lines) +
      `<details><summary style="font-family:sans-serif;font-size:13px">every neuron</summary>${table(header, rows)}</details>`,
    svg: noFigure,
  });
}
