/**
 * The WebGPU backend (browser-safe: no node: imports here; Node's device comes from ./node.ts).
 * Batched fixed-step runs in f32 with WGSL generated from the declarative model.
 */
export * from "./job.js";
export * from "./run.js";
export * from "./sweep.js";
export * from "./wgsl.js";
