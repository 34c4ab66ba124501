/**
 * The WebGPU backend (browser-safe: no node: imports here; Node's device comes from ./node.ts).
 * Batched fixed-step runs in f32 with WGSL generated from the declarative model.
 */
export {
  type BackendChoice,
  type BackendRequest,
  type ChooseBackendOptions,
  chooseBackend,
  type GpuProbe,
  gpuMethodsText,
  runsOnGpu,
} from "./backend.js";
export type { GpuJob, PerNeuron } from "./job.js";
export { type GpuRunResult, gpuSimulate } from "./run.js";
export {
  type GpuBatchResult,
  type GpuSweepResult,
  gpuFiCurve,
  gpuRunBatch,
  gpuSweep,
  runGpuSweepBatches,
} from "./sweep.js";
export { GPU_METHODS, type GpuMethod, generateKernel, type KernelLayout, rateToWgsl } from "./wgsl.js";
