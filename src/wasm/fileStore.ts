import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { WasmKernel } from "./kernel.js";
import { type KernelStore, kernelFileName } from "./store.js";

/**
 * A kernel store in a folder (Node): for each kernel `<name>.wasm` and `<name>.json` ({ key, arrays }),
 * named by kernelFileName(key). A file whose key is not the one asked for (a name collision, or a
 * kernel of another build) is not used.
 */
export function fileKernelStore(dir: URL): KernelStore {
  return {
    get(key) {
      const name = kernelFileName(key);
      try {
        const meta = JSON.parse(readFileSync(new URL(`${name}.json`, dir), "utf8")) as { key: string; arrays: string[] };
        if (meta.key !== key) return undefined;
        const bytes = new Uint8Array(readFileSync(new URL(`${name}.wasm`, dir)));
        return { bytes, arrays: meta.arrays };
      } catch {
        return undefined; // not there (or unreadable): generate it
      }
    },
  };
}

/** Writes kernels into `dir` as fileKernelStore reads them, replacing what was there. */
export function writeKernelStore(dir: URL, kernels: ReadonlyMap<string, WasmKernel>): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (/\.(wasm|json)$/.test(f)) rmSync(new URL(f, dir));
  for (const [key, kernel] of kernels) {
    const name = kernelFileName(key);
    writeFileSync(new URL(`${name}.wasm`, dir), kernel.bytes);
    writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify({ key, arrays: kernel.arrays })}\n`);
  }
}
