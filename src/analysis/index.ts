export * from "./efel/index.js";
export * from "./features.js";
export * from "./firing.js";
export * from "./spikes.js";
export * from "./sweep.js";
export * from "./trace.js";
