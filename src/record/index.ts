export * from "./spikes.js";
export * from "./traces.js";
