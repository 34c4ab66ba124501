import { DivergenceError, invalid, ResourceLimitError } from "./errors.js";
import { getMethod } from "./integrators/registry.js";
import { type AdaptiveStepper, StepSizeUnderflow } from "./integrators/types.js";
import { checkNeuronSteps } from "./limits.js";
import { resolveModel } from "./models/index.js";
import type { NeuronModel } from "./models/types.js";
import { BOUNDS } from "./program/bounds.js";
import { checkMemory, estimateMemory, formatBytes, type MemoryEstimate } from "./record/budget.js";
import { SpikeDetector, type SpikeRecord } from "./record/spikes.js";
import { DEFAULT_CHUNK_SAMPLES, TraceRecorder, type TraceSink } from "./record/traces.js";
import { parseSimulationSpec, type SimulationSpecInput, type SimulationSpecResolved } from "./spec.js";
import { pulseCurrent } from "./stimulus/pulses.js";
import { noStimulus, stepCurrent } from "./stimulus/step.js";
import { type MembraneSystem, membraneSystem } from "./system/membrane.js";
import type { Ms } from "./units.js";
import { fusedRunner } from "./wasm/run.js";

export interface SimulationResult {
  /** The validated spec with defaults filled in. */
  readonly spec: SimulationSpecResolved;
  readonly model: NeuronModel;
  /** Number of neurons in the batch. */
  readonly n: number;
  /** Number of integration steps (duration / dt, rounded). */
  readonly steps: number;
  /** Trace samples recorded per variable and neuron (kept in t_ms and traces, or streamed to the sink). */
  readonly samples: number;
  /** The memory the run was estimated to hold (checked against memory_limit_MiB before it started). */
  readonly memory: MemoryEstimate;
  /** Sample times (ms) of the traces (empty when they were streamed to a sink). */
  readonly t_ms: Float64Array;
  /** traces[variable][r] is the trace of neuron `recordedNeurons[r]`. */
  readonly traces: Readonly<Record<string, Float64Array[]>>;
  readonly recordedNeurons: readonly number[];
  readonly spikes: SpikeRecord;
  /** Step statistics: fixed-step methods accept every step and reject none. */
  readonly stats: StepStats;
}

export interface StepStats {
  readonly method: string;
  readonly accepted_steps: number;
  readonly rejected_steps: number;
  /** Right-hand-side evaluations of adaptive methods (0 for fixed-step ones). */
  readonly evaluations: number;
}

/** The number of neurons a spec describes: the length of its per-neuron arrays (all equal), or 1. */
export function batchSize(spec: SimulationSpecResolved): number {
  let n = 0;
  const check = (what: string, v: number | number[] | undefined) => {
    if (!Array.isArray(v)) return;
    if (n && v.length !== n)
      throw invalid(`${what} (one value per neuron)`, `${v.length} values`, `${n} values like the other per-neuron arrays`);
    n = v.length;
  };
  const s = spec.stimulus;
  if (s?.type === "pulses") {
    s.pulses.forEach((p, k) => {
      check(`stimulus.pulses.${k}.start_ms`, p.start_ms);
      check(`stimulus.pulses.${k}.amplitude_uA_per_cm2`, p.amplitude_uA_per_cm2);
    });
  } else check("stimulus.amplitude_uA_per_cm2", s?.amplitude_uA_per_cm2);
  for (const [k, v] of Object.entries(spec.parameters)) check(`parameters.${k}`, v);
  return n || 1;
}

/** Integer number of steps for a duration, rejecting a dt that does not divide it (to 1e-9 relative). */
export function stepCount(duration: Ms, dt: Ms, what = "dt_ms"): number {
  const steps = Math.round(duration / dt);
  if (!(steps <= Number.MAX_SAFE_INTEGER)) {
    throw invalid(
      what,
      dt,
      `a step that cuts duration_ms (${duration}) into at most 2^53 steps (≥ ${duration / Number.MAX_SAFE_INTEGER} ms)`,
    );
  }
  if (steps < 1 || Math.abs(steps * dt - duration) > 1e-9 * duration) {
    const nice = [0.1, 0.05, 0.025, 0.02, 0.01, 0.005, 0.0025, 0.001].find(
      (d) => d <= dt && Math.abs(Math.round(duration / d) * d - duration) < 1e-9 * duration,
    );
    throw invalid(
      what,
      dt,
      `a positive number of ms that divides duration_ms (${duration}) into whole steps${nice ? `, e.g. ${nice}` : ""}`,
    );
  }
  return steps;
}

