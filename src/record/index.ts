export * from "./budget.js";
export * from "./spikes.js";
export * from "./traces.js";
