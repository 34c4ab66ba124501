import { invalid } from "../errors.js";
import type { OdeSystem } from "../integrators/types.js";
import { type CompiledGate, type CompiledModel, compileModel, restingPotential } from "../models/compile.js";
import { type ParameterValues, resolveParameters } from "../models/parameters.js";
import type { NeuronModel } from "../models/types.js";
import type { Stimulus } from "../stimulus/types.js";
import type { MV, PerMs } from "../units.js";
import { type FusedEuler, SHORT_RUN_NEURON_STEPS, wasmEuler } from "../wasm/run.js";
import { compileKernel, type KernelInputs } from "./kernel.js";

/**
 * A model × N neurons as one flat ODE system. The state is one Float64Array, variable-major:
 * y[k·N + i] is variable k of neuron i, with k = 0 the membrane potential V (mV) and
 * k = 1… the gates in channel order (for the HH models: V, m, h, n). Instantaneous gates
 * (x = x∞(V)) are not state variables; they enter the conductances directly. An x∞/τ gate
 * reports α = x∞/τ and β = (1 − x∞)/τ, so every state gate obeys dx/dt = α(1 − x) − βx.
 *
 * Besides f(t, y), it exposes the structure that HH-specific methods use: the gate rates
 * α, β (exponential Euler integrates each gate exactly for frozen V) and the total ionic
 * conductance (backward Euler solves the linear V equation implicitly).
 */
export interface MembraneSystem extends OdeSystem {
  readonly model: NeuronModel;
  /** Number of neurons. */
  readonly n: number;
  /** State-variable names, in state order. */
  readonly names: readonly string[];
  readonly gateCount: number;
  readonly channelNames: readonly string[];
  readonly stimulus: Stimulus;
  /** Per-neuron parameter values (Cm, V0, celsius, gX, EX). */
  readonly parameters: ReadonlyMap<string, Float64Array>;
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
  /** The initial state: V0, gates at their steady state at V0. */
  initialState(): Float64Array<ArrayBuffer>;
  /** One forward Euler step in place, fused with the derivative (the same numbers as derivatives + update). */
  eulerStep?(t: number, dt: number, y: Float64Array): void;
  /**
   * Forward Euler over a whole run that records spikes only, in the WebAssembly SIMD kernel (the
   * same numbers as eulerStep, bit for bit; with fastMath, within the tolerance test/wasm.test.ts
   * states), or undefined where it does not apply (built on first use). `steps`: how long the run
   * is, when known; a short run gets a kernel that compiles faster (see wasmEuler).
   */
  fusedEuler?(fastMath?: boolean, steps?: number): FusedEuler | undefined;
}

export interface MembraneOptions {
  readonly model: NeuronModel;
  readonly n: number;
  readonly stimulus: Stimulus;
  readonly parameters?: ParameterValues;
  /**
   * `compiled` (default): the right-hand side generated as one inlined loop (kernel.ts);
   * `declarative`: evaluated through the compiled rate functions, gate by gate. Both give the
   * same numbers bit for bit (tested); the declarative path is the reference.
   */
  readonly kernel?: "compiled" | "declarative";
}

const power = (x: number, p: number): number => (p === 1 ? x : p === 2 ? x * x : p === 3 ? x * x * x : p === 4 ? x * x * (x * x) : x ** p);

type Fn = (v: MV) => number;

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
 * potentials (per channel, in channel order, one value per neuron), into `out`. Neurons with the
 * same channel parameters share one search. The one definition both backends use.
 */