/** Builds the batched membrane system a spec describes. */
export function systemFor(spec: SimulationSpecResolved, model: NeuronModel = resolveModel(spec.model)): MembraneSystem {
  const n = batchSize(spec);
  const s = spec.stimulus;
  const stimulus = !s
    ? noStimulus
    : s.type === "pulses"
      ? pulseCurrent(
          s.pulses.map((p) => ({ start: p.start_ms, duration: p.duration_ms, amplitude: p.amplitude_uA_per_cm2 })),
          n,
        )
      : stepCurrent({ amplitude: s.amplitude_uA_per_cm2, start: s.start_ms, stop: s.stop_ms }, n);
  return membraneSystem({ model, n, stimulus, parameters: spec.parameters });
}

const { vAbsBelow, gateAbove, gateBelow, concAbsBelow } = BOUNDS;

/** The DivergenceError for state component j of a membrane system. */
function divergence(system: MembraneSystem, j: number, value: number, t: Ms, method: string, dt: Ms, why: string): DivergenceError {
  const n = system.n;
  const neuron = j % n;
  const variable = system.names[Math.floor(j / n)] ?? `y[${j}]`;
  const advice =
    method === "rk45"
      ? "tighten rtol/atol (e.g. --rtol 1e-8) or check the parameters"
      : `use a smaller dt (e.g. ${dt / 4} ms) or a stabler method (exp-euler, backward-euler, rk45)`;
  return new DivergenceError(
    `simulation diverged at t = ${+t.toPrecision(12)} ms in neuron ${neuron}: ${variable} = ${value} ${why} (method ${method}, dt ${dt} ms); ${advice}`,
    { t_ms: t, neuron, variable, value, method, dt_ms: dt },
  );
}

/**
 * Throws a DivergenceError naming time, neuron, variable, method and dt if y is non-finite or outside
 * the program's bounds (BOUNDS). Called after every step, so no non-finite value ever reaches a trace.
 */
function checkState(y: Float64Array, system: MembraneSystem, t: Ms, method: string, dt: Ms): void {
  const n = system.n;
  // V, then the gates, then the concentrations (mM)
  const gatesEnd = (1 + system.gateCount) * n;
  let ok = true;
  for (let j = 0; j < n; j++) ok = ok && Math.abs(y[j] as number) < vAbsBelow;
  for (let j = n; j < gatesEnd; j++) ok = ok && (y[j] as number) > gateAbove && (y[j] as number) < gateBelow;
  for (let j = gatesEnd; j < y.length; j++) ok = ok && Math.abs(y[j] as number) < concAbsBelow;
  if (ok) return;
  for (let j = 0; j < y.length; j++) {
    const x = y[j] as number;
    if (j < n ? Math.abs(x) < vAbsBelow : j < gatesEnd ? x > gateAbove && x < gateBelow : Math.abs(x) < concAbsBelow) continue;
    const why = !Number.isFinite(x)
      ? "(not finite)"
      : j < n
        ? `(|V| ≥ ${vAbsBelow} mV)`
        : j < gatesEnd
          ? `(a gate outside [${gateAbove}, ${gateBelow}])`
          : `(a concentration with |C| ≥ ${concAbsBelow} mM)`;
    throw divergence(system, j, x, t, method, dt, why);
  }
}

/** Options of a run that are not part of its (JSON) spec. */
export interface SimulateOptions {
  /**
   * Stream the traces here in chunks instead of keeping them: memory stays bounded for a run of
   * any length (the result's t_ms and traces are then empty; `samples` says how many were written).
   */
  readonly sink?: TraceSink;
  /** Samples per chunk when streaming (default 4096). */
  readonly chunkSamples?: number;
}

