export * from "./step.js";
export type * from "./types.js";
