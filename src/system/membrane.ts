import { invalid } from "../errors.js";
import type { OdeSystem, Stepper } from "../integrators/types.js";
import { type CompiledGate, type CompiledModel, compileModel, restingPotential, shiftParameter } from "../models/compile.js";
import { type CompiledIon, ghkVoltageScale_mV, nernstFactor_mV } from "../models/ions.js";
import { type ParameterValues, resolveParameters, scaleParameter } from "../models/parameters.js";
import type { NeuronModel } from "../models/types.js";
import { conductanceBlock, currentsBlock, PROGRAM_METHODS, ratesBlock, stepProgram } from "../program/build.js";
import { evaluateBatch } from "../program/evaluate.js";
import { compileBlock } from "../program/js.js";
import { type FusedRun, fusedRunners, type KernelInputs, sampleTime } from "../program/runners.js";
import type { Block, StepProgram } from "../program/types.js";
import type { Stimulus } from "../stimulus/types.js";

/**
 * A model × N neurons as one flat ODE system. The state is one Float64Array, variable-major:
 * y[k·N + i] is variable k of neuron i, with k = 0 the membrane potential V (mV) and
 * k = 1… the gates in channel order (for the HH models: V, m, h, n), then the concentration pools
 * (mM, in ion order, named `cai` …). Instantaneous gates
 * (x = x∞(V)) are not state variables; they enter the conductances directly. An x∞/τ gate
 * reports α = x∞/τ and β = (1 − x∞)/τ, so every state gate obeys dx/dt = α(1 − x) − βx.
 *
 * Every computation is a step program (src/program/) printed as one JavaScript loop over the
 * neurons (or, with `kernel: "declarative"`, interpreted by the reference evaluator: the same
 * numbers bit for bit). Besides f(t, y) it exposes each method's step, and the structure that
 * tests, recorders and analyses read: the gate rates α, β, the total conductance, the channel currents.
 */
export interface MembraneSystem extends OdeSystem {
  readonly model: NeuronModel;
  /** The compiled model (with this run's constants). */
  readonly compiled: CompiledModel;
  /** Number of neurons. */
  readonly n: number;
  /** State-variable names, in state order. */
  readonly names: readonly string[];
  readonly gateCount: number;
  readonly channelNames: readonly string[];
  readonly stimulus: Stimulus;
  /** Per-neuron parameter values (Cm, V0, celsius, gX, EX). */
  readonly parameters: ReadonlyMap<string, Float64Array>;
  /** The per-neuron inputs every backend reads (Cm, g and E per channel, rate factors). */
  readonly inputs: KernelInputs;
  /** The step program of a method ("derivatives", "euler", "exp-euler", "backward-euler", "rk4"). */
  program(method: string): StepProgram;
  /** One step of a method in place, from its step program (undefined for a method without one). */
  stepper(method: string): Stepper | undefined;
  /** α, β (1/ms, temperature factor applied) of every gate at V = y[0..n): written at [g·N + i]. */
  gateRates(y: Float64Array, alpha: Float64Array, beta: Float64Array): void;
  /** Σ_c g_c·open_c (mS/cm²) and Σ_c g_c·open_c·E_c (µA/cm²) for every neuron, at the gates in y. */
  conductance(y: Float64Array, gTotal: Float64Array, gE: Float64Array): void;
  /** Ionic current of each channel (µA/cm², positive outward) at [c·N + i]. */
  channelCurrents(y: Float64Array, out: Float64Array): void;
  /** Capacitance of each neuron (µF/cm²). */
  readonly cm: Float64Array;
  /** Injected current density at t (µA/cm²) for each neuron, into out. */
  injected(t: number, out: Float64Array): void;
  /** The initial state: V0, gates at their steady state at V0 and the initial concentrations, the pools at those. */
  initialState(): Float64Array<ArrayBuffer>;
  /** One forward Euler step in place (the same numbers as derivatives + update). */
  eulerStep?(t: number, dt: number, y: Float64Array): void;
  /**
   * Forward Euler over a whole run that records spikes only, in the fused runner that `simulate`
   * loads (the WebAssembly SIMD kernel), or undefined where none applies; see wasm/run.ts.
   */
  fusedEuler?(fastMath?: boolean, steps?: number): FusedRun | undefined;
}

export interface MembraneOptions {
  readonly model: NeuronModel;
  readonly n: number;
  readonly stimulus: Stimulus;
  readonly parameters?: ParameterValues;
  /**
   * `compiled` (default): every step program printed as one JavaScript loop (program/js.ts);
   * `declarative`: interpreted by the reference evaluator (program/evaluate.ts). Both give the
   * same numbers bit for bit (tested); the evaluator is the reference.
   */
  readonly kernel?: "compiled" | "declarative";
}

