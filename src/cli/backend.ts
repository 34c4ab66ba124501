import { Option } from "commander";
import { type BackendRequest, chooseBackend } from "../gpu/backend.js";
import { GPU_METHODS } from "../gpu/methods.js";

export type Backend = BackendRequest;

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
 * The GPU device a command should use, or undefined for the CPU: the library's chooser with Dawn as the
 * probe. A missing `webgpu` package, Vulkan loader or adapter is one line on stderr and the CPU path,
 * never a crash; a method the GPU does not run is an error with --backend gpu and the CPU with auto.
 */
export async function openBackend(backend: Backend, job: { method: string; neuronSteps: number }): Promise<GPUDevice | undefined> {
  let probed = false;
  const choice = await chooseBackend(
    backend,
    job,
    async () => {
      probed = true;
      const { requestNodeGpu } = await import("../gpu/node.js");
      const gpu = await requestNodeGpu();
      return gpu.device ? { device: gpu.device, adapter: gpu.adapter } : { reason: gpu.reason };
    },
    { autoMinNeuronSteps: AUTO_GPU_NEURON_STEPS, methodArgument: "--method with --backend gpu", otherwise: "or --backend cpu" },
  );
  if (choice.kind === "cpu") {
    if (probed) note(`GPU backend unavailable: ${choice.reason}; running on the CPU in f64`);
    return undefined;
  }
  note(`running on the GPU (WebGPU: ${choice.adapter}) in f32; results are marked precision f32`);
  return choice.device;
}
