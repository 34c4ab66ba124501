import { invalid } from "../errors.js";
import { compileModel, gateVariable, shiftParameter } from "../models/compile.js";
import { type ModelRef, resolveModel } from "../models/index.js";
import { modelParameters } from "../models/parameters.js";
import type { NeuronModel } from "../models/types.js";
import { sampleTime } from "../program/runners.js";
import type { CurrentTime } from "../program/types.js";
import { stepCount } from "../simulate.js";
import { gateRateFactors, restingPotentials } from "../system/membrane.js";
import type { Ms, MV } from "../units.js";
import { GPU_METHODS, type GpuMethod, hasRateFactor, INTEGER_INPUTS, kernelInputs, rateFactorInput } from "./wgsl.js";

/** A number for every neuron, or one per neuron (any array-like: number[], Float32Array, Float64Array). */
export type PerNeuron = number | ArrayLike<number>;

/**
 * A batched fixed-step run for the GPU: n neurons of one model, each with its own values of any
 * model parameter and of the step stimulus, spikes only. Plain data, as the CPU's simulation spec.
 */
export interface GpuJob {
  /** A built-in model name or a model object; default "lab". */
  readonly model?: ModelRef;
  /** "euler" (default) or "exp-euler". */
  readonly method?: string;
  readonly dt_ms: Ms;
  readonly duration_ms: Ms;
  /** Number of neurons; default: the length of the per-neuron arrays (all equal), or 1. */
  readonly n?: number;
  /** Model parameters (Cm, V0, celsius, gNa, ENa, …): one value for all, or one per neuron. */
  readonly parameters?: Readonly<Record<string, PerNeuron>>;
  /** A step current on [start_ms, stop_ms), sampled at t_k = k·dt; each field for all or per neuron. */
  readonly stimulus?: {
    readonly amplitude_uA_per_cm2: PerNeuron;
    readonly start_ms: PerNeuron;
    readonly stop_ms: PerNeuron;
  };
  /** Spike: upward crossing V[k] < θ ≤ V[k+1] (default 0 mV). */
  readonly spike_threshold_mV?: MV;
  /**
   * The time loop is cut into dispatches: the first ones small and timed, then sized to take about
   * `dispatchTarget_ms` each (default 200 ms; a device watchdog fires at about 2 s on some systems),
   * never more than `maxNeuronStepsPerDispatch` neuron-steps (default 2e10). Results do not depend on it.
   */
  readonly dispatchTarget_ms?: number;
  readonly maxNeuronStepsPerDispatch?: number;
  /** At most this many neurons per pass over the buffers (default: what the device's buffer limits allow). */
  readonly maxNeuronsPerSlice?: number;
}

/** A job validated and packed into the buffers of the generated kernel. */
export interface PackedJob {
  readonly model: NeuronModel;
  readonly method: GpuMethod;
  readonly n: number;
  readonly steps: number;
  readonly dt_ms: Ms;
  readonly threshold_mV: MV;
  /** Inputs that vary per neuron (the kernel's `cols`), in kernel order. */
  readonly perNeuron: ReadonlySet<string>;
  /** The model constants of this run (bound into the kernel's code). */
  readonly constants: Readonly<Record<string, number>>;
  /** The gates (by name) whose voltage shift is an input: some neuron's differs from the model's own. */
  readonly shifted: ReadonlySet<string>;
  /** Value of every input that is the same for all neurons, by name (u32 inputs as integers). */
  readonly uniform: ReadonlyMap<string, number>;
  /** Per-neuron values of every varying input, by name (u32 inputs as integers). */
  readonly columns: ReadonlyMap<string, ArrayLike<number>>;
  /** Rate window length (ms) of each neuron (one value when the window is the same for all). */
  readonly window_ms: PerNeuron;
  /** Stimulus start (ms), for latencies and messages. */
  readonly start_ms: PerNeuron;
  readonly maxNeuronStepsPerDispatch: number;
  readonly dispatchTarget_ms: number;
  readonly maxNeuronsPerSlice: number;
}

const U32_MAX = 0xffffffff;

/** The first step k ≥ 0 with k·dt ≥ t, in f64 exactly as the CPU compares `t_k >= t` (capped at 2³² − 1). */
export function firstStepAtOrAfter(t: Ms, dt: Ms): number {
  if (!(t > 0)) return 0;
  let k = Math.ceil(t / dt);
  while (k > 0 && (k - 1) * dt >= t) k--;
  while (k * dt < t) k++;
  return Math.min(k, U32_MAX);
}