/** Constants overridden for this run: one value for every neuron (expressions are compiled with it). */
export function constantOverrides(model: NeuronModel, params: ReadonlyMap<string, Float64Array>): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const [name, value] of Object.entries(model.constants ?? {})) {
    const given = params.get(name) as Float64Array;
    const first = given[0] as number;
    for (let i = 1; i < given.length; i++) {
      if (given[i] !== first)
        throw invalid(`parameter ${name} (a model constant)`, Array.from(given), "one value for all neurons of a run");
    }
    if (first !== value) out = { ...(out ?? {}), [name]: first };
  }
  return out;
}

/**
 * The rate factor of a state gate for each of n neurons (f64): its constant factor × its
 * temperature factor q10^((celsius − reference)/10). The one definition both backends use.
 */
export function gateRateFactors(model: NeuronModel, gate: CompiledGate, celsius: ArrayLike<number> | undefined, n: number): Float64Array {
  const phi = new Float64Array(n).fill(gate.rateFactor);
  const t = gate.temperature ?? model.temperature;
  if (t && celsius) {
    for (let i = 0; i < n; i++) phi[i] = gate.rateFactor * t.q10 ** (((celsius[i] as number) - t.reference_celsius) / 10);
  }
  return phi;
}

/**
 * V0 = "rest": each neuron's own resting potential (f64), for its conductances and reversal
 * potentials (per channel, in channel order, one value per neuron) and gate shifts (per gate, in
 * compiled.gates order; null or absent: the model's own), into `out`. Neurons with the same channel
 * parameters share one search. The one definition both backends use.
 */
export function restingPotentials(
  compiled: CompiledModel,
  g: readonly ArrayLike<number>[],
  e: readonly ArrayLike<number>[],
  out: Float64Array,
  shift: readonly (ArrayLike<number> | null)[] = [],
): void {
  const seen = new Map<string, number>();
  const shifted = shift.some((s) => s);
  for (let i = 0; i < out.length; i++) {
    const gi = g.map((c) => c[i] as number);
    const ei = e.map((c) => c[i] as number);
    const si = shifted ? compiled.gates.map((gate, j) => (shift[j] ? (shift[j]?.[i] as number) : gate.vShift)) : undefined;
    const key = `${gi.join(",")};${ei.join(",")}${si ? `;${si.join(",")}` : ""}`;
    let rest = seen.get(key);
    if (rest === undefined) {
      rest = restingPotential(compiled, gi, ei, si);
      seen.set(key, rest);
    }
    out[i] = rest;
  }
}

