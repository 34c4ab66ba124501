/**
 * The whole state of the browser lab as one plain object, and its round trip through the URL.
 * The URL holds every setting (reload or a shared link restores the page); model parameters
 * appear only where they differ from the model's defaults (p.gNa=60).
 */

import { type BlockState, blockedParams, blockFromQuery, blockToQuery, defaultBlock } from "./blockState.js";
import { builtinModels, DEFAULT_METHOD, DEFAULT_MODEL, LAB_EXPERIMENT_1, LAB_FI, type SimulationSpecInput, stateNames } from "./lib.js";
import { modelOf, modelRef } from "./models.js";
import { POINTS_KEY, pointsFromParam, pointsToParam, type TriedPoint } from "./pairedPoints.js";

export type View = "lab" | "fi" | "map" | "dynamics" | "clamp" | "paired" | "fit";
export type MapBackend = "auto" | "gpu" | "cpu";

/** The parameter map: firing rate over a grid of two axes (amplitude or model parameters). */
export interface MapSettings {
  x: string;
  xFrom: number;
  xTo: number;
  xCount: number;
  y: string;
  yFrom: number;
  yTo: number;
  yCount: number;
  start: number;
  stop: number;
  duration: number;
  backend: MapBackend;
}
export type Overlay = "none" | "method" | "dt";

export interface FiSettings {
  from: number;
  to: number;
  count: number;
  start: number;
  stop: number;
  duration: number;
  overlay: Overlay;
  overlayMethod: string;
  overlayDt: number;
}

export interface LabState {
  view: View;
  model: string;
  /** Model-parameter overrides by name (values that differ from the model's defaults). */
  params: Record<string, number>;
  /** Channel blockers (TTX, TEA): each a switch and the fraction blocked; every view runs `blockedParams(state, params)`. */
  block: BlockState;
  /** Step current (µA/cm²) on [start, stop) ms. */
  amplitude: number;
  start: number;
  stop: number;
  duration: number;
  dt: number;
  method: string;
  /** Show the ionic-current plot. */
  currents: boolean;
  fi: FiSettings;
  map: MapSettings;
  /** The Dynamics view: the range of injected current (µA/cm²) of its bifurcation diagram. */
  dyn: { from: number; to: number };
  /**
   * The paired-pulse view: the second pulse's interval Δ after the first spike (ms), its amplitude (µA/cm²), the time
   * shown after the first spike (ms), and the points tried so far (in the URL as `pp.pts`, ./pairedPoints.ts).
   */
  pp: { interval: number; amplitude: number; window: number; tried: TriedPoint[] };
}

/** The lab's experiment 1 and experiment 2 (the f–I sweep), as the library defines them (LAB_EXPERIMENT_1, LAB_FI). */
export const defaultState = (): LabState => ({
  view: "lab",
  model: DEFAULT_MODEL,
  params: {},
  block: defaultBlock(),
  amplitude: LAB_EXPERIMENT_1.amplitude_uA_per_cm2,
  start: LAB_EXPERIMENT_1.start_ms,
  stop: LAB_EXPERIMENT_1.stop_ms,
  duration: LAB_EXPERIMENT_1.duration_ms,
  dt: LAB_EXPERIMENT_1.dt_ms,
  method: DEFAULT_METHOD,
  currents: false,
  fi: {
    from: LAB_FI.from,
    to: LAB_FI.to,
    count: LAB_FI.steps,
    start: LAB_FI.start_ms,
    stop: LAB_FI.stop_ms,
    duration: LAB_FI.duration_ms,
    overlay: "none",
    overlayMethod: DEFAULT_METHOD,
    overlayDt: 0.0025,
  },
  // amplitude × gNa of the lab model over the lab's f–I protocol: 160,000 neurons
  map: {
    x: "amplitude",
    xFrom: 0,
    xTo: 15,
    xCount: 400,
    y: "gNa",
    yFrom: 0,
    yTo: 100,
    yCount: 400,
    start: LAB_FI.start_ms,
    stop: LAB_FI.stop_ms,
    duration: LAB_FI.duration_ms,
    backend: "auto",
  },
  dyn: { from: 0, to: 20 },
  pp: { interval: 5, amplitude: 5, window: 50, tried: [] },
});

/** URL keys of the numeric settings. */
export const NUMBERS = { amp: "amplitude", start: "start", stop: "stop", dur: "duration", dt: "dt" } as const;
export const FI_NUMBERS = {
  "fi.from": "from",
  "fi.to": "to",
  "fi.n": "count",
  "fi.start": "start",
  "fi.stop": "stop",
  "fi.dur": "duration",
  "fi.ov.dt": "overlayDt",
} as const;

export const MAP_NUMBERS = {
  "map.x0": "xFrom",
  "map.x1": "xTo",
  "map.xn": "xCount",
  "map.y0": "yFrom",
  "map.y1": "yTo",
  "map.yn": "yCount",
  "map.start": "start",
  "map.stop": "stop",
  "map.dur": "duration",
} as const;

export const PP_NUMBERS = { "pp.d": "interval", "pp.a": "amplitude", "pp.win": "window" } as const;