export function restingPotentials(
  compiled: CompiledModel,
  g: readonly ArrayLike<number>[],
  e: readonly ArrayLike<number>[],
  out: Float64Array,
): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < out.length; i++) {
    const gi = g.map((c) => c[i] as number);
    const ei = e.map((c) => c[i] as number);
    const key = `${gi.join(",")};${ei.join(",")}`;
    let rest = seen.get(key);
    if (rest === undefined) {
      rest = restingPotential(compiled, gi, ei);
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
  const isRates = gates.map((g) => g.kind === "rates");
  const alphaFns = gates.map((g) => (g.kind === "rates" ? (g.alpha as Fn) : (g.inf as Fn)));
  const betaFns = gates.map((g) => (g.kind === "rates" ? (g.beta as Fn) : (g.tau as Fn)));
  const channels = compiled.channels.map((c) => ({
    g: get(`g${c.name}`),
    e: get(`E${c.name}`),
    // state index (1-based: V is 0), or −1 and the steady-state function of an instantaneous gate, and the power
    gates: c.gates.map((gate) => ({ k: gate.instantaneous ? -1 : 1 + gates.indexOf(gate), steady: gate.steady, p: gate.power })),
  }));
  const C = channels.length;
  const cm = get("Cm");
  // rate factor per gate and neuron: the gate's constant factor × its temperature factor
  const celsius = compiled.temperatureDependent ? get("celsius") : undefined;
  const phis = gates.map((g) => gateRateFactors(model, g, celsius, n));
  // V0 "rest": each neuron starts at its own resting potential unless V0 is given
  if (model.v0_mV === "rest" && !Object.hasOwn(parameters, "V0")) {
    restingPotentials(
      compiled,
      channels.map((c) => c.g),
      channels.map((c) => c.e),
      get("V0"),
    );
  }
  const current = new Float64Array(n);
  const inputs: KernelInputs = {
    n,
    cm,
    g: channels.map((c) => c.g),
    e: channels.map((c) => c.e),
    phi: phis.map((p) => (p.every((x) => x === 1) ? null : p)),
  };
  const fast = kernel === "compiled" ? compileKernel(compiled, inputs) : undefined;
  const fused = new Map<string, FusedEuler | undefined>();

  const openFraction = (y: Float64Array, c: (typeof channels)[number], i: number): number => {
    let open = 1;
    for (const { k, steady, p } of c.gates) open *= power(k >= 0 ? (y[k * n + i] as number) : steady(y[i] as number), p);
    return open;
  };

  const system: MembraneSystem = {
    model,
    n,
    size: (1 + G) * n,
    names: ["V", ...gates.map((g) => g.name)],
    gateCount: G,
    channelNames: model.channels.map((c) => c.name),
    stimulus,
    parameters: params,
    cm,

    derivatives(t, y, dydt) {
      stimulus.sample(t, current);
      if (fast) {
        fast.derivatives(y, dydt, current);
        return;
      }
      for (let i = 0; i < n; i++) {
        const v = y[i] as MV;
        for (let g = 0; g < G; g++) {
          const j = (g + 1) * n + i;
          const f = (phis[g] as Float64Array)[i] as number;
          if (isRates[g]) {
            const a: PerMs = (alphaFns[g] as Fn)(v) * f;
            const b: PerMs = (betaFns[g] as Fn)(v) * f;
            // the lab's form: dx/dt = −(1/τ)(x − x∞), τ = 1/(α+β), x∞ = α/(α+β)
            const s = a + b;
            dydt[j] = -(1 / (1 / s)) * ((y[j] as number) - a / s);
          } else {
            // dx/dt = (x∞ − x)·φ/τ
            dydt[j] = (((alphaFns[g] as Fn)(v) - (y[j] as number)) * f) / (betaFns[g] as Fn)(v);
          }
        }
        let dv = current[i] as number;
        for (let c = 0; c < C; c++) {
          const ch = channels[c] as (typeof channels)[number];
          dv -= (ch.g[i] as number) * openFraction(y, ch, i) * (v - (ch.e[i] as number));
        }
        dydt[i] = dv / (cm[i] as number);
      }
    },

    ...(fast
      ? {
          eulerStep(t: number, dt: number, y: Float64Array) {
            stimulus.sample(t, current);
            fast.eulerStep(y, dt, current);
          },
          fusedEuler(fastMath = false, steps = Number.POSITIVE_INFINITY) {
            const short = n * steps < SHORT_RUN_NEURON_STEPS;
            const key = `${fastMath} ${short}`;
            if (!fused.has(key)) fused.set(key, wasmEuler(compiled, inputs, stimulus, fast.source, fastMath, short));
            return fused.get(key);
          },
        }
      : {}),

    gateRates(y, alpha, beta) {
      for (let g = 0; g < G; g++) {
        const af = alphaFns[g] as Fn;
        const bf = betaFns[g] as Fn;
        const phi = phis[g] as Float64Array;
        if (isRates[g]) {
          for (let i = 0; i < n; i++) {
            const v = y[i] as number;
            const f = phi[i] as number;
            alpha[g * n + i] = af(v) * f;
            beta[g * n + i] = bf(v) * f;
          }
        } else {
          // α = x∞/τ, β = (1 − x∞)/τ, with τ divided by the rate factor
          for (let i = 0; i < n; i++) {
            const v = y[i] as number;
            const x = af(v);
            const rate = (phi[i] as number) / bf(v);
            alpha[g * n + i] = x * rate;
            beta[g * n + i] = (1 - x) * rate;
          }
        }
      }
    },

    conductance(y, gTotal, gE) {
      gTotal.fill(0, 0, n);
      gE.fill(0, 0, n);
      for (const ch of channels) {
        for (let i = 0; i < n; i++) {
          const g = (ch.g[i] as number) * openFraction(y, ch, i);
          gTotal[i] = (gTotal[i] as number) + g;
          gE[i] = (gE[i] as number) + g * (ch.e[i] as number);
        }
      }
    },

    channelCurrents(y, out) {
      for (let c = 0; c < C; c++) {
        const ch = channels[c] as (typeof channels)[number];
        for (let i = 0; i < n; i++) {
          out[c * n + i] = (ch.g[i] as number) * openFraction(y, ch, i) * ((y[i] as number) - (ch.e[i] as number));
        }
      }
    },

    injected: (t, out) => stimulus.sample(t, out),

    initialState() {
      const y = new Float64Array((1 + G) * n);
      const v0 = get("V0");
      y.set(v0, 0);
      const a = new Float64Array(G * n);
      const b = new Float64Array(G * n);
      system.gateRates(y, a, b);
      for (let g = 0; g < G; g++) {
        const inf = alphaFns[g] as Fn;
        for (let i = 0; i < n; i++) {
          const j = g * n + i;
          y[n + j] = isRates[g] ? (a[j] as number) / ((a[j] as number) + (b[j] as number)) : inf(v0[i] as number);
        }
      }
      return y;
    },
  };
  return system;
}
