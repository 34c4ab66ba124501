import type * as H5 from "h5wasm";
import { InvalidArgumentError, show } from "../../errors.js";
import { selectSweeps } from "./read.js";
import type { Recording, Sweep, SweepStimulus } from "./types.js";

/**
 * NWB 2 intracellular electrophysiology (icephys): every `CurrentClampSeries` under /acquisition is a
 * sweep (V from `data` × `conversion` + `offset`, in the series' unit, volts in NWB), timed by
 * `starting_time` and its `rate`, or by `timestamps` (seconds). A `CurrentClampStimulusSeries` under
 * /stimulus/presentation with the same `sweep_number` gives the sweep's current step. The file is read
 * through HDF5 (h5wasm): only the datasets of the series, never the whole file.
 */
export function readNwbFile(h5: typeof H5, path: string, file = path, sweep?: number): Recording {
  // HDF5's diagnostics become exceptions (h5wasm prints them to stderr otherwise): a corrupt file is one line
  (h5.Module as unknown as { activate_throwing_error_handler?: () => void }).activate_throwing_error_handler?.();
  let f: H5.File;
  try {
    f = new h5.File(path, "r");
  } catch {
    throw new InvalidArgumentError(`${file} must be an NWB (HDF5) file; it could not be opened as HDF5 (corrupt or truncated?)`);
  }
  try {
    return readOpenNwb(f, file, sweep);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw new InvalidArgumentError(`${file} must be a readable NWB (HDF5) file; HDF5 failed reading it (corrupt or truncated?)`);
  } finally {
    f.close();
  }
}

const attr = (o: H5.Dataset | H5.Group, name: string): unknown => {
  try {
    return o.attrs[name]?.value ?? undefined;
  } catch {
    return undefined;
  }
};
const num = (x: unknown): number | undefined => {
  const v = ArrayBuffer.isView(x) ? (x as unknown as ArrayLike<number>)[0] : Array.isArray(x) ? x[0] : x;
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
};
const isGroup = (e: H5.Entity | null): e is H5.Group => e !== null && typeof (e as H5.Group).keys === "function";
const isDataset = (e: H5.Entity | null): e is H5.Dataset => e !== null && typeof (e as H5.Dataset).slice === "function";

const VOLTS: Record<string, number> = { volts: 1000, volt: 1000, V: 1000, mV: 1, millivolts: 1 };
const AMPERES: Record<string, [number, string]> = {
  amperes: [1e12, "pA"],
  ampere: [1e12, "pA"],
  A: [1e12, "pA"],
  pA: [1, "pA"],
  nA: [1, "nA"],
};

function series(g: H5.Group, file: string, name: string): { t_ms: Float64Array; y: Float64Array; unit: string } {
  const data = g.get("data");
  if (!isDataset(data)) throw new InvalidArgumentError(`${file} ${name} must hold a data dataset (NWB TimeSeries)`);
  const raw = data.value as ArrayLike<number> | null;
  if (raw === null || typeof raw !== "object" || !("length" in raw))
    throw new InvalidArgumentError(`${file} ${name}/data must be a numeric array`);
  const conversion = num(attr(data, "conversion")) ?? 1;
  const offset = num(attr(data, "offset")) ?? 0;
  const unit = String(attr(data, "unit") ?? "");
  const y = new Float64Array(raw.length);
  for (let i = 0; i < y.length; i++) y[i] = Number(raw[i]) * conversion + offset;
  const t_ms = new Float64Array(y.length);
  const ts = g.get("timestamps");
  const st = g.get("starting_time");
  if (isDataset(ts)) {
    const t = ts.value as ArrayLike<number>;
    if (t.length !== y.length)
      throw new InvalidArgumentError(`${file} ${name}/timestamps must have one time per sample (${y.length}); got ${t.length}`);
    for (let i = 0; i < y.length; i++) t_ms[i] = Number(t[i]) * 1000;
  } else if (isDataset(st)) {
    const t0 = num(st.value) ?? 0;
    const rate = num(attr(st, "rate"));
    if (!(rate !== undefined && rate > 0))
      throw new InvalidArgumentError(`${file} ${name}/starting_time must carry a positive rate (Hz); got ${show(rate)}`);
    for (let i = 0; i < y.length; i++) t_ms[i] = (t0 + i / rate) * 1000;
  } else throw new InvalidArgumentError(`${file} ${name} must have starting_time (with rate) or timestamps`);
  return { t_ms, y, unit };
}

