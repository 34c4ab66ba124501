/**
 * f32 honesty: how often do the GPU backend's f32 spike counts differ from the CPU's f64 ones, and by
 * how much? The lab f–I protocol (lab model, Euler, dt 0.025 ms, step on [50, 200) ms, 200 ms) over
 * N evenly spaced amplitudes from 0 to 10 µA/cm². The GPU side runs in headless Chromium on SwiftShader
 * (a CPU WebGPU; the kernel is the same WGSL a real GPU runs), the CPU side on the sweep engine's
 * worker pool. Run by hand (N = 100,000 takes about 2 min on SwiftShader and ~1.5 min of CPU on 2 cores):
 *
 *   npx tsx bench/gpu-f32-agreement.ts [N] [method]
 */
import { availableParallelism } from "node:os";
import { linspace } from "../src/experiments/fi.js";
import { LAB_FI } from "../src/experiments/labProtocols.js";
import { sweep } from "../src/sweep/run.js";
import { openGpuPage } from "../test/helpers/chromium.js";

const N = Number(process.argv[2] ?? 100_000);
const method = process.argv[3] ?? "euler";
const spec = {
  model: LAB_FI.model,
  method,
  dt_ms: LAB_FI.dt_ms,
  duration_ms: LAB_FI.duration_ms,
  start_ms: LAB_FI.start_ms,
  stop_ms: LAB_FI.stop_ms,
  axes: [{ name: "amplitude", values: Array.from(linspace(LAB_FI.from, LAB_FI.to, N)) }],
  batch_size: 2000,
};

const { page, close } = await openGpuPage();
let gpu: { counts: number[]; ms: number; adapter: string };
try {
  gpu = await page.evaluate(async (spec) => {
    // biome-ignore lint/suspicious/noExplicitAny: the test page's global
    const s = (globalThis as any).spikelab;
    const device = await s.getDevice();
    const t = performance.now();
    const r = await s.gpuSweep(device, spec);
    return { counts: Array.from(r.spike_count as Float32Array), ms: performance.now() - t, adapter: await s.adapterInfo() };
  }, spec);
} finally {
  await close();
}
const t0 = performance.now();
const cpu = await sweep(spec, { workers: Math.max(1, availableParallelism()) });
const cpuMs = performance.now() - t0;
const counts = cpu.columns.spike_count as Float64Array;
const byDiff = new Map<number, number>();
const where: string[] = [];
for (let i = 0; i < N; i++) {
  const d = (gpu.counts[i] as number) - (counts[i] as number);
  if (d === 0) continue;
  byDiff.set(d, (byDiff.get(d) ?? 0) + 1);
  if (where.length < 12) where.push(`${(cpu.columns.amplitude_uA_per_cm2 as Float64Array)[i]}: f64 ${counts[i]}, f32 ${gpu.counts[i]}`);
}
const differ = [...byDiff.values()].reduce((a, b) => a + b, 0);
console.log(`lab f–I, ${method}, ${N} amplitudes 0…10 µA/cm², GPU f32 on ${gpu.adapter} vs CPU f64`);
console.log(`GPU ${(gpu.ms / 1000).toFixed(1)} s, CPU ${(cpuMs / 1000).toFixed(1)} s (${availableParallelism()} workers)`);
console.log(`counts that differ: ${differ} of ${N} (${((100 * differ) / N).toPrecision(3)} %)`);
console.log(
  `by f32 − f64: ${
    [...byDiff.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([d, c]) => `${d > 0 ? "+" : ""}${d}: ${c}`)
      .join(", ") || "none"
  }`,
);
if (where.length) console.log(`first: ${where.join("; ")}`);
