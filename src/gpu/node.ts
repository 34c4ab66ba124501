/**
 * WebGPU in Node through the optional `webgpu` package (Dawn). Node-only: the browser gets its
 * device from `navigator.gpu`. Never throws for a missing GPU: it says why there is none.
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export type NodeGpu =
  | { readonly device: GPUDevice; readonly adapter: string; readonly reason?: undefined }
  | { readonly device?: undefined; readonly adapter?: undefined; readonly reason: string };

/** Where Linux's dynamic loader looks for the Vulkan loader, which Dawn opens at run time. */
function hasVulkanLoader(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? "").split(delimiter).filter(Boolean),
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/lib64",
    "/lib",
    "/usr/local/lib",
  ];
  return dirs.some((d) => existsSync(join(d, "libvulkan.so.1")));
}

let gpu: GPU | undefined; // kept alive while its devices are in use

/**
 * A WebGPU device in Node, or the reason there is none, in one line: the `webgpu` package is
 * not installed, there is no Vulkan loader (Linux), or Dawn finds no adapter. Requests the
 * adapter's largest buffer limits (a sweep of millions of neurons needs more than the defaults).
 */
export async function requestNodeGpu(): Promise<NodeGpu> {
  if (process.platform === "linux" && !hasVulkanLoader()) {
    return {
      reason: "no Vulkan loader libvulkan.so.1, which Dawn needs; Debian: apt-get install libvulkan1 and the GPU's Vulkan driver",
    };
  }
  let webgpu: { create(options: string[]): GPU };
  try {
    const specifier = "webgpu"; // a variable: neither tsc nor a bundler needs the optional package
    webgpu = (await import(specifier)) as typeof webgpu;
  } catch {
    return { reason: "the optional package `webgpu` (Dawn) is not installed (npm install webgpu)" };
  }
  try {
    gpu ??= webgpu.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) return { reason: "Dawn found no WebGPU adapter (no usable GPU driver)" };
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension,
      },
    });
    const info = adapter.info;
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";
    return { device, adapter: name };
  } catch (e) {
    return { reason: `WebGPU could not start: ${String((e as Error).message ?? e).split("\n")[0]}` };
  }
}
