import type { Ms, MV } from "../../units.js";

/** One sweep of a recording: times (ms, non-decreasing) and membrane potential (mV). */
export interface Sweep {
  readonly t_ms: Float64Array;
  readonly V_mV: Float64Array;
  /** The sweep's name (a column header, an NWB series name, "sweep 3"). */
  readonly name: string;
  /** The current step the file says was applied in this sweep (ABF epoch table, NWB stimulus), if any. */
  readonly stimulus?: SweepStimulus;
}

/** A current step: [start_ms, stop_ms) at `amplitude` in `unit` (pA, nA). */
export interface SweepStimulus {
  readonly start_ms: Ms;
  readonly stop_ms: Ms;
  readonly amplitude: number;
  readonly unit: string;
}

/** A voltage recording read from a file: one or more sweeps and what the reader had to assume or repair. */
export interface Recording {
  readonly format: "text" | "csv" | "abf" | "nwb";
  readonly sweeps: readonly Sweep[];
  /** The file's number of each entry of `sweeps` (0-based), when only some were read (`ReadOptions.sweep`). */
  readonly sweep_numbers?: readonly number[];
  /** How many sweeps the file holds. */
  readonly sweep_count?: number;
  /** Facts about the file a reader learned (ABF version, sampling rate, protocol, units). */
  readonly meta: Readonly<Record<string, string | number>>;
  /** One sentence for each assumption made (units taken as ms/mV) or repair done. */
  readonly notes: readonly string[];
}

/** Time and voltage unit scale factors to ms and mV. */
export const TIME_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, us: 1e-3, µs: 1e-3, min: 60000 };
export const VOLTAGE_UNITS: Readonly<Record<string, number>> = { mV: 1, V: 1000, uV: 1e-3, µV: 1e-3 };

/** Converts values in place by a factor (1: nothing to do). */
export const scaleInPlace = (a: Float64Array, k: number): Float64Array => {
  if (k !== 1) for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * k;
  return a;
};

export type { Ms, MV };

/** Random access to a file's bytes, so a reader takes only what it needs (a header, one sweep) from a large file. */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

/** A ByteSource over bytes already in memory (the browser's File.arrayBuffer(), tests). */
export const bytesSource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
});