/**
 * The first step k ≥ 0 whose sample at `at` within the step (t_k, t_k + dt/2 or just before t_k + dt,
 * as the CPU computes it) is ≥ t, in f64 (capped at 2³² − 1).
 */
export function firstSampleAtOrAfter(t: Ms, dt: Ms, at: CurrentTime): number {
  if (at === "start") return firstStepAtOrAfter(t, dt);
  const f = (k: number) => sampleTime(at, k * dt, dt);
  if (!(f(0) < t)) return 0;
  let k = Math.max(0, Math.ceil(t / dt) - 1);
  while (k > 0 && f(k - 1) >= t) k--;
  while (f(k) < t) k++;
  return Math.min(k, U32_MAX);
}

/** t/dt as a whole step and a fraction in [0, 1), for comparing a crossing at step position k + f with t in the kernel. */
export function stepPosition(t: Ms, dt: Ms): [number, number] {
  if (!(t > 0)) return [0, 0];
  const x = t / dt;
  if (x >= U32_MAX) return [U32_MAX, 0];
  const whole = Math.floor(x);
  return [whole, x - whole];
}

const isArray = (v: PerNeuron): v is ArrayLike<number> => typeof v !== "number";

/** Validates a GPU job at the edge (names, ranges, lengths) and packs it for the kernel. */
export function packJob(job: GpuJob): PackedJob {
  const model = resolveModel(job.model ?? "lab");
  const method = (job.method ?? "euler") as GpuMethod;
  if (!GPU_METHODS.includes(method)) throw invalid("method (GPU backend)", job.method, `one of ${GPU_METHODS.join(", ")}`);
  if (!(Number.isFinite(job.dt_ms) && job.dt_ms > 0)) throw invalid("dt_ms", job.dt_ms, "a positive number of ms");
  if (!(Number.isFinite(job.duration_ms) && job.duration_ms > 0)) throw invalid("duration_ms", job.duration_ms, "a positive number of ms");
  const steps = stepCount(job.duration_ms, job.dt_ms);
  if (steps >= U32_MAX) throw invalid("duration_ms / dt_ms (number of steps)", steps, "fewer than 2³² − 1 steps");
  const threshold = job.spike_threshold_mV ?? 0;
  if (!Number.isFinite(threshold)) throw invalid("spike_threshold_mV", threshold, "a finite number of mV");

  // the number of neurons: the per-neuron arrays must agree
  const given: [string, PerNeuron][] = [
    ...Object.entries(job.parameters ?? {}).map(([k, v]) => [`parameters.${k}`, v] as [string, PerNeuron]),
    ...(job.stimulus
      ? ([
          ["stimulus.amplitude_uA_per_cm2", job.stimulus.amplitude_uA_per_cm2],
          ["stimulus.start_ms", job.stimulus.start_ms],
          ["stimulus.stop_ms", job.stimulus.stop_ms],
        ] as [string, PerNeuron][])
      : []),
  ];
  let n = job.n;
  if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw invalid("n (number of neurons)", n, "a whole number ≥ 1");
  for (const [what, v] of given) {
    if (!isArray(v)) continue;
    if (n === undefined) n = v.length;
    if (v.length !== n) throw invalid(`${what} (one value per neuron)`, `${v.length} values`, `${n} values`);
  }
  n ??= 1;
  if (n < 1) throw invalid("n (number of neurons)", n, "a whole number ≥ 1");

  const uniform = new Map<string, number>();
  const columns = new Map<string, ArrayLike<number>>();
  const constants: Record<string, number> = {};
  const checkAll = (what: string, v: PerNeuron, ok: (x: number) => boolean, allowed: string) => {
    if (!isArray(v)) {
      if (!ok(v)) throw invalid(what, v, allowed);
      return;
    }
    for (let i = 0; i < v.length; i++) if (!ok(v[i] as number)) throw invalid(`${what} (neuron ${i})`, v[i], allowed);
  };

  // model parameters
  const info = modelParameters(model);
  const known = new Set(info.map((p) => p.name));
  for (const name of Object.keys(job.parameters ?? {})) {
    if (!known.has(name)) throw invalid(`parameter name for model "${model.name}"`, name, `one of ${[...known].join(", ")}`);
  }
  for (const p of info) {
    const v = job.parameters?.[p.name] ?? p.value;
    checkAll(
      `parameter ${p.name} (${p.unit})`,
      v,
      (x) => Number.isFinite(x) && x >= p.min && x <= p.max,
      `a finite number in [${p.min}, ${p.max}]`,
    );
    if (Object.hasOwn(model.constants ?? {}, p.name)) {
      // a model constant: one value for the run, bound into the kernel's code as the CPU binds it
      const first = isArray(v) ? (v[0] as number) : v;
      if (isArray(v) && Array.prototype.some.call(v, (x: number) => x !== first)) {
        throw invalid(`parameter ${p.name} (a model constant)`, Array.from(v), "one value for all neurons of a run");
      }
      constants[p.name] = first;
    } else if (isArray(v)) columns.set(p.name, v);
    else uniform.set(p.name, v);
  }
  const overrides = Object.entries(constants).filter(([k, v]) => model.constants?.[k] !== v);
  const compiled = compileModel(model, overrides.length ? Object.fromEntries(overrides) : undefined);
  // V0 "rest": each neuron's resting potential, found on the CPU in f64 (the membrane system's own function)
  if (model.v0_mV === "rest" && job.parameters?.V0 === undefined) {
    const channelValues = (prefix: "g" | "E") =>
      model.channels.map((c) => columns.get(`${prefix}${c.name}`) ?? [uniform.get(`${prefix}${c.name}`) as number]);
    const g = channelValues("g");
    const e = channelValues("E");
    const shiftNames = compiled.gates.map((gate) => shiftParameter(gate.name));
    const varies =
      model.channels.some((c) => columns.has(`g${c.name}`) || columns.has(`E${c.name}`)) || shiftNames.some((x) => columns.has(x));
    const spread = (a: ArrayLike<number>[]) => a.map((x) => (x.length === n ? x : new Float64Array(n).fill(x[0] as number)));
    const shift = shiftNames.map((x) => columns.get(x) ?? [uniform.get(x) as number]);
    const v0 = new Float64Array(varies ? (n as number) : 1);
    restingPotentials(compiled, varies ? spread(g) : g, varies ? spread(e) : e, v0, varies ? spread(shift) : shift);
    if (varies) columns.set("V0", v0);
    else uniform.set("V0", v0[0] as number);
  }
  // each scaled state gate's rate factor (temperature, rate_factor), computed on the CPU in f64
  const celsius = columns.get("celsius") ?? (uniform.has("celsius") ? [uniform.get("celsius") as number] : undefined);
  for (const gate of compiled.gates) {
    const def = gateVariable(model, gate.name);
    if (gate.instantaneous || !def || !hasRateFactor(model, def)) continue;
    const phi = gateRateFactors(model, gate, celsius, celsius?.length ?? 1);
    if (columns.has("celsius")) columns.set(rateFactorInput(gate.name), phi);
    else uniform.set(rateFactorInput(gate.name), phi[0] as number);
  }

  // the stimulus: on/off steps and the rate window, computed here in f64
  const s = job.stimulus ?? { amplitude_uA_per_cm2: 0, start_ms: 0, stop_ms: 0 };
  const finite = (x: number) => Number.isFinite(x);
  checkAll("stimulus.amplitude_uA_per_cm2", s.amplitude_uA_per_cm2, finite, "a finite number of µA/cm²");
  checkAll("stimulus.start_ms", s.start_ms, finite, "a finite number of ms");
  checkAll("stimulus.stop_ms", s.stop_ms, finite, "a finite number of ms");
  const at = (v: PerNeuron, i: number) => (isArray(v) ? (v[i] as number) : v);
  const dt = job.dt_ms;
  const windowInputs = (start: Ms, stop: Ms) => {
    const [ws, wf] = stepPosition(start, dt);
    const [es, ef] = stepPosition(stop, dt);
    return {
      kOn: firstStepAtOrAfter(start, dt),
      kOff: firstStepAtOrAfter(stop, dt),
      kOnHalf: firstSampleAtOrAfter(start, dt, "half"),
      kOffHalf: firstSampleAtOrAfter(stop, dt, "half"),
      kOnEnd: firstSampleAtOrAfter(start, dt, "end"),
      kOffEnd: firstSampleAtOrAfter(stop, dt, "end"),
      ws,
      wf,
      es,
      ef,
    };
  };
  const windowVaries = isArray(s.start_ms) || isArray(s.stop_ms);
  let window_ms: PerNeuron;
  if (isArray(s.amplitude_uA_per_cm2)) columns.set("amplitude", s.amplitude_uA_per_cm2);
  else uniform.set("amplitude", s.amplitude_uA_per_cm2);
  if (windowVaries) {
    const cols = { kOn: new Uint32Array(n), kOff: new Uint32Array(n), ws: new Uint32Array(n), wf: new Float32Array(n) };
    const sampled = { kOnHalf: new Uint32Array(n), kOffHalf: new Uint32Array(n), kOnEnd: new Uint32Array(n), kOffEnd: new Uint32Array(n) };
    const ends = { es: new Uint32Array(n), ef: new Float32Array(n) };
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const start = at(s.start_ms, i);
      const stop = at(s.stop_ms, i);
      if (stop < start) throw invalid(`stimulus.stop_ms (neuron ${i})`, stop, `≥ start_ms (${start})`);
      const x = windowInputs(start, stop);
      cols.kOn[i] = x.kOn;
      cols.kOff[i] = x.kOff;
      for (const key of ["kOnHalf", "kOffHalf", "kOnEnd", "kOffEnd"] as const) sampled[key][i] = x[key];
      cols.ws[i] = x.ws;
      cols.wf[i] = x.wf;
      ends.es[i] = x.es;
      ends.ef[i] = x.ef;
      w[i] = stop - start;
    }
    columns.set("kOn", cols.kOn).set("kOff", cols.kOff).set("winStartStep", cols.ws).set("winStartFrac", cols.wf);
    for (const [key, v] of Object.entries(sampled)) columns.set(key, v);
    columns.set("winStopStep", ends.es).set("winStopFrac", ends.ef);
    window_ms = w;
  } else {
    const start = s.start_ms as number;
    const stop = s.stop_ms as number;
    if (stop < start) throw invalid("stimulus.stop_ms", stop, `≥ start_ms (${start})`);
    const x = windowInputs(start, stop);
    uniform.set("kOn", x.kOn).set("kOff", x.kOff).set("winStartStep", x.ws).set("winStartFrac", x.wf);
    uniform.set("kOnHalf", x.kOnHalf).set("kOffHalf", x.kOffHalf).set("kOnEnd", x.kOnEnd).set("kOffEnd", x.kOffEnd);
    uniform.set("winStopStep", x.es).set("winStopFrac", x.ef);
    window_ms = stop - start;
  }
  uniform.set("dt", dt).set("threshold", threshold);

  const perDispatch = job.maxNeuronStepsPerDispatch ?? 2e10;
  if (!(perDispatch >= 1)) throw invalid("maxNeuronStepsPerDispatch", perDispatch, "a number ≥ 1");
  const target = job.dispatchTarget_ms ?? 200;
  if (!(target > 0)) throw invalid("dispatchTarget_ms", target, "a positive number of ms");
  const perSlice = job.maxNeuronsPerSlice ?? Number.POSITIVE_INFINITY;
  if (!(perSlice >= 1)) throw invalid("maxNeuronsPerSlice", perSlice, "a number ≥ 1");
  const order = kernelInputs(model);
  return {
    model,
    method,
    n,
    steps,
    dt_ms: dt,
    threshold_mV: threshold,
    perNeuron: new Set(order.filter((name) => columns.has(name))),
    constants,
    shifted: new Set(
      compiled.gates
        .filter((g) => columns.has(shiftParameter(g.name)) || uniform.get(shiftParameter(g.name)) !== g.vShift)
        .map((g) => g.name),
    ),
    uniform,
    columns,
    window_ms,
    start_ms: s.start_ms,
    maxNeuronStepsPerDispatch: perDispatch,
    dispatchTarget_ms: target,
    maxNeuronsPerSlice: Math.floor(perSlice),
  };
}

