/** Figures as SVG strings, browser-safe: every function takes the DOM `document` to build in. Node-only PNG rendering is in ./node.ts. */
export * from "./compose.js";
export * from "./decimate.js";
export * from "./fiFigure.js";
export * from "./format.js";
export * from "./labFigure.js";
export * from "./refractoryFigure.js";
