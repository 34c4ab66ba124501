import { join } from "node:path";
import type { ActionPotential } from "../analysis/features.js";
import { curveLabel, methodLabel } from "../display/curveLabel.js";
import { checkConvergence, DEFAULT_CONVERGENCE_TOLERANCE_MS } from "../experiments/convergence.js";
import type { FiResult } from "../experiments/fi.js";
import { LAB_FI_CONVERGED as CONVERGED, LAB_EXPERIMENT_1, LAB_FI } from "../experiments/labProtocols.js";
import { describePeriod, type RefractoryResult } from "../experiments/refractory.js";
import { rheobase } from "../experiments/rheobase.js";
import { writeFileAtomic } from "../io/files.js";
import { countDifference, differenceSummary, fiFigure } from "../plot/fiFigure.js";
import { labFigure } from "../plot/labFigure.js";
import { svgDocument, svgToPng } from "../plot/node.js";
import { refractoryFigure } from "../plot/refractoryFigure.js";
import { spikeTimesOf } from "../record/spikes.js";
import { type SimulationResult, simulate } from "../simulate.js";
import { measurementsJson } from "./analyze.js";
import type { RunFlags } from "./common.js";
import { LAB_RUN } from "./common.js";
import { overlaidSeries } from "./fiOverlay.js";
import { labFigureData, measure } from "./measure.js";
import { wrote } from "./output.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** The f–I protocol's step window in words: "[50, 200) ms". */
const window = `[${LAB_FI.start_ms}, ${LAB_FI.stop_ms}) ms`;
const n = (x: number | null, d: number) => (x === null ? "—" : x.toFixed(d));

const labFlags = (): RunFlags => ({
  ...LAB_RUN,
  model: LAB_EXPERIMENT_1.model,
  method: LAB_EXPERIMENT_1.method,
  dtMs: LAB_EXPERIMENT_1.dt_ms,
  param: {},
  thresholdMv: LAB_EXPERIMENT_1.spike_threshold_mV,
  checkDtToleranceMs: DEFAULT_CONVERGENCE_TOLERANCE_MS,
});

/**
 * Measures the lab's experiments and writes their figures (SVG and PNG) and an HTML report into `out`:
 * experiment1.{svg,png}, fi.{svg,png}, refractory.{svg,png}, analysis.json, report.html. `experiment1` is
 * experiment 1 with every variable recorded and the ms its run took (measured here, not simulated again),
 * `f` experiment 2.
 */
export async function writeLabReport(
  out: string,
  experiment1: { readonly run: SimulationResult; readonly ms: number },
  f: FiResult,
  convergedRun: Promise<FiResult>,
): Promise<void> {
  const t0 = performance.now();
  const m = measure(labFlags(), undefined, {}, undefined, undefined, experiment1);
  const r = m.refractory as RefractoryResult;
  const c1 = experiment1Convergence(m.run);
  const rbFi = rheobase({
    model: LAB_FI.model,
    method: LAB_FI.method,
    dt_ms: LAB_FI.dt_ms,
    start_ms: LAB_FI.start_ms,
    stop_ms: LAB_FI.stop_ms,
    duration_ms: LAB_FI.duration_ms,
  });
  // the converged sweep runs on worker threads while the measurements above run here
  const tWait = performance.now();
  const converged = await convergedRun;
  const waited = performance.now() - tWait;
  const figures: [string, string][] = [
    [
      "experiment1",
      labFigure(
        svgDocument(),
        labFigureData(
          m.run,
          m.aps,
          m.onset_dVdt_mV_per_ms,
          r,
          "Lab experiment 1: the action potential, its threshold and the refractory periods",
          c1.lines,
        ),
      ),
    ],
    [
      "fi",
      fiFigure(svgDocument(), {
        series: overlaidSeries({ method: LAB_FI.method, dt_ms: LAB_FI.dt_ms }, f, { ...CONVERGED, dt_ms: LAB_FI.dt_ms }, converged),
        rheobase_uA_per_cm2: rbFi.rheobase_uA_per_cm2,
        window_ms: [LAB_FI.start_ms, LAB_FI.stop_ms],
        title: `Lab experiment 2: the f–I curve (steps on ${window}), Euler and converged`,
      }),
    ],
    ["refractory", refractoryFigure(svgDocument(), r, "Refractory periods of the lab model, measured with paired pulses")],
  ];
  const write = (path: string, data: string | Uint8Array) => {
    writeFileAtomic(path, data);
    wrote(path);
  };
  for (const [name, svg] of figures) {
    write(join(out, `${name}.svg`), svg);
    write(join(out, `${name}.png`), svgToPng(svg));
  }
  const json = measurementsJson(m);
  write(
    join(out, "analysis.json"),
    `${JSON.stringify({ ...json, fi_rheobase_uA_per_cm2: rbFi.rheobase_uA_per_cm2, fi_rheobase_step_ms: rbFi.step_ms, experiment1_convergence: c1.json })}\n`,
  );
  write(join(out, "report.html"), reportHtml(m.aps, r, json, rbFi.rheobase_uA_per_cm2, f, converged, c1));
  const ms = performance.now() - t0;
  console.log(
    `measured: threshold ${n(json.threshold_mV, 2)} mV; rheobase ${n(json.rheobase_uA_per_cm2, 4)} µA/cm² (10 ms step), ${n(rbFi.rheobase_uA_per_cm2, 4)} µA/cm² (150 ms step); ` +
      `absolute refractory ${json.absolute_refractory}, relative refractory ${json.relative_refractory}`,
  );
  if (!c1.json.converged) console.log(`experiment 1: ${c1.sentence}`);
  console.log(`done in ${Math.round(ms)} ms, of which ${Math.round(waited)} ms waiting for the converged sweep`);
}

