import { DivergenceError, SpikelabError } from "../errors.js";
import { BOUNDS } from "../program/bounds.js";
import { windowRate_Hz } from "../record/window.js";
import type { Ms } from "../units.js";
import { columnsBuffer, constsBuffer, type GpuJob, type PackedJob, packJob } from "./job.js";
import { generateKernel, type KernelLayout } from "./wgsl.js";

// WebGPU constants by value (the same in browsers and in Node's `webgpu` package, without its globals)
const MAP_READ = 0x0001;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const UNIFORM = 0x0040;
const STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

/** Spike statistics of a GPU run, one entry per neuron. Computed in f32: `precision` says so. */
export interface GpuRunResult {
  readonly precision: "f32";
  readonly backend: "webgpu";
  readonly model: string;
  readonly method: string;
  readonly n: number;
  readonly steps: number;
  /** Upward threshold crossings over the whole run (the lab's count). */
  readonly spike_count: Uint32Array;
  /** Crossings whose time lies in the stimulus window [start, stop). */
  readonly window_spike_count: Uint32Array;
  /** window_spike_count per second of window (0 for an empty window), computed in f64 from the count. */
  readonly rate_Hz: Float64Array;
  /** First crossing in the window − start (ms); NaN when there is none. */
  readonly first_spike_latency_ms: Float32Array;
  /** Compute dispatches and passes over the neurons (slices) it took. */
  readonly dispatches: number;
  readonly slices: number;
  /** Wall time from the first upload to the last read-back (ms), pipeline creation excluded. */
  readonly gpu_ms: Ms;
  /** Wall time of the compute dispatches alone, from the first submit to the queue's completion, summed over slices (ms). */
  readonly kernel_ms: Ms;
}

const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** The compute pipeline of a kernel, compiled once per device (WGSL errors become one clear error). */
export function kernelPipeline(device: GPUDevice, layout: KernelLayout): Promise<GPUComputePipeline> {
  let cache = pipelines.get(device);
  if (!cache) {
    cache = new Map();
    pipelines.set(device, cache);
  }
  let p = cache.get(layout.code);
  if (!p) {
    p = (async () => {
      const module = device.createShaderModule({ code: layout.code, label: "spikelab kernel" });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === "error");
      if (errors.length) {
        const m = errors[0] as GPUCompilationMessage;
        throw new SpikelabError(`the generated WGSL kernel does not compile: ${m.message} (line ${m.lineNum}); this is a spikelab bug`);
      }
      return device.createComputePipelineAsync({ layout: "auto", compute: { module, entryPoint: "main" }, label: "spikelab kernel" });
    })();
    cache.set(layout.code, p);
    p.catch(() => cache.delete(layout.code));
  }
  return p;
}

/** How many neurons fit one pass over the buffers, given the device's limits. */
function sliceSize(device: GPUDevice, job: PackedJob, layout: KernelLayout): number {
  const words = Math.max(layout.columns.length, layout.stateNames.length, layout.statNames.length, 1);
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const fit = Math.floor(limit / (4 * words));
  const perDim = device.limits.maxComputeWorkgroupsPerDimension;
  const grid = perDim * perDim * layout.workgroupSize;
  return Math.max(1, Math.min(job.n, fit, job.maxNeuronsPerSlice, grid));
}

/**
 * Runs a batched fixed-step simulation on a WebGPU device: one invocation per neuron, the time
 * loop inside the kernel (cut into dispatches timed to take about `dispatchTarget_ms` each, so
 * that none runs long enough to trip a device watchdog), spikes counted on the GPU.
 * Browser-safe: pass `navigator.gpu`'s device, or one from `requestNodeGpu()` in Node.
 * The result is f32 arithmetic and says so (`precision: "f32"`).
 */