/**
 * Runs one simulation (one neuron or a batch) described by a plain spec.
 * Time is t_k = k·dt, k = 0…steps; the stimulus is sampled at t_k (the lab's convention).
 * Everything is checked before the run starts: the spec, the model and its parameters, the recorded
 * variables and neurons, and the memory the recording needs (a ResourceLimitError, with the numbers
 * and the ways out, when it exceeds memory_limit_MiB; nothing is allocated first).
 */
export function simulate(input: SimulationSpecInput, options: SimulateOptions = {}): SimulationResult {
  const spec = parseSimulationSpec(input);
  const model = resolveModel(spec.model);
  const method = getMethod(spec.method);
  const dt = spec.dt_ms;
  const steps = stepCount(spec.duration_ms, dt);
  const system = systemFor(spec, model);
  const n = system.n;

  const available = TraceRecorder.available(system);
  const variables = spec.record.variables ?? system.names;
  for (const v of variables) if (!available.includes(v)) throw invalid("record.variables entry", v, `one of ${available.join(", ")}`);
  const neurons = spec.record.neurons ?? Array.from({ length: n }, (_, i) => i);
  for (const i of neurons) if (i >= n) throw invalid("record.neurons entry", i, `a neuron index in [0, ${n - 1}]`);
  const every = spec.record.sample_ms === undefined ? 1 : Math.round(spec.record.sample_ms / dt);
  if (every < 1 || Math.abs(every * dt - (spec.record.sample_ms ?? dt)) > 1e-9 * dt) {
    throw invalid("record.sample_ms", spec.record.sample_ms, `a whole multiple of dt_ms (${dt})`);
  }
  const samples = variables.length && neurons.length ? Math.floor(steps / every) + 1 : 0;
  const { sink } = options;
  const chunk = sink ? Math.max(1, Math.floor(options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES)) : undefined;
  const memory = estimateMemory({
    samples,
    variables: variables.length,
    neurons: neurons.length,
    stateSize: system.size,
    limit_MiB: spec.memory_limit_MiB,
    ...(chunk === undefined ? {} : { chunk }),
  });
  checkMemory(memory, { steps, dt_ms: dt, every });
  checkNeuronSteps(
    n * steps,
    spec.max_neuron_steps,
    `duration_ms / dt_ms (--duration-ms ${spec.duration_ms} / --dt-ms ${spec.dt_ms}) × ${n} neuron${n === 1 ? "" : "s"}`,
  );

  let traces: TraceRecorder;
  try {
    traces = new TraceRecorder(system, variables, neurons, samples, sink, chunk);
  } catch (e) {
    // the estimate fitted the limit but the machine refused the memory (a limit set above what it has)
    if (e instanceof RangeError) {
      throw new ResourceLimitError(
        `record: the machine could not allocate ${formatBytes(memory.trace_bytes)} of traces (memory_limit_MiB ${spec.memory_limit_MiB} is more than it has); record less (--sample-ms, --record) or stream to a file (--csv)`,
      );
    }
    throw e;
  }
  const spikes = new SpikeDetector(n, spec.spike_threshold_mV);
  let stats: StepStats;
  try {
    const y = system.initialState();
    traces.record(0, y);
    if (method.createAdaptive) {
      stats = runAdaptive(spec, system, y, traces, spikes, every * dt, samples);
    } else {
      // spikes only: the whole run in the method's fused WebAssembly kernel where it applies
      const fused = samples === 0 ? fusedRunner(system, method.name, spec.fast_math, steps) : undefined;
      const done = fused?.run(y, steps, dt, spec.spike_threshold_mV, (i, t) => spikes.record(i, t)) ?? false;
      if (fused && !done) {
        // a state left the physical range: rerun step by step, which reports where and how
        y.set(system.initialState());
        spikes.reset();
      }
      const stepper = method.create(system);
      for (let k = 0; k < (done ? 0 : steps); k++) {
        const t = k * dt;
        spikes.before(y);
        stepper.step(t, dt, y);
        checkState(y, system, (k + 1) * dt, method.name, dt);
        spikes.after(t, dt, y);
        if ((k + 1) % every === 0) traces.record((k + 1) * dt, y);
      }
      stats = { method: method.name, accepted_steps: steps, rejected_steps: 0, evaluations: 0 };
    }
    traces.flush();
  } catch (e) {
    sink?.abort?.();
    throw e;
  }
  sink?.close?.();
  const kept = !sink;
  return {
    spec,
    model,
    n,
    steps,
    samples: traces.recorded,
    memory,
    t_ms: kept ? traces.t : new Float64Array(0),
    traces: kept ? traces.data : Object.fromEntries(variables.map((v) => [v, neurons.map(() => new Float64Array(0))])),
    recordedNeurons: neurons,
    spikes: spikes.result(),
    stats,
  };
}

