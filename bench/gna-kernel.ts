/**
 * One thread, the 100k-throughput row's work in small: N lab neurons that differ in gNa
 * (30 + 0.0004·i mS/cm², 10 µA/cm² on [50, 200) ms), forward Euler dt 0.025 ms, spikes only,
 * through `simulate`. CPU time, medians of R after 2 warm-ups; exact then fast math.
 *   npx tsx bench/gna-kernel.ts [neurons=2048] [steps=8000] [runs=5] [method=euler]
 */
import { enableRelaxedSimd } from "../src/wasm/nodeFlags.js";

// as the CLI: relaxed SIMD on (Node 20), so that fast math fuses its multiply–adds (SPIKELAB_FMA=0: not)
enableRelaxedSimd();
const { simulate } = (await import(
  process.env.SPIKELAB_SRC ? `${process.env.SPIKELAB_SRC}/index.ts` : "../src/index.js"
)) as typeof import("../src/index.js");
const [n = 2048, steps = 8000, runs = 5] = process.argv.slice(2, 5).map(Number);
const method = process.argv[5] ?? "euler";
const dt = 0.025;
const gNa = Array.from({ length: n }, (_, i) => 30 + 0.0004 * i);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const fast of [false, true]) {
  const run = () =>
    simulate({
      model: "lab",
      method,
      parameters: { gNa },
      stimulus: { amplitude_uA_per_cm2: 10, start_ms: 50, stop_ms: steps * dt },
      duration_ms: steps * dt,
      dt_ms: dt,
      record: { variables: [] },
      ...(fast ? { fast_math: true } : {}),
    });
  for (let w = 0; w < 2; w++) run();
  const cpu: number[] = [];
  let spikes = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const res = run();
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    spikes = res.spikes.count.reduce((a, b) => a + b, 0);
  }
  const ms = median(cpu);
  console.log(
    `${method} ${fast ? "fast " : "exact"} ${ms.toFixed(0)} ms  ${((n * steps) / ms / 1000).toFixed(2)} M neuron-steps/s  (${spikes} spikes)`,
  );
}