export async function gpuSimulate(device: GPUDevice, input: GpuJob): Promise<GpuRunResult> {
  const job = packJob(input);
  const layout = generateKernel({
    model: job.model,
    method: job.method,
    perNeuron: job.perNeuron,
    constants: job.constants,
    shifted: job.shifted,
  });
  const pipeline = await kernelPipeline(device, layout);
  const { n, steps } = job;
  const m = sliceSize(device, job, layout);
  const words = { cols: Math.max(1, layout.columns.length * m), state: layout.stateNames.length * m, stats: 4 * m };
  const started = performance.now();

  const consts = constsBuffer(job, layout.consts);
  const buffers: GPUBuffer[] = [];
  const make = (size: number, usage: number, label: string) => {
    const b = device.createBuffer({ size, usage, label });
    buffers.push(b);
    return b;
  };
  const ctl = make(16, UNIFORM | COPY_DST, "ctl");
  const constsBuf = make(consts.byteLength, STORAGE | COPY_DST, "consts");
  const colsBuf = make(4 * words.cols, STORAGE | COPY_DST, "cols");
  const stateBuf = make(4 * words.state, STORAGE | COPY_SRC | COPY_DST, "state");
  const statsBuf = make(4 * words.stats, STORAGE | COPY_SRC | COPY_DST, "stats");
  const readBuf = make(4 * words.stats, MAP_READ | COPY_DST, "read");
  device.queue.writeBuffer(constsBuf, 0, consts);
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [ctl, constsBuf, colsBuf, stateBuf, statsBuf].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });

  const spike_count = new Uint32Array(n);
  const window_spike_count = new Uint32Array(n);
  const first_spike_latency_ms = new Float32Array(n);
  let diverged: { step: number; error: DivergenceError } | undefined; // the earliest, as the CPU reports it
  let dispatches = 0;
  let kernel_ms = 0;
  let slices = 0;
  // dispatch sizes: start small, time the first dispatches, then aim at dispatchTarget_ms each
  const maxSteps = Math.max(1, Math.floor(job.maxNeuronStepsPerDispatch / m));
  let stepsPerDispatch = Math.min(maxSteps, Math.max(1, Math.floor(2e6 / m)));
  let calibrating = true;
  const ctlData = new Uint32Array(4);
  try {
    for (let from = 0; from < n; from += m) {
      const size = Math.min(m, n - from);
      slices++;
      if (layout.columns.length) device.queue.writeBuffer(colsBuf, 0, columnsBuffer(job, layout.columns, from, size));
      const groups = Math.ceil(size / layout.workgroupSize);
      const gx = Math.min(groups, device.limits.maxComputeWorkgroupsPerDimension);
      const gy = Math.ceil(groups / gx);
      if (slices === 1) {
        // WebGPU zero-fills a buffer at its first use: clear them here, and let the uploads land, before
        // the timed dispatches, so that the first dispatch's time (which sizes the rest) is the kernel's
        // own: on an H200, 16 million neurons' first 1-step dispatch took > 20 ms with the fill, which
        // stopped the calibration at 9 steps per dispatch (890 dispatches instead of about 7)
        const encoder = device.createCommandEncoder();
        encoder.clearBuffer(stateBuf);
        encoder.clearBuffer(statsBuf);
        device.queue.submit([encoder.finish()]);
      }
      await device.queue.onSubmittedWorkDone();
      const kernelStart = performance.now();
      for (let k0 = 0, k1 = 0; k0 < steps; k0 = k1) {
        k1 = Math.min(steps, k0 + stepsPerDispatch);
        ctlData.set([size, k0, k1, gx * layout.workgroupSize]);
        device.queue.writeBuffer(ctl, 0, ctlData);
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(gx, gy);
        pass.end();
        const t0 = performance.now();
        device.queue.submit([encoder.finish()]);
        dispatches++;
        if (calibrating) {
          await device.queue.onSubmittedWorkDone();
          const ms = performance.now() - t0;
          const scaled = Math.floor((stepsPerDispatch * job.dispatchTarget_ms) / Math.max(ms, 1e-3));
          const next = Math.min(maxSteps, stepsPerDispatch * 16, Math.max(1, Math.ceil(stepsPerDispatch / 16), scaled));
          calibrating = ms < job.dispatchTarget_ms / 10 && next > stepsPerDispatch;
          stepsPerDispatch = next;
        }
      }
      await device.queue.onSubmittedWorkDone();
      kernel_ms += performance.now() - kernelStart;
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(statsBuf, 0, readBuf, 0, 16 * size);
      device.queue.submit([encoder.finish()]);
      await readBuf.mapAsync(MAP_MODE_READ, 0, 16 * size);
      const stats = new Uint32Array(readBuf.getMappedRange(0, 16 * size));
      const latencies = new Float32Array(stats.buffer, stats.byteOffset, stats.length);
      const first = { step: 0xffffffff, local: -1 };
      for (let i = 0; i < size; i++) {
        spike_count[from + i] = stats[i] as number;
        const w = stats[size + i] as number;
        window_spike_count[from + i] = w;
        first_spike_latency_ms[from + i] = w > 0 ? (latencies[2 * size + i] as number) : Number.NaN;
        const d = stats[3 * size + i] as number;
        if (d < first.step) {
          first.step = d;
          first.local = i;
        }
      }
      readBuf.unmap();
      if (first.local >= 0 && (!diverged || first.step < diverged.step)) {
        const error = await divergenceOf(device, job, stateBuf, layout, from + first.local, first.local, size, first.step);
        diverged = { step: first.step, error };
      }
    }
    if (diverged) throw diverged.error;
  } finally {
    for (const b of buffers) b.destroy();
  }
  const gpu_ms = performance.now() - started;

  const rate_Hz = new Float64Array(n);
  const w = job.window_ms;
  for (let i = 0; i < n; i++) rate_Hz[i] = windowRate_Hz(window_spike_count[i] as number, typeof w === "number" ? w : (w[i] as number));
  return {
    precision: "f32",
    backend: "webgpu",
    model: job.model.name,
    method: job.method,
    n,
    steps,
    spike_count,
    window_spike_count,
    rate_Hz,
    first_spike_latency_ms,
    dispatches,
    slices,
    gpu_ms,
    kernel_ms,
  };
}

