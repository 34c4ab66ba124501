import type { WasmKernel } from "./kernel.js";

/**
 * Kernels generated ahead of time, looked up by the key the runner caches them under (model
 * source, rate-factor layout, variant). The CLI and the sweep's workers use the kernels of the
 * built-in models that `npm run build` writes (io: wasm/fileStore.ts): generating one costs a cold
 * process ≈ 10 ms, reading it back well under 1 ms. A kernel not found is generated as usual.
 */
export interface KernelStore {
  get(key: string): WasmKernel | undefined;
}

let current: KernelStore | undefined;

/** Sets (or, with undefined, clears) the store the runner consults before generating a kernel. */
export function useKernelStore(store: KernelStore | undefined): void {
  current = store;
}

/** The kernel stored under `key`, if a store is set and has it. */
export const storedKernel = (key: string): WasmKernel | undefined => current?.get(key);

/** A file name for a key: FNV-1a, 64 bits (two 32-bit halves), in hex. The file also holds the key. */
export function kernelFileName(key: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h1 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