/**
 * Is experiment 1 (forward Euler, dt 0.025 ms) converged? Its spikes against a rerun at dt/2, and the
 * converged spike times (rk45 at rtol 1e-10) to show beside the lab's when they are not.
 */
export function experiment1Convergence(run: SimulationResult) {
  const spec = { ...run.spec, record: { variables: [] } };
  const check = checkConvergence(spec);
  const conv = simulate({ ...spec, method: CONVERGED.method, rtol: CONVERGED.rtol, atol: CONVERGED.atol });
  const euler = Array.from(spikeTimesOf(run.spikes, 0));
  const converged_ms = Array.from(spikeTimesOf(conv.spikes, 0));
  const shift = check.neurons[0]?.max_shift_ms ?? 0;
  const list = (t: number[]) => (t.length ? `${t.map((x) => x.toFixed(2)).join(", ")} ms` : "none");
  const sentence = check.converged
    ? `converged: at dt ${check.refined.dt_ms} ms no spike moves by ${check.tolerance_ms} ms or more`
    : `NOT converged in dt: at dt ${check.refined.dt_ms} ms its spikes move by up to ${shift.toFixed(2)} ms (${check.neurons[0]?.spike_count} → ${check.neurons[0]?.refined_spike_count} spikes); the lab's Euler spikes ${list(euler)}, converged (rk45, rtol ${CONVERGED.rtol}) ${list(converged_ms)}`;
  const lines: [string, string][] = check.converged
    ? [["converged", `spike times move < ${check.tolerance_ms} ms at dt/2`]]
    : [
        ["NOT converged", `at dt/2 spikes move up to ${shift.toFixed(2)} ms`],
        ["converged spikes", `${list(converged_ms)} (rk45)`],
      ];
  return {
    sentence,
    lines,
    json: {
      converged: check.converged,
      method: run.spec.method,
      dt_ms: run.spec.dt_ms,
      refined_dt_ms: check.refined.dt_ms,
      max_shift_ms: shift,
      spike_times_ms: euler,
      converged_spike_times_ms: converged_ms,
      converged_method: `${CONVERGED.method} (rtol ${CONVERGED.rtol}, atol ${CONVERGED.atol})`,
    },
  };
}

