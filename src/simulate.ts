import { DivergenceError, invalid } from "./errors.js";
import { getMethod } from "./integrators/registry.js";
import { resolveModel } from "./models/index.js";
import type { NeuronModel } from "./models/types.js";
import { SpikeDetector, type SpikeRecord } from "./record/spikes.js";
import { TraceRecorder } from "./record/traces.js";
import { parseSimulationSpec, type SimulationSpecInput, type SimulationSpecResolved } from "./spec.js";
import { noStimulus, stepCurrent } from "./stimulus/step.js";
import { type MembraneSystem, membraneSystem } from "./system/membrane.js";
import type { Ms } from "./units.js";

export interface SimulationResult {
  /** The validated spec with defaults filled in. */
  readonly spec: SimulationSpecResolved;
  readonly model: NeuronModel;
  /** Number of neurons in the batch. */
  readonly n: number;
  /** Number of integration steps (duration / dt, rounded). */
  readonly steps: number;
  /** Sample times (ms) of the traces. */
  readonly t_ms: Float64Array;
  /** traces[variable][r] is the trace of neuron `recordedNeurons[r]`. */
  readonly traces: Readonly<Record<string, Float64Array[]>>;
  readonly recordedNeurons: readonly number[];
  readonly spikes: SpikeRecord;
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
  check("stimulus.amplitude_uA_per_cm2", spec.stimulus?.amplitude_uA_per_cm2);
  for (const [k, v] of Object.entries(spec.parameters)) check(`parameters.${k}`, v);
  return n || 1;
}

/** Integer number of steps for a duration, rejecting a dt that does not divide it (to 1e-9 relative). */
export function stepCount(duration: Ms, dt: Ms, what = "dt_ms"): number {
  const steps = Math.round(duration / dt);
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
  const stimulus = s ? stepCurrent({ amplitude: s.amplitude_uA_per_cm2, start: s.start_ms, stop: s.stop_ms }, n) : noStimulus;
  return membraneSystem({ model, n, stimulus, parameters: spec.parameters });
}

const physicalV = 1000; // mV: beyond this a membrane potential is not physiological

/** Throws a DivergenceError naming time, neuron, variable, method and dt if y is non-finite or V unphysical. */
function checkState(y: Float64Array, system: MembraneSystem, t: Ms, method: string, dt: Ms): void {
  const n = system.n;
  for (let j = 0; j < y.length; j++) {
    const x = y[j] as number;
    if (Number.isFinite(x) && (j >= n || Math.abs(x) < physicalV)) continue;
    const name = system.names[Math.floor(j / n)];
    throw new DivergenceError(
      `simulation diverged at t = ${t} ms in neuron ${j % n}: ${name} = ${x} (method ${method}, dt ${dt} ms); ` +
        `use a smaller dt (e.g. ${dt / 4} ms) or a stabler method (exp-euler, backward-euler, rk45)`,
    );
  }
}

/**
 * Runs one simulation (one neuron or a batch) described by a plain spec.
 * Time is t_k = k·dt, k = 0…steps; the stimulus is sampled at t_k (the lab's convention).
 */
export function simulate(input: SimulationSpecInput): SimulationResult {
  const spec = parseSimulationSpec(input);
  const model = resolveModel(spec.model);
  const method = getMethod(spec.method);
  const dt = spec.dt_ms;
  const steps = stepCount(spec.duration_ms, dt);
  if (spec.stimulus && spec.stimulus.start_ms > spec.duration_ms) {
    throw invalid("stimulus.start_ms", spec.stimulus.start_ms, `a time within the run [0, ${spec.duration_ms}] ms`);
  }
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
  const traces = new TraceRecorder(system, variables, neurons, samples);
  const spikes = new SpikeDetector(n, spec.spike_threshold_mV);

  const y = system.initialState();
  const stepper = method.create(system);
  traces.record(0, y);
  for (let k = 0; k < steps; k++) {
    const t = k * dt;
    spikes.before(y);
    stepper.step(t, dt, y);
    checkState(y, system, (k + 1) * dt, method.name, dt);
    spikes.after(t, dt, y);
    if ((k + 1) % every === 0) traces.record((k + 1) * dt, y);
  }
  return {
    spec,
    model,
    n,
    steps,
    t_ms: traces.t,
    traces: traces.data,
    recordedNeurons: neurons,
    spikes: spikes.result(),
  };
}
