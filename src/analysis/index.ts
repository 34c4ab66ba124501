export * from "./efel/index.js";
export * from "./features.js";
export * from "./spikes.js";
export * from "./trace.js";
