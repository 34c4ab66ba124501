/**
 * The page's WebGPU device, requested once (again after the device is lost), or why there is none, in words:
 * the browser's probe for the library's backend chooser (`chooseBackend`).
 */
import type { GpuProbe } from "./lib.js";

let gpu: Promise<GpuProbe<GPUDevice>> | null = null;

/** The page's WebGPU device (requested once), or why there is none, in words. */
export function webGpu(): Promise<GpuProbe<GPUDevice>> {
  gpu ??= (async (): Promise<GpuProbe<GPUDevice>> => {
    const nav = navigator as Navigator & { gpu?: GPU };
    if (!nav.gpu) return { reason: "this browser has no WebGPU (navigator.gpu is missing)" };
    try {
      const adapter = await nav.gpu.requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) return { reason: "WebGPU found no adapter in this browser" };
      const device = await adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
        },
      });
      void device.lost.then(() => {
        gpu = null;
      });
      const info = adapter.info;
      const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";
      return { device, adapter: name };
    } catch (e) {
      return { reason: `WebGPU could not start: ${(e as Error).message}` };
    }
  })();
  return gpu;
}