/** The run-wide `consts` buffer of a kernel layout: f32 values, u32 inputs as bit patterns. */
export function constsBuffer(job: PackedJob, names: readonly string[]): Float32Array<ArrayBuffer> {
  const out = new Float32Array(Math.max(1, names.length));
  const bits = new Uint32Array(out.buffer);
  names.forEach((name, j) => {
    const v = job.uniform.get(name);
    if (v === undefined) throw new Error(`internal: no run-wide value for GPU input ${name}`);
    if (INTEGER_INPUTS.has(name)) bits[j] = v;
    else out[j] = v;
  });
  return out;
}

/** The `cols` buffer for neurons [from, from + m): column c of neuron i at c·m + (i − from). */
export function columnsBuffer(job: PackedJob, names: readonly string[], from: number, m: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(Math.max(1, names.length * m));
  const bits = new Uint32Array(out.buffer);
  names.forEach((name, c) => {
    const v = job.columns.get(name);
    if (v === undefined) throw new Error(`internal: no per-neuron values for GPU input ${name}`);
    const target = INTEGER_INPUTS.has(name) ? bits : out;
    const base = c * m;
    if (ArrayBuffer.isView(v) && !INTEGER_INPUTS.has(name)) target.set((v as Float64Array).subarray(from, from + m), base);
    else for (let i = 0; i < m; i++) target[base + i] = v[from + i] as number;
  });
  return out;
}
