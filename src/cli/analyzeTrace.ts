/**
 * `spikelab analyze --trace FILE`: the same measurements as for a simulated run, on a recording.
 * Loaded only when --trace is given.
 */
import { EFEL_FEATURES, type EfelFeatureName } from "../analysis/efel/features.js";
import { EFEL_DEFAULTS, type EfelSettings } from "../analysis/efel/settings.js";
import { analyzeSweep, fiOfSweeps, type SweepAnalysis } from "../analysis/sweep.js";
import { InvalidArgumentError } from "../errors.js";
import { writeFileAtomic } from "../io/files.js";
import { openRecording } from "../io/recordings/open.js";
import type { Recording } from "../io/recordings/types.js";
import { traceFigureInput } from "../plot/traceFigure.js";
import { efelLines } from "./analyze.js";

export interface TraceFlags {
  trace: string;
  sweep?: number;
  channel?: number;
  stimStartMs?: number;
  stimEndMs?: number;
  thresholdMv: number;
  /** true when --threshold-mv was given on the command line (eFEL then uses it too). */
  thresholdGiven: boolean;
  onsetDvdt: number;
  derivativeThreshold?: number;
  efel?: boolean;
  timeUnit?: string;
  voltageUnit?: string;
  json?: boolean;
  csv?: string;
  svg?: string;
  png?: string;
}

/** The eFEL features the CLI reports (the per-spike index features are left to the library). */
const REPORTED: readonly EfelFeatureName[] = EFEL_FEATURES.filter((n) => !n.endsWith("_indices") && n !== "Spikecount");

export interface TraceResult {
  readonly file: string;
  readonly recording: Recording;
  readonly sweeps: SweepAnalysis[];
  readonly sweep_numbers: number[];
  readonly efel_settings: EfelSettings | null;
}

/** Reads the recording and measures the chosen sweeps. */
export async function measureTrace(o: TraceFlags): Promise<TraceResult> {
  if (o.stimStartMs !== undefined && o.stimEndMs !== undefined && !(o.stimEndMs > o.stimStartMs))
    throw new InvalidArgumentError(`--stim-end-ms must be after --stim-start-ms (${o.stimStartMs} ms); got ${o.stimEndMs}`);
  // only the chosen sweep is read from the file (an ABF's other sweeps are never loaded)
  const recording = await openRecording(o.trace, { time: o.timeUnit, voltage: o.voltageUnit, channel: o.channel, sweep: o.sweep });
  const numbers = [...(recording.sweep_numbers ?? recording.sweeps.map((_, i) => i))];
  const efelSettings: EfelSettings | null = o.efel
    ? {
        ...EFEL_DEFAULTS,
        ...(o.thresholdGiven ? { Threshold: o.thresholdMv } : {}),
        ...(o.derivativeThreshold === undefined ? {} : { DerivativeThreshold: o.derivativeThreshold }),
      }
    : null;
  const sweeps = recording.sweeps.map((sweep) =>
    analyzeSweep(sweep, {
      threshold_mV: o.thresholdMv,
      onset_dVdt_mV_per_ms: o.derivativeThreshold ?? o.onsetDvdt,
      ...(o.stimStartMs === undefined ? {} : { stim_start_ms: o.stimStartMs }),
      ...(o.stimEndMs === undefined ? {} : { stim_end_ms: o.stimEndMs }),
      ...(efelSettings ? { efel: { features: REPORTED, settings: efelSettings } } : {}),
    }),
  );
  return { file: o.trace, recording, sweeps, sweep_numbers: numbers, efel_settings: efelSettings };
}

/** The f–I curve of a recording: one point per sweep that has a current step (ABF epochs, NWB stimulus). */
export const fiOfTrace = (r: TraceResult) => fiOfSweeps(r.sweeps, r.sweep_numbers);

export function traceJson(r: TraceResult) {
  return {
    file: r.file,
    format: r.recording.format,
    meta: r.recording.meta,
    notes: r.recording.notes,
    efel_settings: r.efel_settings,
    sweeps: r.sweeps.map((s, i) => ({
      sweep: r.sweep_numbers[i],
      name: s.name,
      samples: s.samples,
      duration_ms: s.duration_ms,
      dt_ms: s.dt_ms,
      uneven_sampling: s.uneven,
      V_range_mV: s.V_range_mV,
      stim_window_ms: s.stim_window_ms,
      stim_window_source: s.stim_window_source,
      stimulus: s.stimulus,
      spike_count: s.spike_times_ms.length,
      spike_times_ms: s.spike_times_ms,
      isi_ms: s.isi_ms,
      threshold_mV: s.threshold_mV,
      firing: s.firing,
      spikes: s.spikes,
      efel: s.efel,
      notes: s.notes,
    })),
    fi: fiOfTrace(r),
  };
}

const c = (x: number | null | undefined, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(d));

