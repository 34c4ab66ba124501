/**
 * The test page's module: the browser-safe GPU API on `window.spikelab`, plus a device getter.
 * Bundled by test/helpers/chromium.ts (esbuild) and loaded into headless Chromium.
 */
import * as gpu from "../../src/gpu/index.js";

let device: Promise<GPUDevice> | undefined;
const getDevice = (): Promise<GPUDevice> =>
  (device ??= (async () => {
    const adapter = await navigator.gpu?.requestAdapter();
    if (!adapter) throw new Error("no WebGPU adapter in this browser");
    return adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
  })());

const adapterInfo = async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  return adapter ? `${adapter.info.vendor} ${adapter.info.architecture}`.trim() : "none";
};

Object.assign(globalThis, { spikelab: { ...gpu, getDevice, adapterInfo } });
