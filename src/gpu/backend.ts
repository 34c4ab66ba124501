/**
 * The one backend chooser of the CLI and the web app: CPU (f64) or GPU (WebGPU, f32) for a batched job.
 * Browser-safe and free of WebGPU itself: the caller passes how to get a device (Dawn in Node, navigator.gpu
 * in the page), which is asked only when the job would run on the GPU.
 */
import { invalid } from "../errors.js";
import { GPU_METHODS } from "./methods.js";

/** What a user asks for: the CPU, the GPU, or the GPU when there is one (and the job is big enough). */
export type BackendRequest = "cpu" | "gpu" | "auto";

/** A WebGPU device and its adapter in words, or why there is none. */
export type GpuProbe<D> = { readonly device: D; readonly adapter: string } | { readonly reason: string };

/** The backend chosen: the GPU with its device, or the CPU and why ("chosen" when asked for). */
export type BackendChoice<D> =
  | { readonly kind: "gpu"; readonly device: D; readonly adapter: string }
  | { readonly kind: "cpu"; readonly reason: string };

/** Options of `chooseBackend`. */
export interface ChooseBackendOptions {
  /** With "auto", jobs of fewer neuron-steps stay on the CPU (default 0: any job goes to the GPU). */
  readonly autoMinNeuronSteps?: number;
  /**
   * "gpu" asked for a method the GPU does not run: an error naming `methodArgument` (the default), or
   * the CPU with the reason (a page that must show a result whatever the choice).
   */
  readonly unsupportedMethod?: "error" | "cpu";
  /** The argument the error names (default "method"), e.g. "--method with --backend gpu". */
  readonly methodArgument?: string;
  /** What else the error allows (default "or the CPU backend"), e.g. "or --backend cpu". */
  readonly otherwise?: string;
}

/** The GPU's methods in words: "euler, exp-euler, backward-euler and rk4". */
export function gpuMethodsText(): string {
  const m = [...GPU_METHODS];
  return m.length > 1 ? `${m.slice(0, -1).join(", ")} and ${m[m.length - 1]}` : (m[0] ?? "");
}

/** Does the GPU backend run this integration method? */
export const runsOnGpu = (method: string): boolean => (GPU_METHODS as readonly string[]).includes(method);

/**
 * Chooses the backend of a job. "cpu" is the CPU; "gpu" asked for a method the GPU does not run is an
 * error naming the method (or the CPU, see `unsupportedMethod`); otherwise the device is probed, and a missing one is the CPU with the
 * probe's reason (never a crash). "auto" falls back to the CPU, with the reason, for a method the GPU
 * does not run or a job below `autoMinNeuronSteps`.
 */
export async function chooseBackend<D>(
  request: BackendRequest,
  job: { readonly method: string; readonly neuronSteps: number },
  probe: () => Promise<GpuProbe<D>>,
  options: ChooseBackendOptions = {},
): Promise<BackendChoice<D>> {
  if (request === "cpu") return { kind: "cpu", reason: "chosen" };
  if (!runsOnGpu(job.method)) {
    if (request === "gpu" && options.unsupportedMethod !== "cpu") {
      const otherwise = options.otherwise ?? "or the CPU backend";
      throw invalid(options.methodArgument ?? "method", job.method, `one of ${GPU_METHODS.join(", ")} (${otherwise})`);
    }
    return { kind: "cpu", reason: `the GPU runs ${gpuMethodsText()}; the method ${job.method} runs on the CPU` };
  }
  const min = options.autoMinNeuronSteps ?? 0;
  if (request === "auto" && job.neuronSteps < min) {
    return {
      kind: "cpu",
      reason: `the job (${job.neuronSteps.toExponential(2)} neuron-steps) is below ${min.toExponential()} neuron-steps`,
    };
  }
  const g = await probe();
  return "device" in g ? { kind: "gpu", device: g.device, adapter: g.adapter } : { kind: "cpu", reason: g.reason };
}
