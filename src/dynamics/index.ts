/** Dynamics: equilibria, their continuation with folds and Hopf points, periodic orbits and their folds. */
export * from "./cycles.js";
export * from "./diagram.js";
export * from "./equilibria.js";
export * from "./equilibriumBranch.js";
export * from "./field.js";
export * from "./lyapunov.js";
export * from "./orbit.js";
export * from "./phasePlane.js";
