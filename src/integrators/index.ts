export * from "./backwardEuler.js";
export * from "./euler.js";
export * from "./expEuler.js";
export * from "./integrate.js";
export * from "./registry.js";
export * from "./rk4.js";
export * from "./rk45.js";
export * from "./types.js";
