/** Messages between the page and the simulation workers. Typed arrays travel as transfers, not copies. */
import type { Mark } from "./annotations.js";
import type {
  ActionPotential,
  FiOptions,
  FiResult,
  RefractoryOptions,
  RefractoryResult,
  RheobaseOptions,
  RheobaseResult,
  RunHeader,
  SimulationSpecInput,
  SweepSpecInput,
} from "./lib.js";

export type WorkerRequest =
  | { kind: "run"; id: number; spec: SimulationSpecInput }
  | { kind: "fi"; id: number; chunk: number; options: FiOptions }
  /** The library's paired-pulse protocol (about a second for the lab model). */
  | { kind: "refractory"; id: number; options: RefractoryOptions }
  /** The library's rheobase bisection for one step window. */
  | { kind: "rheobase"; id: number; options: RheobaseOptions }
  /** Grid points [from, to) of a sweep (the parameter map's CPU fallback), as one batched run. */
  | { kind: "batch"; id: number; chunk: number; spec: SweepSpecInput; from: number; to: number };

/** A library error, kept as its class name and its one-line message. */
export interface WorkerError {
  kind: "error";
  id: number;
  chunk?: number;
  name: string;
  message: string;
}

export interface RunReply {
  kind: "run";
  id: number;
  t_ms: Float64Array<ArrayBuffer>;
  /** One trace per recorded variable (V, m, h, n, I_Na, …). */
  traces: Record<string, Float64Array<ArrayBuffer>>;
  spike_times_ms: Float64Array<ArrayBuffer>;
  marks: Mark[];
  /** The library's action-potential features of V (src/analysis/features.ts). */
  aps: ActionPotential[];
  onset_dVdt_mV_per_ms: number;
  /** How the run was made, as the library's JSON export says it (`runHeader`). */
  header: RunHeader;
  /** The model's concentration variables (exported as NAME_mM). */
  concentrations: string[];
  steps: number;
  /** Wall time of simulate() in the worker (ms). */
  elapsed_ms: number;
}

export interface FiReply {
  kind: "fi";
  id: number;
  chunk: number;
  result: FiResult;
  elapsed_ms: number;
}

export interface RefractoryReply {
  kind: "refractory";
  id: number;
  result: RefractoryResult;
  elapsed_ms: number;
}

export interface RheobaseReply {
  kind: "rheobase";
  id: number;
  result: RheobaseResult;
  elapsed_ms: number;
}

export interface BatchReply {
  kind: "batch";
  id: number;
  chunk: number;
  spike_count: Float64Array<ArrayBuffer>;
  rate_Hz: Float64Array<ArrayBuffer>;
  first_spike_latency_ms: Float64Array<ArrayBuffer>;
  elapsed_ms: number;
}

export type WorkerReply = RunReply | FiReply | RefractoryReply | RheobaseReply | BatchReply | WorkerError;
