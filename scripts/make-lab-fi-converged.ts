/**
 * Regenerates test/fixtures/lab-fi-converged.json: the lab's f–I sweep (51 amplitudes 0…10 µA/cm²
 * on [50, 200) ms, 200 ms) integrated to convergence with rk45 at rtol 1e-10, atol 1e-12, and
 * cross-checked with rk4 at dt 0.0025 ms (counts must agree, spike times to the stated difference).
 *
 *   npx tsx scripts/make-lab-fi-converged.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fiSpec, LAB_FI, linspace, simulate, spikeTimesOf } from "../src/index.js";

const amplitudes = Array.from(linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps));
const base = { amplitudes, start_ms: LAB_FI.start_ms, stop_ms: LAB_FI.stop_ms, duration_ms: LAB_FI.duration_ms };
const tight = { rtol: 1e-10, atol: 1e-12 };
const t0 = performance.now();
const rk45 = simulate(fiSpec({ ...base, dt_ms: LAB_FI.dt_ms, method: "rk45", ...tight }));
const rk45_s = (performance.now() - t0) / 1000;
const check = simulate(fiSpec({ ...base, dt_ms: 0.0025, method: "rk4" }));

const times = amplitudes.map((_, i) => Array.from(spikeTimesOf(rk45.spikes, i)));
let maxDiff = 0;
amplitudes.forEach((_, i) => {
  const other = spikeTimesOf(check.spikes, i);
  const mine = times[i] as number[];
  if (other.length !== mine.length) throw new Error(`rk4 cross-check: amplitude ${i} has ${other.length} spikes, rk45 ${mine.length}`);
  mine.forEach((t, k) => {
    maxDiff = Math.max(maxDiff, Math.abs(t - (other[k] as number)));
  });
});
const window_s = (LAB_FI.stop_ms - LAB_FI.start_ms) / 1000;
const fixture = {
  description:
    "The lab model's f–I sweep, converged in the time step: reference for `spikelab fi --method rk45` and the Euler-vs-converged comparison",
  simulator: "spikelab (this repository), src/integrators/rk45.ts",
  method: "rk45 (adaptive Dormand–Prince 5(4), max-norm error control, dense-output spike location)",
  rtol: tight.rtol,
  atol: tight.atol,
  steps: { accepted: rk45.stats.accepted_steps, rejected: rk45.stats.rejected_steps },
  generated_by: "npx tsx scripts/make-lab-fi-converged.ts",
  cross_check: {
    method: "rk4",
    dt_ms: 0.0025,
    spike_counts_equal: true,
    max_spike_time_difference_ms: Number(maxDiff.toPrecision(3)),
  },
  protocol: {
    model: "lab",
    start_ms: LAB_FI.start_ms,
    stop_ms: LAB_FI.stop_ms,
    duration_ms: LAB_FI.duration_ms,
    sample_dt_ms: LAB_FI.dt_ms,
  },
  spike_definition: "upward crossing of 0 mV; spike_counts count crossings over the whole run (the lab's count)",
  amplitudes_uA_per_cm2: amplitudes,
  spike_counts: Array.from(rk45.spikes.count),
  rates_Hz: times.map((ts) => ts.filter((t) => t >= LAB_FI.start_ms && t < LAB_FI.stop_ms).length / window_s),
  spike_times_ms: times.map((ts) => ts.map((t) => Number(t.toFixed(9)))),
};
const out = fileURLToPath(new URL("../test/fixtures/lab-fi-converged.json", import.meta.url));
writeFileSync(out, `${JSON.stringify(fixture, null, 1)}\n`);
console.log(
  `wrote ${out}: rk45 ${rk45_s.toFixed(1)} s, ${rk45.stats.accepted_steps} steps; rk4 cross-check max |Δt| ${maxDiff.toExponential(2)} ms`,
);
