/**
 * Work–precision of every method on hh1952 (10 µA/cm² on [10, 110) ms, 120 ms, 7 spikes) against the
 * NEURON reference (test/fixtures/reference/hh1952-step10-neuron.json): the largest spike-time error versus
 * the CPU time of one run (process user + system time, median of repeats, after a warm-up of every method;
 * spikes only, one neuron). Run by hand:
 *
 *   npx tsx bench/work-precision.ts
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DivergenceError, simulate } from "../src/index.js";

const ref = JSON.parse(
  readFileSync(fileURLToPath(new URL("../test/fixtures/reference/hh1952-step10-neuron.json", import.meta.url)), "utf8"),
) as { spike_times_ms: number[] };

interface Setting {
  method: string;
  dt_ms: number;
  rtol?: number;
  atol?: number;
}

const fixed = (method: string, dts: number[]): Setting[] => dts.map((dt_ms) => ({ method, dt_ms }));
const settings: Setting[] = [
  ...fixed("euler", [0.05, 0.025, 0.01, 0.005, 0.0025, 0.001]),
  ...fixed("exp-euler", [0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001]),
  ...fixed("backward-euler", [0.1, 0.05, 0.025, 0.01, 0.005, 0.0025, 0.001]),
  ...fixed("rk4", [0.05, 0.025, 0.01, 0.005, 0.0025]),
  ...[1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-10].map((rtol) => ({
    method: "rk45",
    dt_ms: 0.1,
    rtol,
    atol: Number((rtol / 100).toPrecision(3)),
  })),
];

const run = (s: Setting) =>
  simulate({
    model: "hh1952",
    stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 110 },
    duration_ms: 120,
    record: { variables: [] },
    ...s,
  });

/** CPU time of the process (user + system, ms): less disturbed than wall time on a shared machine. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// warm up every method once first, so the JIT has seen them all before any is timed
for (const s of settings) {
  try {
    run(s);
  } catch {}
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

console.log("| method | dt (ms) / rtol, atol | spikes | max spike-time error (ms) | CPU time (ms, median of 5–21) | steps (rejected) |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const s of settings) {
  const setting = s.rtol === undefined ? String(s.dt_ms) : `${s.rtol}, ${s.atol}`;
  let r: ReturnType<typeof run>;
  try {
    r = run(s);
  } catch (e) {
    if (e instanceof DivergenceError) {
      console.log(`| ${s.method} | ${setting} | diverged | – | – | – |`);
      continue;
    }
    throw e;
  }
  const times: number[] = [];
  const t0 = cpuMs();
  while (times.length < 5 || (times.length < 21 && cpuMs() - t0 < 1500)) {
    const a = cpuMs();
    run(s);
    times.push(cpuMs() - a);
  }
  const t = r.spikes.t_ms;
  const error =
    t.length === ref.spike_times_ms.length
      ? Math.max(...ref.spike_times_ms.map((x, k) => Math.abs((t[k] as number) - x))).toExponential(1)
      : `${t.length} spikes (reference ${ref.spike_times_ms.length})`;
  const steps = `${r.stats.accepted_steps}${r.stats.rejected_steps ? ` (${r.stats.rejected_steps})` : ""}`;
  console.log(`| ${s.method} | ${setting} | ${t.length} | ${error} | ${median(times).toFixed(1)} | ${steps} |`);
}
