import { setFlagsFromString } from "node:v8";

/**
 * Node 20 (V8 11.3) has WebAssembly relaxed SIMD behind a flag; V8 ≥ 11.4 ships it (and may not know
 * the flag). Set it before any kernel is compiled, so that the fast-math kernel can use fused
 * multiply–adds (fma.ts). V8's flags are per process: worker threads started later see it too.
 */
export function enableRelaxedSimd(): void {
  const [major = 0, minor = 0] = process.versions.v8.split(".").map(Number);
  if (major < 11 || (major === 11 && minor < 4)) setFlagsFromString("--experimental-wasm-relaxed-simd");
}
