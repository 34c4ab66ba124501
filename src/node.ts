/**
 * The Node-only part of spikelab (worker threads, files): `import … from "spikelab/node"`.
 * The main entry stays browser-safe.
 */

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