/** The query string for a state (without "?"). Numbers are written as JavaScript prints them, so they round-trip exactly. */
export function toQuery(s: LabState): string {
  const q = new URLSearchParams();
  q.set("view", s.view);
  q.set("model", s.model);
  q.set("method", s.method);
  for (const [key, field] of Object.entries(NUMBERS)) q.set(key, String(s[field]));
  if (s.currents) q.set("currents", "1");
  for (const [name, value] of Object.entries(s.params)) q.set(`p.${name}`, String(value));
  blockToQuery(s.block, q);
  for (const [key, field] of Object.entries(FI_NUMBERS)) q.set(key, String(s.fi[field]));
  q.set("fi.ov", s.fi.overlay);
  q.set("fi.ov.method", s.fi.overlayMethod);
  q.set("map.x", s.map.x);
  q.set("map.y", s.map.y);
  for (const [key, field] of Object.entries(MAP_NUMBERS)) q.set(key, String(s.map[field]));
  q.set("map.backend", s.map.backend);
  q.set("dyn.from", String(s.dyn.from));
  q.set("dyn.to", String(s.dyn.to));
  for (const [key, field] of Object.entries(PP_NUMBERS)) q.set(key, String(s.pp[field]));
  // the tried points as written (`5,5.1,y_6,15,n`: URLSearchParams would escape every comma)
  const points = pointsToParam(s.pp.tried);
  return points ? `${q}&${POINTS_KEY}=${points}` : q.toString();
}

/**
 * A state from a query string: missing keys, and values that are not numbers, take their defaults (so the rest
 * of a link still loads; `urlProblems` in ./urlProblems.ts says which values were not used and why).
 */
export function fromQuery(query: string): LabState {
  const q = new URLSearchParams(query);
  const s = defaultState();
  const num = (key: string, fallback: number) => {
    const v = q.get(key);
    const n = v === null || v.trim() === "" ? fallback : Number(v);
    return Number.isFinite(n) ? n : fallback;
  };
  const view = q.get("view");
  if (view === "lab" || view === "fi" || view === "map" || view === "dynamics" || view === "clamp" || view === "paired" || view === "fit")
    s.view = view;
  const model = q.get("model");
  if (model !== null && model in builtinModels) s.model = model;
  s.method = q.get("method") ?? s.method;
  for (const [key, field] of Object.entries(NUMBERS)) s[field] = num(key, s[field]);
  s.currents = q.get("currents") === "1";
  for (const [key, value] of q)
    if (key.startsWith("p.") && value.trim() !== "" && Number.isFinite(Number(value))) s.params[key.slice(2)] = Number(value);
  s.block = blockFromQuery(q);
  for (const [key, field] of Object.entries(FI_NUMBERS)) s.fi[field] = num(key, s.fi[field]);
  const ov = q.get("fi.ov");
  if (ov === "none" || ov === "method" || ov === "dt") s.fi.overlay = ov;
  s.fi.overlayMethod = q.get("fi.ov.method") ?? s.fi.overlayMethod;
  s.map.x = q.get("map.x") ?? s.map.x;
  s.map.y = q.get("map.y") ?? s.map.y;
  for (const [key, field] of Object.entries(MAP_NUMBERS)) s.map[field] = num(key, s.map[field]);
  const backend = q.get("map.backend");
  if (backend === "auto" || backend === "gpu" || backend === "cpu") s.map.backend = backend;
  s.dyn.from = num("dyn.from", s.dyn.from);
  s.dyn.to = num("dyn.to", s.dyn.to);
  for (const [key, field] of Object.entries(PP_NUMBERS)) s.pp[field] = num(key, s.pp[field]);
  s.pp.tried = pointsFromParam(q.get(POINTS_KEY)).points;
  return s;
}

/** Every variable the live lab records: V, the gates, each channel's current and the injected current. */
export const recordedVariables = (model: string): string[] => {
  const m = modelOf(model);
  if (!m) return ["V"];
  return [...stateNames(m), ...m.channels.map((c) => `I_${c.name}`), "I_inj"];
};

/** The most samples a live trace keeps; longer runs are recorded every k-th step. */
export const MAX_SAMPLES = 20_000;
/** The most steps a live run may take (so a drag stays live); the message says how to get under it. */
export const MAX_STEPS = 2_000_000;

/** The library spec of the live run. */
export function runSpec(s: LabState): SimulationSpecInput {
  const steps = Math.round(s.duration / s.dt);
  const every = Number.isFinite(steps) && steps > MAX_SAMPLES ? Math.ceil(steps / MAX_SAMPLES) : 1;
  return {
    model: modelRef(s.model),
    parameters: blockedParams(s, s.params),
    stimulus: { type: "step", amplitude_uA_per_cm2: s.amplitude, start_ms: s.start, stop_ms: s.stop },
    duration_ms: s.duration,
    dt_ms: s.dt,
    method: s.method,
    record: { variables: recordedVariables(s.model), ...(every > 1 ? { sample_ms: every * s.dt } : {}) },
  };
}
