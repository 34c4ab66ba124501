import { Option } from "commander";
import { invalid } from "../errors.js";
import { GPU_METHODS } from "../gpu/methods.js";

export type Backend = "cpu" | "gpu" | "auto";

/** With --backend auto, jobs of at least this many neuron-steps go to the GPU when there is one. */
export const AUTO_GPU_NEURON_STEPS = 1e8;

export const backendOption = () =>
  new Option(
    "--backend <name>",
    `cpu (f64), gpu (WebGPU, f32; methods ${GPU_METHODS.join(", ")}) or auto (the GPU when one exists and the job has ≥ ${AUTO_GPU_NEURON_STEPS.toExponential()} neuron-steps)`,
  )
    .choices(["cpu", "gpu", "auto"])
    .default("cpu");

const note = (line: string) => process.stderr.write(`spikelab: ${line}\n`);

/**
 * The GPU device a command should use, or undefined for the CPU. A missing `webgpu` package,
 * Vulkan loader or adapter is one line on stderr and the CPU path, never a crash; a method the
 * GPU does not run is an error with --backend gpu and the CPU with auto.
 */
export async function openBackend(backend: Backend, job: { method: string; neuronSteps: number }): Promise<GPUDevice | undefined> {
  if (backend === "cpu") return undefined;
  const runsOnGpu = (GPU_METHODS as readonly string[]).includes(job.method);
  if (backend === "gpu" && !runsOnGpu) {
    throw invalid("--method with --backend gpu", job.method, `one of ${GPU_METHODS.join(", ")} (or --backend cpu)`);
  }
  if (backend === "auto" && (!runsOnGpu || job.neuronSteps < AUTO_GPU_NEURON_STEPS)) return undefined;
  const { requestNodeGpu } = await import("../gpu/node.js");
  const gpu = await requestNodeGpu();
  if (!gpu.device) {
    note(`GPU backend unavailable: ${gpu.reason}; running on the CPU in f64`);
    return undefined;
  }
  note(`running on the GPU (WebGPU: ${gpu.adapter}) in f32; results are marked precision f32`);
  return gpu.device;
}