/** A step in a stimulus trace: where it departs from its first value, and its median level there. */
function stepOf(t_ms: Float64Array, I: Float64Array, unit: string): SweepStimulus | undefined {
  const base = I[0] as number;
  let peak = 0;
  for (const x of I) peak = Math.max(peak, Math.abs(x - base));
  if (peak === 0) return undefined;
  let a = -1;
  let b = -1;
  for (let i = 0; i < I.length; i++)
    if (Math.abs((I[i] as number) - base) > peak / 2) {
      if (a < 0) a = i;
      b = i + 1;
    }
  const inside = Array.from(I.subarray(a, b)).sort((x, y) => x - y);
  const stop = b < t_ms.length ? (t_ms[b] as number) : (t_ms[b - 1] as number) + ((t_ms[1] as number) - (t_ms[0] as number));
  return { start_ms: t_ms[a] as number, stop_ms: stop, amplitude: inside[inside.length >> 1] as number, unit };
}

function readOpenNwb(f: H5.File, file: string, sweep: number | undefined): Recording {
  const acq = f.get("acquisition");
  if (!isGroup(acq)) throw new InvalidArgumentError(`${file} must be an NWB file with an /acquisition group; none found`);
  const stimuli = new Map<number, SweepStimulus>();
  const pres = f.get("stimulus/presentation");
  if (isGroup(pres))
    for (const k of pres.keys()) {
      const g = pres.get(k);
      if (!isGroup(g) || attr(g, "neurodata_type") !== "CurrentClampStimulusSeries") continue;
      const s = series(g, file, `/stimulus/presentation/${k}`);
      const [scale, unit] = AMPERES[s.unit] ?? [1, s.unit];
      for (let i = 0; i < s.y.length; i++) s.y[i] = (s.y[i] as number) * scale;
      const step = stepOf(s.t_ms, s.y, unit);
      const n = num(attr(g, "sweep_number"));
      if (step && n !== undefined) stimuli.set(n, step);
    }
  const sweeps: Sweep[] = [];
  const keys = acq
    .keys()
    .sort((x, y) => x.localeCompare(y, "en", { numeric: true }))
    .filter((k) => {
      const g = acq.get(k);
      return isGroup(g) && attr(g, "neurodata_type") === "CurrentClampSeries";
    });
  if (keys.length === 0)
    throw new InvalidArgumentError(
      `${file} must hold at least one CurrentClampSeries under /acquisition (NWB icephys); found ${acq.keys().length} other series`,
    );
  const numbers = selectSweeps(file, keys.length, sweep);
  for (const k of numbers.map((i) => keys[i] as string)) {
    const g = acq.get(k) as H5.Group;
    const s = series(g, file, `/acquisition/${k}`);
    const scale = VOLTS[s.unit];
    if (scale === undefined)
      throw new InvalidArgumentError(`${file} /acquisition/${k}/data must be in volts (NWB) or mV; its unit is ${show(s.unit)}`);
    for (let i = 0; i < s.y.length; i++) s.y[i] = (s.y[i] as number) * scale;
    const n = num(attr(g, "sweep_number"));
    const stimulus = n === undefined ? undefined : stimuli.get(n);
    sweeps.push(stimulus ? { t_ms: s.t_ms, V_mV: s.y, name: k, stimulus } : { t_ms: s.t_ms, V_mV: s.y, name: k });
  }
  return {
    format: "nwb",
    sweeps,
    sweep_numbers: numbers,
    sweep_count: keys.length,
    meta: { nwb_version: String(attr(f as unknown as H5.Group, "nwb_version") ?? "?"), sweep_count: keys.length },
    notes: [],
  };
}