/**
 * The adaptive run loop: steps of the method's own choosing, landing exactly on every stimulus
 * breakpoint (restarting there, as f jumps), traces sampled at t = s·sample_ms by dense output, spike
 * crossings located within the step by bisection on the dense output of V.
 */
function runAdaptive(
  spec: SimulationSpecResolved,
  system: MembraneSystem,
  y: Float64Array,
  traces: TraceRecorder,
  spikes: SpikeDetector,
  sample_ms: Ms,
  samples: number,
): StepStats {
  const method = getMethod(spec.method);
  const create = method.createAdaptive as NonNullable<typeof method.createAdaptive>;
  const tol = { rtol: spec.rtol, atol: spec.atol, ...(spec.max_step_ms ? { maxStep: spec.max_step_ms } : {}) };
  const stepper = create(system, tol);
  const n = system.n;
  const duration = spec.duration_ms;
  const theta = spec.spike_threshold_mV;
  // breakpoints closer than 1e-12·duration to the previous one or to the end are merged into it: a step
  // that short underflows (found by the property tests: a step starting 5e-14 ms before the end)
  const gap = 1e-12 * duration;
  const ends: Ms[] = [];
  for (const b of [...system.stimulus.breakpoints].sort((a, b) => a - b)) {
    if (b > gap + (ends.at(-1) ?? 0) && b < duration - gap) ends.push(b);
  }
  ends.push(duration);
  const vPrev = new Float64Array(n);
  const ySample = new Float64Array(y.length);
  let s = 1; // next trace sample
  let t = 0;
  stepper.restart(0, y);
  try {
    for (const end of ends) {
      while (t < end) {
        vPrev.set(y.subarray(0, n));
        const t0 = t;
        t = stepper.advance(end, y);
        checkState(y, system, t, method.name, spec.dt_ms);
        for (let i = 0; i < n; i++) {
          const a = vPrev[i] as number;
          if (a < theta && (y[i] as number) >= theta) spikes.record(i, crossing(stepper, i, theta, t0, t));
        }
        for (; s < samples; s++) {
          const ts = s === samples - 1 && t === duration ? Math.min(s * sample_ms, t) : s * sample_ms;
          if (ts > t) break;
          stepper.dense(ts, ySample);
          traces.record(ts, ySample);
        }
      }
      if (end < duration) stepper.restart(end, y);
    }
  } catch (e) {
    if (e instanceof StepSizeUnderflow) {
      const j = e.component;
      throw divergence(system, j, y[j] as number, e.t, method.name, spec.dt_ms, `(step size fell to ${e.h} ms)`);
    }
    throw e;
  }
  return { method: method.name, accepted_steps: stepper.accepted, rejected_steps: stepper.rejected, evaluations: stepper.evaluations };
}

/** The time in [t0, t1] where the dense V of neuron i crosses θ upwards (bisection to ~1e-13 ms). */
function crossing(stepper: AdaptiveStepper, i: number, theta: number, t0: Ms, t1: Ms): Ms {
  let lo = t0;
  let hi = t1;
  for (let it = 0; it < 60 && hi - lo > 1e-13; it++) {
    const mid = (lo + hi) / 2;
    if (stepper.denseComponent(i, mid) < theta) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
