/**
 * The Node-only part of spikelab (worker threads, files): `import … from "spikelab/node"`.
 * The main entry stays browser-safe. Importing it on Node 20 also switches on V8's WebAssembly relaxed
 * SIMD (which Node ≥ 22 has by default), so that fast math fuses its multiply–adds (wasm/fma.ts).
 */
import { enableRelaxedSimd } from "./wasm/nodeFlags.js";

enableRelaxedSimd();

export * from "./experiments/fiThreads.js";
export * from "./fit/checkpointFile.js";
export * from "./fit/pool.js";
export * from "./gpu/node.js";
export * from "./io/csvSink.js";
export * from "./io/files.js";
export { type ModelFileOptions, readModelFile } from "./io/modelFile.js";
export * from "./sweep/output.js";
export * from "./sweep/pool.js";
export * from "./sweep/run.js";
export type { ChunkResult, KernelLayout, KernelView, PairHelpers, PairJob } from "./wasm/pairs.js";
export { KernelThreads, useKernelThreads } from "./wasm/threads.js";