/** Compiles a declarative model into a batched system for n neurons. */
export function membraneSystem({ model, n, stimulus, parameters = {}, kernel = "compiled" }: MembraneOptions): MembraneSystem {
  const params = resolveParameters(model, parameters, n);
  const get = (name: string) => params.get(name) as Float64Array;
  const compiled = compileModel(model, constantOverrides(model, params));
  // state gates (instantaneous gates are functions of V, not state variables)
  const gates = compiled.gates.filter((g) => !g.instantaneous);
  const G = gates.length;
  const P = compiled.pools.length;
  const g = model.channels.map((c) => get(scaleParameter(c)));
  const cm = get("Cm");
  // rate factor per gate and neuron: the gate's constant factor × its temperature factor
  const celsius = compiled.temperatureDependent ? get("celsius") : undefined;
  // a Nernst channel: its factor R·T/(z·F) per neuron (mV), and E at the initial concentrations
  const en = compiled.channels.map((c) => {
    if (!c.nernst) return undefined;
    const ion = compiled.ions[c.ion as number] as CompiledIon;
    return Float64Array.from(celsius as Float64Array, (t) => nernstFactor_mV(t, ion.charge));
  });
  // a GHK channel: its voltage scale R·T/(z·F) per neuron (mV), in place of E
  const e = compiled.channels.map((c, k) => {
    if (c.ghk) {
      const { faraday_C_per_mol: F, gas_constant_J_per_mol_K: R } = model.channels[k]?.ghk ?? {};
      return Float64Array.from(celsius as Float64Array, (t) => ghkVoltageScale_mV(t, (c.ghk as { charge: number }).charge, F, R));
    }
    if (!c.nernst) return get(`E${c.name}`);
    const ion = compiled.ions[c.ion as number] as CompiledIon;
    return Float64Array.from(en[k] as Float64Array, (f) => f * Math.log((ion.outside as number) / ion.inside));
  });
  const phis = gates.map((gate) => gateRateFactors(model, gate, celsius, n));
  // each gate's voltage shift: a per-neuron input only where some neuron's differs from the model's
  const shifts = compiled.gates.map((gate) => {
    const s = get(shiftParameter(gate.name));
    return s.every((x) => x === gate.vShift) ? null : s;
  });
  // V0 "rest": each neuron starts at its own resting potential unless V0 is given
  if (model.v0_mV === "rest" && !Object.hasOwn(parameters, "V0")) restingPotentials(compiled, g, e, get("V0"), shifts);
  const inputs: KernelInputs = { n, cm, g, e, phi: phis.map((p) => (p.every((x) => x === 1) ? null : p)), shift: shifts };
  const phi = inputs.phi.map((p) => p !== null);
  const shift = shifts.map((s) => s !== null);
  /** A program parameter's array: Cm, V0, g<c>, e<c>, en<c>, phi<k>, sh<j>. */
  const values = (name: string): Float64Array => {
    if (name === "Cm") return cm;
    if (name === "V0") return get("V0");
    const k = Number(name.replace(/^\D+/, ""));
    if (name.startsWith("sh")) return shifts[k] as Float64Array;
    return (name.startsWith("phi") ? phis : name.startsWith("en") ? en : name.startsWith("g") ? g : e)[k] as Float64Array;
  };
  const state = ["V", ...gates.map((_, k) => `x${k}`), ...compiled.pools.map((_, j) => `c${j}`)];
  /** A block as a function of (y, out, dt, currents…): printed JavaScript, or the reference evaluator. */
  const lower = (block: Block, blockParams: readonly string[], currents: readonly string[]) => {
    if (kernel === "compiled") return compileBlock(block, state, blockParams, currents, n, values);
    const fixed = Object.fromEntries(blockParams.map((p) => [p, values(p)]));
    return (y: Float64Array, out: Float64Array, dt: number, ...cs: Float64Array[]) => {
      const inputs = { ...fixed, dt, ...Object.fromEntries(currents.map((c, j) => [c, cs[j] as Float64Array])) };
      evaluateBatch(block, state, n, y, inputs, out);
    };
  };
  const programs = new Map<string, StepProgram>();
  const program = (method: string): StepProgram => {
    let p = programs.get(method);
    if (!p) {
      p = stepProgram(compiled, method, { phi, shift });
      programs.set(method, p);
    }
    return p;
  };
  const lowered = new Map<string, ReturnType<typeof lower>>();
  const loweredOf = (key: string, make: () => ReturnType<typeof lower>) => {
    let f = lowered.get(key);
    if (!f) {
      f = make();
      lowered.set(key, f);
    }
    return f;
  };
  const current = new Float64Array(n);
  // the structure blocks read the parameters a step reads (the derivative program's)
  const rates = () => loweredOf("rates", () => lower(ratesBlock(compiled, phi, shift), program("derivatives").params, []));
  const conduct = () => loweredOf("conductance", () => lower(conductanceBlock(compiled, phi, shift), program("derivatives").params, []));
  const currentsOut = () => loweredOf("currents", () => lower(currentsBlock(compiled, phi, shift), program("derivatives").params, []));
  let rhs: ReturnType<typeof lower> | undefined;
  const derivatives = () => {
    if (!rhs) {
      const p = program("derivatives");
      rhs = loweredOf("derivatives", () => lower(p.step, p.params, ["I"]));
    }
    return rhs;
  };
  const two = new Float64Array(2 * G * n);
  const pair = new Float64Array(2 * n);

  const steppers = new Map<string, Stepper>();
  const stepper = (method: string): Stepper | undefined => {
    if (!steppers.has(method)) {
      if (method === "derivatives" || !PROGRAM_METHODS.includes(method)) return undefined;
      const p = program(method);
      const f = loweredOf(method, () =>
        lower(
          p.step,
          p.params,
          p.currents.map((c) => c.name),
        ),
      );
      const cs = p.currents.map(() => new Float64Array(n));
      steppers.set(method, {
        name: method,
        step(t, dt, y) {
          p.currents.forEach((c, j) => {
            stimulus.sample(sampleTime(c.at, t, dt), cs[j] as Float64Array);
          });
          f(y, y, dt, ...cs);
        },
      });
    }
    return steppers.get(method);
  };

  const system: MembraneSystem = {
    model,
    compiled,
    n,
    size: (1 + G + P) * n,
    names: ["V", ...gates.map((gate) => gate.name), ...compiled.pools.map((ion) => ion.concentration)],
    gateCount: G,
    channelNames: model.channels.map((c) => c.name),
    stimulus,
    parameters: params,
    cm,
    inputs,
    program,
    stepper,

    derivatives(t, y, dydt) {
      stimulus.sample(t, current);
      derivatives()(y, dydt, 0, current);
    },

    eulerStep(t: number, dt: number, y: Float64Array) {
      (stepper("euler") as Stepper).step(t, dt, y);
    },

    fusedEuler(fastMath = false, steps = Number.POSITIVE_INFINITY) {
      return fusedRunners.current?.(system, "euler", fastMath, steps);
    },

    gateRates(y, alpha, beta) {
      rates()(y, two, 0);
      alpha.set(two.subarray(0, G * n));
      beta.set(two.subarray(G * n, 2 * G * n));
    },

    conductance(y, gTotal, gE) {
      conduct()(y, pair, 0);
      gTotal.set(pair.subarray(0, n));
      gE.set(pair.subarray(n, 2 * n));
    },

    channelCurrents(y, out) {
      currentsOut()(y, out, 0);
    },

    injected: (t, out) => stimulus.sample(t, out),

    initialState() {
      const p = program("derivatives");
      const y = new Float64Array((1 + G + P) * n);
      const init = loweredOf("init", () => lower(p.init, [...p.params, "V0"], []));
      init(y, y, 0);
      return y;
    },
  };
  return system;
}
