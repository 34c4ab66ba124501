/**
 * Rich display of spikelab's results in Jupyter notebooks (Deno's kernel, or any that follows
 * `Symbol.for("Jupyter.display")`): `import { runView, fiView, … } from "spikelab/display"`, then make a view
 * the last expression of a cell. Each view shows a figure (SVG), a compact HTML summary with units and a
 * plain-text fallback. No dependency on Deno: the hook is a symbol-keyed method, and views work anywhere
 * (their `svg`, `html` and `text` are strings).
 */
export * from "./analysis.js";
export type { ViewOptions } from "./document.js";
export { figureDocument } from "./document.js";
export * from "./fi.js";
export * from "./model.js";
export * from "./protocol.js";
export * from "./run.js";
export * from "./sweep.js";
export * from "./table.js";
export * from "./trace.js";
