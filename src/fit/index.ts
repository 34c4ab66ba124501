export * from "./cmaes.js";
export * from "./evaluate.js";
export * from "./fit.js";
export * from "./noise.js";
export * from "./objective.js";
export * from "./problem.js";
export * from "./random.js";
export * from "./synthetic.js";