export function printTrace(r: TraceResult): string {
  const out: string[] = [];
  const m = r.recording.meta;
  out.push(
    `${r.file}: ${r.recording.format}, ${r.recording.sweeps.length} sweep(s)${
      Object.keys(m).length
        ? `; ${Object.entries(m)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ")}`
        : ""
    }`,
  );
  for (const n of r.recording.notes) out.push(`note: ${n}`);
  r.sweeps.forEach((s, i) => {
    out.push("");
    const stim = s.stimulus ? `, step ${c(s.stimulus.amplitude, 2)} ${s.stimulus.unit}` : "";
    out.push(
      `sweep ${r.sweep_numbers[i]} (${s.name}): ${s.samples} samples, ${c(s.duration_ms, 1)} ms, dt ${s.dt_ms.toPrecision(4)} ms${s.uneven ? " (uneven)" : ""}; V ${c(s.V_range_mV[0], 2)}…${c(s.V_range_mV[1], 2)} mV; stimulus window [${c(s.stim_window_ms[0], 2)}, ${c(s.stim_window_ms[1], 2)}) ms (${s.stim_window_source})${stim}`,
    );
    for (const n of s.notes) out.push(`  note: ${n}`);
    const f = s.firing;
    out.push(
      `  spikes: ${s.spike_times_ms.length}; in the window ${f.spike_count} (${c(f.mean_rate_Hz, 2)} Hz); first-ISI rate ${c(f.first_isi_rate_Hz, 2)} Hz; steady-state rate ${c(f.steady_state_rate_Hz, 2)} Hz; ${f.sustained ? "sustained firing" : f.spike_count >= 2 ? "firing stops before the step ends" : "no repetitive firing"}`,
    );
    out.push(`  threshold (first AP onset): ${s.threshold_mV === null ? "—" : `${c(s.threshold_mV)} mV`}`);
    if (s.spikes.length && r.sweeps.length === 1) {
      out.push("  spike  onset_ms  onset_mV  peak_ms  peak_mV  amplitude_mV  half_width_ms  ahp_ms  ahp_mV");
      s.spikes.forEach((a, j) => {
        out.push(
          `  ${String(j + 1).padStart(5)}  ${c(a.onset_ms).padStart(8)}  ${c(a.onset_mV).padStart(8)}  ${c(a.peak_ms).padStart(7)}  ${c(a.peak_mV).padStart(7)}  ${c(a.amplitude_mV).padStart(12)}  ${c(a.half_width_ms).padStart(13)}  ${c(a.ahp_ms).padStart(6)}  ${c(a.ahp_mV).padStart(6)}`,
        );
      });
    }
    if (s.efel && r.efel_settings) out.push(...efelLines(r.efel_settings, s.efel).map((l) => `  ${l}`));
  });
  const fi = fiOfTrace(r);
  if (fi) {
    out.push("");
    out.push(`f–I curve (one point per sweep; the step of each sweep's command, ${fi.unit}):`);
    out.push(`  sweep  amplitude_${fi.unit}  spike_count  rate_Hz  first_isi_rate_Hz  steady_state_rate_Hz  sustained`);
    fi.sweeps.forEach((k, i) => {
      out.push(
        `  ${String(k).padStart(5)}  ${c(fi.amplitudes[i], 2).padStart(11)}  ${String(fi.spike_counts[i]).padStart(11)}  ${c(fi.rates_Hz[i], 2).padStart(7)}  ${c(fi.first_isi_rates_Hz[i], 2).padStart(17)}  ${c(fi.steady_state_rates_Hz[i], 2).padStart(20)}  ${fi.sustained[i] ? "yes" : "no"}`,
      );
    });
    out.push(
      `  rheobase (smallest step that fires): ${fi.rheobase_estimate === null ? "none of the steps fires" : `${c(fi.rheobase_estimate, 2)} ${fi.unit}`}; sustained firing from: ${fi.sustained_threshold_estimate === null ? "none" : `${c(fi.sustained_threshold_estimate, 2)} ${fi.unit}`}`,
    );
  }
  return out.join("\n");
}

/** The per-spike table of every measured sweep as CSV (unit-named columns). */
export function traceCsv(r: TraceResult): string {
  const cols = [
    "sweep",
    "spike",
    "time_ms",
    "onset_ms",
    "onset_mV",
    "peak_ms",
    "peak_mV",
    "amplitude_mV",
    "half_width_ms",
    "ahp_ms",
    "ahp_mV",
  ] as const;
  const rows = [cols.join(",")];
  r.sweeps.forEach((s, i) => {
    for (const [j, a] of s.spikes.entries())
      rows.push(
        [
          r.sweep_numbers[i],
          j + 1,
          a.time_ms,
          a.onset_ms,
          a.onset_mV,
          a.peak_ms,
          a.peak_mV,
          a.amplitude_mV,
          a.half_width_ms,
          a.ahp_ms,
          a.ahp_mV,
        ]
          .map((x) => (x === null ? "" : String(x)))
          .join(","),
      );
  });
  return `${rows.join("\n")}\n`;
}

export async function analyzeTrace(o: TraceFlags): Promise<void> {
  const r = await measureTrace(o);
  if (o.csv) writeFileAtomic(o.csv, traceCsv(r));
  if (o.svg || o.png) {
    const { writeFigureFiles } = await import("./figures.js");
    const { traceFigure } = await import("../plot/traceFigure.js");
    writeFigureFiles(o, (doc) => traceFigure(doc, traceFigureData(r)));
  }
  if (o.json) process.stdout.write(`${JSON.stringify(traceJson(r))}\n`);
  else console.log(printTrace(r));
}

/** The figure's data (see `traceFigureInput`). */
export const traceFigureData = (r: TraceResult) =>
  traceFigureInput(r.file.split("/").pop() ?? r.file, r.sweeps, r.recording.sweeps, r.sweep_numbers);
