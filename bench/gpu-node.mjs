#!/usr/bin/env node
/**
 * The real-GPU benchmark of the WebGPU backend, in Node through the `webgpu` package (Dawn).
 * Plain JavaScript: it needs only the built dist/ (npm run build) and `webgpu` (an optional
 * dependency of spikelab). Run on a machine with a GPU and a Vulkan driver:
 *
 *   npm run build && node bench/gpu-node.mjs [--sizes 1e5,1e6,4e6,16e6] [--cpu-n 2000] [--method euler]
 *   (or: npm run bench:gpu -- --sizes …)
 *
 * On Linux/NVIDIA, Dawn needs the Vulkan loader and glvnd libraries (Debian: apt-get install -y
 * libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2) and, when the loader does not find
 * the driver, VK_DRIVER_FILES=/usr/share/vulkan/icd.d/nvidia_icd.json (or wherever nvidia_icd.json is).
 *
 * What it does, in one run: (1) the lab sweep (51 amplitudes) on the GPU against the CPU's f64 counts;
 * (2) the lab model, Euler, dt 0.025 ms, 200 ms (8,000 steps), step on [50, 200) ms with amplitudes
 * evenly spread over 0…10 µA/cm², at each N: neuron-steps/s of the compute dispatches alone (first
 * submit to queue completion, as the hand-written probe was timed) and of the whole call (validation,
 * upload, dispatches, read-back, result arrays; pipeline compiled beforehand), best of --repeats; (3) the CPU engine (one thread, f64) on
 * `--cpu-n` neurons of the same protocol as the baseline; (4) f32-vs-f64 count agreement on the CPU
 * sample. Prints a table; `--json` prints the numbers as JSON too.
 */
import { availableParallelism, cpus } from "node:os";
import { fiCurve, gpuSimulate, LAB_FI, linspace, parseSweepSpec, runBatch } from "../dist/index.js";
import { requestNodeGpu } from "../dist/node.js";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = flag("--sizes", "1e5,1e6,2e6,4e6,8e6,16e6").split(",").map(Number);
const cpuN = Number(flag("--cpu-n", "2000"));
const method = flag("--method", "euler");
const repeats = Number(flag("--repeats", "2"));
const { duration_ms, dt_ms, start_ms, stop_ms } = LAB_FI;
const steps = Math.round(duration_ms / dt_ms);

const gpu = await requestNodeGpu();
if (!gpu.device) {
  console.error(`spikelab bench: no GPU: ${gpu.reason}`);
  process.exit(1);
}
const device = gpu.device;
const lim = device.limits;
console.log(`GPU: ${gpu.adapter} (maxStorageBufferBindingSize ${(lim.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB)`);
console.log(`CPU: ${cpus()[0]?.model ?? "?"} × ${availableParallelism()}; Node ${process.version}`);
console.log(
  `lab model, ${method}, dt ${dt_ms} ms, ${duration_ms} ms (${steps} steps), step on [${start_ms}, ${stop_ms}) ms, f32 on the GPU\n`,
);

const job = (n) => ({
  model: "lab",
  method,
  dt_ms,
  duration_ms,
  stimulus: { amplitude_uA_per_cm2: linspace(0, 10, n), start_ms, stop_ms },
});

// (1) the lab sweep: 51 amplitudes, GPU f32 vs CPU f64 (also compiles the pipeline)
const lab = await gpuSimulate(device, job(LAB_FI.steps));
const labCpu = fiCurve({ amplitudes: linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps), ...LAB_FI, method });
const labEqual = labCpu.spike_counts.filter((c, i) => c === lab.spike_count[i]).length;
console.log(`lab sweep (51 amplitudes): ${labEqual}/51 counts equal to the CPU's f64 (${lab.gpu_ms.toFixed(1)} ms)`);

// (2) throughput at each N
const rows = [];
for (const n of sizes) {
  const input = job(n);
  let whole = Number.POSITIVE_INFINITY;
  let kernel = Number.POSITIVE_INFINITY;
  let r;
  for (let k = 0; k < repeats; k++) {
    const t = performance.now();
    r = await gpuSimulate(device, input);
    whole = Math.min(whole, performance.now() - t);
    kernel = Math.min(kernel, r.kernel_ms);
  }
  rows.push({ backend: "gpu f32", n, kernel_s: kernel / 1000, whole_s: whole / 1000, dispatches: r.dispatches, slices: r.slices });
  console.log(`  N = ${n.toExponential(1)}: kernel ${(kernel / 1000).toFixed(3)} s, whole call ${(whole / 1000).toFixed(3)} s`);
}

// (3) the CPU baseline (one thread, f64) and (4) the f32-vs-f64 agreement on the same neurons
const spec = parseSweepSpec({
  model: "lab",
  method,
  dt_ms,
  duration_ms,
  start_ms,
  stop_ms,
  axes: [{ name: "amplitude", values: Array.from(linspace(0, 10, cpuN)) }],
});
const idx = Array.from({ length: cpuN }, (_, i) => i);
const t0 = performance.now();
const cpu = runBatch(spec, idx);
const cpuS = (performance.now() - t0) / 1000;
rows.push({ backend: "cpu f64 (1 thread)", n: cpuN, kernel_s: cpuS, whole_s: cpuS, dispatches: 0, slices: 0 });
const sample = await gpuSimulate(device, job(cpuN));
let differ = 0;
let maxDiff = 0;
for (let i = 0; i < cpuN; i++) {
  const d = Math.abs(sample.spike_count[i] - cpu.spike_count[i]);
  if (d) differ++;
  maxDiff = Math.max(maxDiff, d);
}

const rate = (r, s) => (r.n * steps) / s;
console.log("\n| backend | neurons | kernel (s) | neuron-steps/s (kernel) | whole call (s) | neuron-steps/s (whole call) | dispatches |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  const cells = [r.kernel_s.toFixed(3), rate(r, r.kernel_s).toExponential(2), r.whole_s.toFixed(3), rate(r, r.whole_s).toExponential(2)];
  console.log(`| ${r.backend} | ${r.n.toLocaleString("en")} | ${cells.join(" | ")} | ${r.dispatches || ""} |`);
}
const gpuRows = rows.filter((r) => r.backend.startsWith("gpu"));
const cpuRate = rate(rows.at(-1), rows.at(-1).whole_s);
const best = Math.max(...gpuRows.map((r) => rate(r, r.kernel_s)));
const bestLarge = Math.max(0, ...gpuRows.filter((r) => r.n >= 4e6).map((r) => rate(r, r.kernel_s)));
console.log(
  `\nbest GPU (kernel): ${best.toExponential(2)} neuron-steps/s = ${(best / cpuRate).toFixed(0)} × the CPU engine's single thread`,
);
console.log(
  `target (issue 8, hand-written probe on an H100): 2.6e11 neuron-steps/s at ≥ 4 million neurons: ${bestLarge ? `${bestLarge.toExponential(2)}, ${bestLarge >= 2.6e11 ? "reached" : "not reached"}` : "no run with N ≥ 4e6"}`,
);
console.log(
  `f32 vs f64 counts on ${cpuN} amplitudes: ${differ} differ (${((100 * differ) / cpuN).toFixed(2)} %), largest difference ${maxDiff}`,
);
if (args.includes("--json")) {
  console.log(
    JSON.stringify({
      adapter: gpu.adapter,
      method,
      steps,
      lab_equal: labEqual,
      rows,
      f32_vs_f64: { n: cpuN, differ, max_difference: maxDiff },
    }),
  );
}
device.destroy();
