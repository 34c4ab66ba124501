/**
 * Neuron-steps per second of each fixed-step method, spikes only (the path an f–I sweep or a
 * parameter grid takes), through `simulate`: the lab model, N neurons with amplitudes spread over
 * 0…10 µA/cm², dt 0.025 ms. Medians of R runs after 2 warm-up runs, one method after another.
 *   npx tsx bench/methods.ts [neurons=512] [steps=4000] [runs=7]      (FAST_MATH=1: fast_math: true)
 * VARY=gNa: the 100,000-neuron throughput row's work in small instead (bench/throughput.ts): the neurons
 * differ in gNa (30 + 0.0004·i mS/cm²), all at 10 µA/cm² on [50 ms, end), so no quiet prefix is shared.
 * METHODS=euler,rk4: only these methods.
 * Reports the process's CPU time per run (user + system; steadier than wall time on a shared machine).
 * SPIKELAB_SRC=<folder> measures another checkout's src/ (e.g. the commit before a change,
 * `git archive <commit> src | tar -x -C /tmp/old`), for before/after ratios in one session.
 */
import { enableRelaxedSimd } from "../src/wasm/nodeFlags.js";

// as the CLI: relaxed SIMD on (Node 20), so that fast math fuses its multiply–adds (SPIKELAB_FMA=0: not)
enableRelaxedSimd();
const { simulate } = (await import(
  process.env.SPIKELAB_SRC ? `${process.env.SPIKELAB_SRC}/index.ts` : "../src/index.js"
)) as typeof import("../src/index.js");

const [n = 512, steps = 4000, runs = 7] = process.argv.slice(2).map(Number);
const dt = 0.025;
const byGNa = process.env.VARY === "gNa";
const amplitudes = Array.from({ length: n }, (_, i) => (10 * i) / Math.max(1, n - 1));
const spec = (method: string) => ({
  model: "lab",
  method,
  ...(byGNa
    ? {
        parameters: { gNa: Array.from({ length: n }, (_, i) => 30 + 0.0004 * i) },
        stimulus: { amplitude_uA_per_cm2: 10, start_ms: 50, stop_ms: steps * dt },
      }
    : { stimulus: { amplitude_uA_per_cm2: amplitudes, start_ms: 0, stop_ms: steps * dt } }),
  duration_ms: steps * dt,
  dt_ms: dt,
  record: { variables: [] },
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fast = process.env.FAST_MATH === "1";
console.log(
  `${process.env.SPIKELAB_SRC ?? "src"}${fast ? " (fast math)" : ""}: lab model, ${n} neurons${byGNa ? " differing in gNa" : ""} × ${steps} steps (dt ${dt} ms), spikes only; medians of ${runs} runs after 2 warm-ups; CPU time of this process (wall in brackets)`,
);
const rows: Record<string, number> = {};
for (const method of process.env.METHODS?.split(",") ?? ["euler", "exp-euler", "backward-euler", "rk4"]) {
  const run = () => simulate({ ...spec(method), ...(fast ? { fast_math: true } : {}) });
  for (let w = 0; w < 2; w++) run();
  const cpu: number[] = [];
  const wall: number[] = [];
  let spikes = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    spikes = res.spikes.count.reduce((a, b) => a + b, 0);
  }
  const ms = median(cpu);
  rows[method] = (n * steps) / (ms / 1000);
  console.log(
    `${method.padEnd(15)} ${ms.toFixed(1).padStart(8)} ms (${median(wall).toFixed(1)})  ${(rows[method] / 1e6).toFixed(2).padStart(7)} M neuron-steps/s  (${spikes} spikes)`,
  );
}
const e = rows.euler as number;
console.log(
  `relative to euler: ${Object.entries(rows)
    .map(([k, v]) => `${k} ${(v / e).toFixed(2)}`)
    .join(", ")}`,
);
