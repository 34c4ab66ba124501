/**
 * Figures for the CLI: drawn with Observable Plot into a linkedom document, written as SVG and PNG.
 * Loaded only by commands that draw (the plotting stack is the heaviest part of start-up).
 */
import { actionPotentials } from "../analysis/features.js";
import type { FiResult } from "../experiments/fi.js";
import type { RefractoryResult } from "../experiments/refractory.js";
import { rheobase } from "../experiments/rheobase.js";
import { writeFileAtomic } from "../io/files.js";
import { fiFigure } from "../plot/fiFigure.js";
import { labFigure } from "../plot/labFigure.js";
import { svgDocument, svgToPng } from "../plot/node.js";
import type { SimulationResult } from "../simulate.js";
import { modelName, type RunFlags } from "./common.js";
import { type FiOverlay, overlaidSeries } from "./fiOverlay.js";
import { injectedOf, labFigureData, runTitle } from "./measure.js";
import { wrote } from "./output.js";

/** Writes a figure to the --svg and/or --png files a command was given. */
export function writeFigureFiles(o: { svg?: string; png?: string }, draw: (doc: Document) => string): void {
  if (!o.svg && !o.png) return;
  const svg = draw(svgDocument());
  if (o.svg) {
    writeFileAtomic(o.svg, svg);
    wrote(o.svg);
  }
  if (o.png) {
    writeFileAtomic(o.png, svgToPng(svg));
    wrote(o.png);
  }
}

/** Draws lab figure 1 for a run (with whatever refractory result is at hand). */
export const drawRun = (run: SimulationResult, onset: number, r: RefractoryResult | null) => (doc: Document) =>
  labFigure(
    doc,
    labFigureData(
      run,
      actionPotentials(run.t_ms, run.traces.V?.[0] as Float64Array, {
        threshold_mV: run.spec.spike_threshold_mV,
        onset_dVdt_mV_per_ms: onset,
        injected: injectedOf(run),
      }),
      onset,
      r,
      runTitle(run),
    ),
  );

/**
 * The f–I figure for an f–I result and the flags it was run with (the rheobase is measured for the same
 * step), optionally with a second curve (another method, dt or tolerance) overlaid.
 */
export const drawFi =
  (o: RunFlags, f: FiResult, overlay: { overlay: FiOverlay; result: FiResult } | null = null) =>
  (doc: Document) => {
    const rb = rheobase({
      model: o.model,
      parameters: o.param,
      dt_ms: o.dtMs,
      method: o.method,
      spike_threshold_mV: o.thresholdMv,
      start_ms: o.startMs,
      stop_ms: o.stopMs,
      duration_ms: o.durationMs,
    });
    return fiFigure(doc, {
      series: overlaidSeries(
        {
          method: o.method,
          dt_ms: o.dtMs,
          ...(o.rtol === undefined ? {} : { rtol: o.rtol }),
          ...(o.atol === undefined ? {} : { atol: o.atol }),
        },
        f,
        overlay?.overlay ?? null,
        overlay?.result ?? null,
      ),
      rheobase_uA_per_cm2: rb.rheobase_uA_per_cm2,
      window_ms: [o.startMs, o.stopMs],
      title: `f–I curve: ${modelName(o.model)} model, steps on [${o.startMs}, ${o.stopMs}) ms`,
    });
  };