/** The DivergenceError of a neuron that left the physical range on the GPU, as the CPU words it. */
async function divergenceOf(
  device: GPUDevice,
  job: PackedJob,
  stateBuf: GPUBuffer,
  layout: KernelLayout,
  neuron: number,
  local: number,
  size: number,
  step: number,
): Promise<DivergenceError> {
  const vars = layout.stateNames.length;
  const read = device.createBuffer({ size: 4 * vars * size, usage: MAP_READ | COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(stateBuf, 0, read, 0, 4 * vars * size);
  device.queue.submit([encoder.finish()]);
  await read.mapAsync(MAP_MODE_READ);
  const state = new Float32Array(read.getMappedRange().slice(0));
  read.destroy();
  let variable = "V";
  let value = state[local] as number;
  for (let g = 1; g < vars; g++) {
    const x = state[g * size + local] as number;
    if (!(x > BOUNDS.gateAbove && x < BOUNDS.gateBelow)) {
      variable = layout.stateNames[g] as string;
      value = x;
    }
  }
  if (!(Math.abs(state[local] as number) < BOUNDS.vAbsBelow)) {
    variable = "V";
    value = state[local] as number;
  }
  const t = step * job.dt_ms;
  return new DivergenceError(
    `simulation diverged at t = ${+t.toPrecision(12)} ms in neuron ${neuron}: ${variable} = ${value} (GPU, f32; method ${job.method}, dt ${job.dt_ms} ms); use a smaller dt (e.g. ${job.dt_ms / 4} ms) or exp-euler`,
    { t_ms: t, neuron, variable, value, method: job.method, dt_ms: job.dt_ms },
  );
}
