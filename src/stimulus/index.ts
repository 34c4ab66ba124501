export * from "./pulses.js";
export * from "./step.js";
export type * from "./types.js";
