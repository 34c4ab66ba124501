export * from "./batch.js";
export * from "./grid.js";
export * from "./size.js";
export * from "./spec.js";
