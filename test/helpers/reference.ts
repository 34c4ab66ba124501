import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The reference data inside the repository (test/fixtures/reference), its provenance in that folder's README and in each file. */
export const referencePath = (name: string): string => fileURLToPath(new URL(`../fixtures/reference/${name}`, import.meta.url));

export interface LabReference {
  experiment_1: { samples: number; spike_count: number; V_peak_mV: number; t_peak_ms: number; V_end_mV: number };
  experiment_2_fi: { start_ms: number; stop_ms: number; duration_ms: number; spike_counts: number[] };
}

export interface Hh1952Reference {
  protocol: { V0_mV: number; step_amplitude_uA_per_cm2: number; step_start_ms: number; step_stop_ms: number; duration_ms: number };
  spike_times_ms: number[];
  v_trace_dt_ms: number;
  v_trace_mV: number[];
}

export const labReference = (): LabReference => JSON.parse(readFileSync(referencePath("lab-seed-euler.json"), "utf8"));
export const hh1952Reference = (): Hh1952Reference => JSON.parse(readFileSync(referencePath("hh1952-step10-neuron.json"), "utf8"));
