/**
 * What the "analyze a recording" panel takes from the library: loaded with the first file, so the readers,
 * the analysis and the figure (Observable Plot) stay out of the page's first bundle.
 */
export { analyzeSweep, fiOfSweeps, type SweepAnalysis } from "../../src/analysis/sweep.js";
export { SpikelabError } from "../../src/errors.js";
export { readAbf, sniffFormat } from "../../src/io/recordings/read.js";
export { parseTextRecording } from "../../src/io/recordings/text.js";
export { bytesSource, type Recording } from "../../src/io/recordings/types.js";
export { traceFigure, traceFigureInput } from "../../src/plot/traceFigure.js";
