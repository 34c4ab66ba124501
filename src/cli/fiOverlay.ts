import type { Command } from "commander";
import { curveLabel, curveLabels } from "../display/curveLabel.js";
import { invalid } from "../errors.js";
import { type FiOptions, type FiResult, fiSweepSpec } from "../experiments/fi.js";
import { LAB_FI_CONVERGED } from "../experiments/labProtocols.js";
import { methodNames } from "../integrators/registry.js";
import type { FiSeries } from "../plot/fiFigure.js";
import type { BatchResult } from "../sweep/batch.js";
import { positiveArg } from "./parse.js";

/** A second f–I curve to overlay on the figure: another method, dt or tolerance. */
export interface FiOverlay {
  readonly method: string;
  readonly dt_ms: number;
  readonly rtol?: number;
  readonly atol?: number;
}

export interface FiOverlayFlags {
  overlayMethod?: string;
  overlayDtMs?: number;
  overlayRtol?: number;
  overlayAtol?: number;
}

/** The flags of `spikelab fi --svg/--png` that overlay a second curve on the figure. */
export function addFiOverlayOptions(cmd: Command): Command {
  return cmd
    .option(
      "--overlay-method <name>",
      `with --svg/--png: overlay the curve of another method (${methodNames().join(", ")}); rk45 defaults to rtol ${LAB_FI_CONVERGED.rtol}, atol ${LAB_FI_CONVERGED.atol} (converged)`,
    )
    .option("--overlay-dt-ms <ms>", "with --svg/--png: overlay the curve at another dt (ms)", positiveArg("--overlay-dt-ms", "ms"))
    .option("--overlay-rtol <x>", "relative tolerance of the overlaid adaptive method", positiveArg("--overlay-rtol", ""))
    .option("--overlay-atol <x>", "absolute tolerance of the overlaid adaptive method", positiveArg("--overlay-atol", ""));
}

/** The overlay the flags ask for, or null; an adaptive overlay method is converged unless tolerances are given. */
export function overlayOf(o: FiOverlayFlags & { method: string; dtMs: number }): FiOverlay | null {
  const any = o.overlayMethod !== undefined || o.overlayDtMs !== undefined || o.overlayRtol !== undefined || o.overlayAtol !== undefined;
  if (!any) return null;
  const method = o.overlayMethod ?? o.method;
  if (!methodNames().includes(method)) throw invalid("--overlay-method", method, `one of ${methodNames().join(", ")}`);
  const adaptive = method === "rk45";
  return {
    method,
    dt_ms: o.overlayDtMs ?? o.dtMs,
    ...(adaptive ? { rtol: o.overlayRtol ?? LAB_FI_CONVERGED.rtol, atol: o.overlayAtol ?? LAB_FI_CONVERGED.atol } : {}),
  };
}

/**
 * The overlaid f–I curve: the same amplitudes and protocol with the overlay's method, dt and tolerances,
 * on a pool of worker threads (an rk45 run at tight tolerance takes seconds; the pool shares it out).
 */
export async function overlayCurve(base: FiOptions, overlay: FiOverlay, workers?: number): Promise<FiResult> {
  return fiOnWorkers(
    {
      ...base,
      fast_math: false,
      method: overlay.method,
      dt_ms: overlay.dt_ms,
      ...(overlay.rtol === undefined ? {} : { rtol: overlay.rtol }),
      ...(overlay.atol === undefined ? {} : { atol: overlay.atol }),
    },
    workers,
  );
}

/**
 * An f–I curve computed by the sweep engine in batches on worker threads (the same numbers as
 * fiCurve: each neuron is integrated as if alone); `onPoints` hears how many amplitudes each
 * finished batch held (for a progress bar).
 */
export async function fiOnWorkers(base: FiOptions, workers?: number, onPoints?: (points: number) => void): Promise<FiResult> {
  const amplitudes = Array.from(base.amplitudes);
  const { runSweepBatches, sweepTable } = await import("../sweep/run.js"); // the worker pool loads only when needed
  const spec = fiSweepSpec(base);
  const batches: BatchResult[] = [];
  await runSweepBatches(spec, {
    ...(workers === undefined ? {} : { workers }),
    ...(base.max_neuron_steps === undefined ? {} : { maxNeuronSteps: base.max_neuron_steps }),
    onBatch: (b) => {
      batches.push(b);
      onPoints?.(b.index.length);
    },
  });
  const c = sweepTable(spec, batches).columns;
  return {
    amplitudes_uA_per_cm2: amplitudes,
    spike_counts: Array.from(c.spike_count as Float64Array),
    rates_Hz: Array.from(c.rate_Hz as Float64Array),
  };
}

/** The two series of an overlaid figure: the curve itself and the overlay, labelled by what differs (curveLabels). */
export function overlaidSeries(
  main: { method: string; dt_ms: number; rtol?: number; atol?: number },
  f: FiResult,
  overlay: FiOverlay | null,
  g: FiResult | null,
): FiSeries[] {
  if (!overlay || !g) return [{ label: curveLabel(main), ...f }];
  const [first, second] = curveLabels([main, overlay]) as [string, string];
  const converged = overlay.method === "rk45" && (overlay.rtol ?? 1) <= LAB_FI_CONVERGED.rtol ? " (converged)" : "";
  return [
    { label: first, ...f },
    { label: `${second}${converged}`, ...g },
  ];
}
