export * from "./batch.js";
export * from "./chunks.js";
export * from "./grid.js";
export * from "./size.js";
export * from "./spec.js";
