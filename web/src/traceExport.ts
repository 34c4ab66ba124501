/** The live lab's trace as files: the library's unit-named columns (CSV) and its JSON export, and their name. */
import { namedColumns, runJsonOf, type SimulationSpecInput, toCsv } from "./lib.js";
import type { RunReply } from "./protocol.js";

/** The run's columns with the library's unit names (V_mV, I_Na_uA_per_cm2, cai_mM, …). */
export const traceColumns = (r: RunReply): Record<string, Float64Array> => namedColumns(r.t_ms, r.traces, new Set(r.concentrations));

/** The download's name without extension: spikelab-trace-MODEL-METHOD. */
export const traceName = (s: SimulationSpecInput) =>
  `spikelab-trace-${(typeof s.model === "string" ? s.model : (s.model?.name ?? "model")).replace(/[^A-Za-z0-9_.-]+/g, "-")}-${s.method}`;

/** The trace as CSV text. */
export const traceCsv = (r: RunReply): string => toCsv(traceColumns(r));

/** The trace as the library's JSON export (`runToJson`'s object), as text. */
export const traceJson = (r: RunReply): string => `${JSON.stringify(runJsonOf(r.header, traceColumns(r), r.spike_times_ms), null, 1)}\n`;