function reportHtml(
  aps: readonly ActionPotential[],
  r: RefractoryResult,
  j: ReturnType<typeof measurementsJson>,
  rbFi: number | null,
  f: FiResult,
  converged: FiResult,
  c1: ReturnType<typeof experiment1Convergence>,
): string {
  const row = (cells: (string | number)[], th = false) => `<tr>${cells.map((c) => (th ? `<th>${c}</th>` : `<td>${c}</td>`)).join("")}</tr>`;
  const apRows = aps.map((a, i) =>
    row([
      i + 1,
      n(a.time_ms, 3),
      n(a.onset_ms, 3),
      n(a.onset_mV, 2),
      n(a.peak_ms, 3),
      n(a.peak_mV, 2),
      n(a.amplitude_mV, 2),
      n(a.half_width_ms, 3),
      n(a.ahp_ms, 3),
      n(a.ahp_mV, 2),
    ]),
  );
  const curve = r.intervals_ms.map((d, i) =>
    row([
      n(d, 3),
      r.thresholds_uA_per_cm2[i] == null ? `no spike up to ${n(r.cap_uA_per_cm2, 3)}` : n(r.thresholds_uA_per_cm2[i] as number, 4),
      n(r.threshold_ratios[i] ?? null, 3),
    ]),
  );
  const fiRows = f.amplitudes_uA_per_cm2.map((a, i) =>
    row([n(a, 2), f.spike_counts[i] as number, n(f.rates_Hz[i] as number, 2), converged.spike_counts[i] as number]),
  );
  const diff = countDifference([
    { label: methodLabel(LAB_FI.method), ...f },
    { label: methodLabel(CONVERGED.method), ...converged },
  ]);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>spikelab — the lab's experiments, measured</title>
<style>
body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1160px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
img{max-width:100%;border:1px solid #ddd}
table{border-collapse:collapse;margin:0.6em 0 1.4em}td,th{border:1px solid #ccc;padding:3px 9px;text-align:right}th{background:#f3f3f3}
td:first-child,th:first-child,.txt td:last-child,.txt th:last-child{text-align:left}td{white-space:normal}.txt td:nth-child(2){white-space:nowrap}.num{font-variant-numeric:tabular-nums}
details{margin-bottom:1em}code{background:#f4f4f4;padding:0 3px}
</style></head><body>
<h1>The lab's experiments, measured</h1>
<p>Model <b>lab</b> (the notebook's Hodgkin–Huxley-type neuron), ${curveLabel({ method: LAB_EXPERIMENT_1.method, dt_ms: j.dt_ms })}. Every number and every mark on the figures is measured from the simulated neuron by <code>spikelab</code>; the methods are listed below.</p>

<h2>Key numbers</h2>
<table class="num txt">
${row(["quantity", "value", "how it is measured"], true)}
${row(["voltage threshold", `${n(j.threshold_mV, 2)} mV`, `onset of the first action potential: where dV/dt − I_inj/Cm (the membrane's own rate) first exceeds ${j.onset_dVdt_mV_per_ms} mV/ms`])}
${row(["rheobase, 10 ms step", `${n(j.rheobase_uA_per_cm2, 4)} µA/cm²`, `smallest step on [10, 20) ms that fires a spike within 50 ms; bisection to ${j.rheobase_tolerance_uA_per_cm2} µA/cm² (${j.search_method})`])}
${row(["rheobase, 150 ms step", `${n(rbFi, 4)} µA/cm²`, `the same for the f–I steps on ${window}`])}
${row(["single-pulse threshold", `${n(r.single_pulse_threshold_uA_per_cm2, 4)} µA/cm²`, `one ${r.pulse_ms} ms pulse from rest (${n(r.initial_mV, 2)} mV)`])}
${row(["absolute refractory period", esc(describePeriod(r.absolute_refractory_ms, r.absolute_status, r.scanned_range_ms)), `largest interval after a spike at which no second spike is evoked up to ${r.cap_factor}× the single-pulse threshold (${n(r.cap_uA_per_cm2, 3)} µA/cm²)`])}
${row(["relative refractory period", esc(describePeriod(r.relative_refractory_ms, r.relative_status, r.scanned_range_ms)), `interval after a spike from which the second-pulse threshold is within ${Math.round(r.recovery_fraction * 100)} % of the single-pulse threshold`])}
</table>

<h2>Figure 1 — experiment 1: the action potential</h2>
<p>A ${LAB_RUN.amplitude} µA/cm² step on [${LAB_RUN.startMs}, ${LAB_RUN.stopMs}) ms. The dashed line is the measured threshold, the orange dots the onsets of the action potentials; the first one is zoomed on the right with its peak, amplitude and half-width. The red and orange bands are the absolute and relative refractory periods, drawn from the first spike.</p>
<p><b>Convergence:</b> the lab's run is ${esc(c1.sentence)}.</p>
<p><img src="experiment1.svg" alt="Lab figure 1"></p>
<table class="num">
${row(["spike", "time (ms)", "onset (ms)", "onset = threshold (mV)", "peak (ms)", "peak (mV)", "amplitude (mV)", "half-width (ms)", "AHP (ms)", "AHP (mV)"], true)}
${apRows.join("\n")}
</table>

<h2>Figure 2 — experiment 2: the f–I curve</h2>
<p>Spike count and firing rate for ${LAB_FI.steps} step amplitudes, ${LAB_FI.from}…${LAB_FI.to} µA/cm² on ${window}, as one batched run; the rheobase for this step is marked. The dashed curve is the same sweep converged in the time step (rk45, rtol ${CONVERGED.rtol}, atol ${CONVERGED.atol}); panel C shows the lab's Euler bias: ${esc(
    diff
      ? differenceSummary(
          [
            { label: methodLabel(LAB_FI.method), ...f },
            { label: methodLabel(CONVERGED.method), ...converged },
          ],
          diff,
        )
      : "",
  )}.</p>
<p><img src="fi.svg" alt="Lab figure 2"></p>
<details><summary>f–I table</summary><table class="num">${row(["amplitude (µA/cm²)", "spike count", "rate (Hz)", "converged count (rk45)"], true)}${fiRows.join("")}</table></details>

<h2>Figure 3 — refractory periods</h2>
<p><img src="refractory.svg" alt="Refractory figure"></p>
<h3>Protocol</h3>
<ol>
<li>Start at rest: V0 is set to the model's resting potential, ${n(r.initial_mV, 3)} mV, with every gate at steady state (the lab's V0 of −65 mV is not at rest: the neuron drifts towards ${n(r.initial_mV, 2)} mV over about 100 ms, which would look like a change of excitability).</li>
<li>Baseline: the threshold of one ${r.pulse_ms} ms pulse alone, starting at ${r.first_pulse_start_ms} ms: ${n(r.single_pulse_threshold_uA_per_cm2, 4)} µA/cm².</li>
<li>Conditioning pulse: ${n(r.conditioning_amplitude_uA_per_cm2, 4)} µA/cm² (2× baseline) for ${r.pulse_ms} ms at ${r.first_pulse_start_ms} ms; it fires a spike at ${n(r.first_spike_ms, 3)} ms.</li>
<li>Test pulse: ${r.pulse_ms} ms, starting Δ after that spike, for ${r.intervals_ms.length} intervals from ${r.scanned_range_ms[0]} to ${r.scanned_range_ms[1]} ms (log-spaced). It fires if a spike follows its start within ${r.observe_ms} ms.</li>
<li>For every Δ its threshold by bisection between 0 and the cap (${r.cap_factor}× baseline) to ${r.tolerance_uA_per_cm2} µA/cm²; all intervals in one batched simulation per bisection step (${r.runs} runs in all).</li>
<li>The ends of both periods are refined by bisection in Δ to ${r.interval_tolerance_ms} ms between the scanned intervals: the absolute one with the test pulse at the cap, the relative one at ${100 + Math.round(r.recovery_fraction * 100)} % of baseline.</li>
</ol>
<details><summary>threshold versus interval</summary><table class="num">${row(["Δ (ms)", "threshold (µA/cm²)", "÷ baseline"], true)}${curve.join("")}</table></details>

<h2>Methods</h2>
<ul>
<li><b>Spike</b>: upward crossing of ${j.spike_detection_threshold_mV} mV, time interpolated linearly within the step.</li>
<li><b>Onset (voltage threshold)</b>: the membrane's own rate of depolarisation, dV/dt − I_inj/Cm (= −I_ion/Cm), over each sample interval, placed at its midpoint; walking back from the crossing, the onset is where it rises through ${j.onset_dVdt_mV_per_ms} mV/ms (interpolated), and the threshold is V there. Removing I_inj/Cm keeps a strong step's passive charging ramp (dV/dt = I/Cm at its start) from passing for an upstroke.</li>
<li><b>Peak</b>: the largest sample between the upward and downward crossings. <b>Amplitude</b>: peak − onset. <b>Half-width</b>: time between the rising and falling crossings of onset + amplitude/2 (interpolated).</li>
<li><b>After-hyperpolarisation</b>: the smallest sample after the spike's downward crossing, up to the next spike or the end of the trace.</li>
<li><b>Rheobase</b>: a doubling ladder up to 1000 µA/cm² brackets it in one batched run, then batched bisection (7 amplitudes per run) narrows the bracket to ${j.rheobase_tolerance_uA_per_cm2} µA/cm²; the reported value fires, one tolerance below does not.</li>
<li><b>Figures</b>: long traces are reduced for drawing to the first, lowest, highest and last point of each pixel column, so spike peaks survive.</li>
</ul>
<p>Timings: run ${j.timing_ms.run} ms, rheobase ${j.timing_ms.rheobase} ms, refractory protocol ${j.timing_ms.refractory} ms.</p>
</body></html>
`;
}
