export * from "./features.js";
export * from "./interpolate.js";
export * from "./settings.js";
