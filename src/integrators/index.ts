export * from "./euler.js";
export * from "./integrate.js";
export * from "./registry.js";
export type * from "./types.js";
