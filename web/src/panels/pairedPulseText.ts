/** Pure helpers of the paired-pulse panel (./pairedPulse.ts): its CLI command and library call in words, its points as CSV. */
import { blockedParams } from "../blockState.js";
import { DEFAULT_METHOD, toCsv } from "../lib.js";
import type { LabState } from "../state.js";

export interface PairedSettings {
  /** The model select's value: a built-in's name or "file:NAME". */
  model: string;
  parameters: Record<string, number>;
  method: string;
  dt_ms: number;
  interval_ms: number;
  amplitude_uA_per_cm2: number;
}

/** The trial on screen from the app's state; a blocked conductance is given as a parameter (`paired` has no --block). */
export const pairedSettingsOf = (s: LabState): PairedSettings => ({
  model: s.model,
  parameters: blockedParams(s, s.params),
  method: s.method,
  dt_ms: s.dt,
  interval_ms: s.pp.interval,
  amplitude_uA_per_cm2: s.pp.amplitude,
});

const FILE = "file:";

/** The `spikelab paired` command that runs the trial on screen (a file model is named as FILE.json, saved from the page). */
export function pairedCommandLine(s: PairedSettings): string {
  const model = s.model.startsWith(FILE) ? `${s.model.slice(FILE.length)}.json` : s.model;
  const parts = ["spikelab paired", `--model ${model}`, `--interval-ms ${s.interval_ms}`, `--amplitude ${s.amplitude_uA_per_cm2}`];
  if (s.method !== DEFAULT_METHOD) parts.push(`--method ${s.method}`);
  if (s.dt_ms !== 0.025) parts.push(`--dt-ms ${s.dt_ms}`);
  for (const [name, value] of Object.entries(s.parameters)) parts.push(`--param ${name}=${value}`);
  return parts.join(" ");
}

/** The library calls: the trial and the recovery curve with both periods. */
export function pairedLibraryCall(s: PairedSettings): string {
  const model = s.model.startsWith(FILE) ? "model" : JSON.stringify(s.model);
  const common = `model: ${model}${Object.keys(s.parameters).length ? `, parameters: ${JSON.stringify(s.parameters)}` : ""}, dt_ms: ${s.dt_ms}, method: ${JSON.stringify(s.method)}`;
  return `pairedPulse({ ${common}, interval_ms: ${s.interval_ms}, amplitude_uA_per_cm2: ${s.amplitude_uA_per_cm2} }); refractoryPeriods({ ${common} })`;
}

/** The tried points as CSV with units in the column names (fired: 1 or 0). */
export function trialsCsv(trials: readonly { interval_ms: number; amplitude_uA_per_cm2: number; fired: boolean }[]): string {
  return toCsv({
    interval_ms: trials.map((t) => t.interval_ms),
    amplitude_uA_per_cm2: trials.map((t) => t.amplitude_uA_per_cm2),
    fired: trials.map((t) => (t.fired ? 1 : 0)),
  });
}
