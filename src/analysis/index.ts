export * from "./features.js";
export * from "./spikes.js";
