import { invalid } from "../errors.js";
import type { FiOptions, FiResult } from "../experiments/fi.js";
import type { BatchResult } from "../sweep/batch.js";
import { atSweepPoint } from "../sweep/diverged.js";
import { type Axis, gridPoint, gridSize } from "../sweep/grid.js";
import { type Shard, shardPoints } from "../sweep/shard.js";
import { parseSweepSpec, type SweepSpecInput, type SweepSpecResolved } from "../sweep/spec.js";
import { gpuSimulate } from "./run.js";
import { GPU_METHODS } from "./wgsl.js";

/** A sweep batch computed on the GPU: the CPU's BatchResult columns, marked f32. */
export interface GpuBatchResult extends BatchResult {
  readonly precision: "f32";
}

/** Neurons per GPU batch of a streamed sweep (a batch is one GPU job; its results are appended when it finishes). */
export const GPU_BATCH_POINTS = 1 << 20;

/** Checks that a sweep can run on the GPU backend (method euler or exp-euler). */
export function checkGpuSweep(spec: SweepSpecResolved): void {
  if (!(GPU_METHODS as readonly string[]).includes(spec.method)) {
    throw invalid("--method with --backend gpu", spec.method, `one of ${GPU_METHODS.join(", ")} (other methods run on the CPU)`);
  }
}

/** The GPU job of the grid points `indices` of a sweep: axis values as per-neuron columns. */
function batchJob(spec: SweepSpecResolved, indices: ArrayLike<number>) {
  const n = indices.length;
  const axes = spec.axes as Axis[];
  const columns = axes.map(() => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    const point = gridPoint(axes, indices[r] as number);
    for (let a = 0; a < axes.length; a++) (columns[a] as Float64Array)[r] = point[a] as number;
  }
  const parameters: Record<string, number | Float64Array> = { ...spec.parameters };
  let amplitude: number | Float64Array = spec.amplitude_uA_per_cm2;
  axes.forEach((axis, a) => {
    if (axis.name === "amplitude") amplitude = columns[a] as Float64Array;
    else parameters[axis.name] = columns[a] as Float64Array;
  });
  return {
    model: spec.model,
    method: spec.method,
    dt_ms: spec.dt_ms,
    duration_ms: spec.duration_ms,
    n,
    parameters,
    stimulus: { amplitude_uA_per_cm2: amplitude, start_ms: spec.start_ms, stop_ms: spec.stop_ms },
    spike_threshold_mV: spec.spike_threshold_mV,
  };
}

/**
 * The GPU twin of `runBatch` (src/sweep/batch.ts): the grid points `indices` as one GPU job, with
 * the same columns and definitions (count over the run, rate and latency in [start, stop)), in f32.
 */
export async function gpuRunBatch(device: GPUDevice, input: SweepSpecInput, indices: ArrayLike<number>): Promise<GpuBatchResult> {
  const spec = parseSweepSpec(input);
  checkGpuSweep(spec);
  const r = await gpuSimulate(device, batchJob(spec, indices)).catch((e: unknown) => {
    throw atSweepPoint(e, spec.axes as Axis[], indices);
  });
  return {
    precision: "f32",
    index: Int32Array.from(indices),
    spike_count: Float64Array.from(r.spike_count),
    rate_Hz: r.rate_Hz,
    first_spike_latency_ms: Float64Array.from(r.first_spike_latency_ms, shortestF32),
  };
}

/** The shortest decimal that reads back as the same f32 (3.9302938, not 3.9302937984466553): no false digits in tables. */
export function shortestF32(x: number): number {
  if (!Number.isFinite(x)) return x;
  for (let p = 6; p < 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return Number(x.toPrecision(9));
}

/**
 * Runs the points of a sweep (all, or a shard's, minus those `done`) on the GPU in batches of up
 * to GPU_BATCH_POINTS, handing each finished batch to `onBatch`, as `runSweepBatches` does on the CPU.
 */
export async function runGpuSweepBatches(
  device: GPUDevice,
  input: SweepSpecInput,
  options: { done?: ReadonlySet<number>; shard?: Shard; onBatch?: (b: GpuBatchResult) => void; batchPoints?: number } = {},
): Promise<void> {
  const spec = parseSweepSpec(input);
  checkGpuSweep(spec);
  const points = shardPoints(gridSize(spec.axes), options.shard ?? { index: 0, count: 1 }).filter((p) => !options.done?.has(p));
  const size = options.batchPoints ?? GPU_BATCH_POINTS;
  for (let from = 0; from < points.length; from += size) {
    const b = await gpuRunBatch(device, spec, points.slice(from, from + size));
    options.onBatch?.(b);
  }
}

/** A whole sweep on the GPU, in grid order, as compact f32 columns (for a parameter map in the browser). */
export interface GpuSweepResult {
  readonly precision: "f32";
  readonly rows: number;
  readonly spike_count: Float32Array;
  readonly rate_Hz: Float32Array;
  /** NaN: no spike in the window. */
  readonly first_spike_latency_ms: Float32Array;
  readonly gpu_ms: number;
}

/** Runs every point of a sweep spec on the GPU: `gpuSweep(device, spec).rate_Hz[i]` is the rate at grid point i. */
export async function gpuSweep(device: GPUDevice, input: SweepSpecInput): Promise<GpuSweepResult> {
  const spec = parseSweepSpec(input);
  checkGpuSweep(spec);
  const rows = gridSize(spec.axes);
  const r = await gpuSimulate(
    device,
    batchJob(
      spec,
      Array.from({ length: rows }, (_, i) => i),
    ),
  );
  return {
    precision: "f32",
    rows,
    spike_count: Float32Array.from(r.spike_count),
    rate_Hz: Float32Array.from(r.rate_Hz),
    first_spike_latency_ms: r.first_spike_latency_ms,
    gpu_ms: r.gpu_ms,
  };
}

/** The f–I curve of `fiCurve` (src/experiments/fi.ts) on the GPU, in f32 and marked so. */
export async function gpuFiCurve(device: GPUDevice, o: FiOptions): Promise<FiResult> {
  const amplitudes = Array.from(o.amplitudes);
  if (amplitudes.length === 0) throw invalid("amplitudes", "an empty list", "at least one amplitude (µA/cm²)");
  const method = o.method ?? "euler";
  if (!(GPU_METHODS as readonly string[]).includes(method)) {
    throw invalid("--method with --backend gpu", method, `one of ${GPU_METHODS.join(", ")} (other methods run on the CPU)`);
  }
  const r = await gpuSimulate(device, {
    model: o.model ?? "lab",
    method,
    dt_ms: o.dt_ms,
    duration_ms: o.duration_ms,
    parameters: o.parameters ?? {},
    stimulus: { amplitude_uA_per_cm2: amplitudes, start_ms: o.start_ms, stop_ms: o.stop_ms },
    spike_threshold_mV: o.spike_threshold_mV ?? 0,
  });
  return { precision: "f32", amplitudes_uA_per_cm2: amplitudes, spike_counts: Array.from(r.spike_count), rates_Hz: Array.from(r.rate_Hz) };
}
