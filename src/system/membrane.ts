import type { OdeSystem } from "../integrators/types.js";
import { type ParameterValues, resolveParameters } from "../models/parameters.js";
import { rateFunction } from "../models/rates.js";
import type { NeuronModel } from "../models/types.js";
import type { Stimulus } from "../stimulus/types.js";
import type { MV, PerMs } from "../units.js";

/**
 * A model × N neurons as one flat ODE system. The state is one Float64Array, variable-major:
 * y[k·N + i] is variable k of neuron i, with k = 0 the membrane potential V (mV) and
 * k = 1… the gates in channel order (for the HH models: V, m, h, n).
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
}

export interface MembraneOptions {
  readonly model: NeuronModel;
  readonly n: number;
  readonly stimulus: Stimulus;
  readonly parameters?: ParameterValues;
}

const power = (x: number, p: number): number => (p === 1 ? x : p === 2 ? x * x : p === 3 ? x * x * x : p === 4 ? x * x * (x * x) : x ** p);

/** Compiles a declarative model into a batched system for n neurons. */
export function membraneSystem({ model, n, stimulus, parameters = {} }: MembraneOptions): MembraneSystem {
  const params = resolveParameters(model, parameters, n);
  const get = (name: string) => params.get(name) as Float64Array;
  const gates = model.channels.flatMap((c) => c.gates);
  const G = gates.length;
  const alphaFns = gates.map((g) => rateFunction(g.alpha));
  const betaFns = gates.map((g) => rateFunction(g.beta));
  const channels = model.channels.map((c) => ({
    g: get(`g${c.name}`),
    e: get(`E${c.name}`),
    // state index (1-based: V is 0) and power of each gate of this channel
    gates: c.gates.map((gate) => ({ k: 1 + gates.indexOf(gate), p: gate.power })),
  }));
  const C = channels.length;
  const cm = get("Cm");
  // temperature factor per neuron
  const phi = new Float64Array(n).fill(1);
  if (model.temperature) {
    const { q10, reference_celsius } = model.temperature;
    const celsius = get("celsius");
    for (let i = 0; i < n; i++) phi[i] = q10 ** (((celsius[i] as number) - reference_celsius) / 10);
  }
  const current = new Float64Array(n);

  const openFraction = (y: Float64Array, c: (typeof channels)[number], i: number): number => {
    let open = 1;
    for (const { k, p } of c.gates) open *= power(y[k * n + i] as number, p);
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
      for (let i = 0; i < n; i++) {
        const v = y[i] as MV;
        const f = phi[i] as number;
        for (let g = 0; g < G; g++) {
          const j = (g + 1) * n + i;
          const a: PerMs = (alphaFns[g] as (v: MV) => PerMs)(v) * f;
          const b: PerMs = (betaFns[g] as (v: MV) => PerMs)(v) * f;
          // the lab's form: dx/dt = −(1/τ)(x − x∞), τ = 1/(α+β), x∞ = α/(α+β)
          const s = a + b;
          dydt[j] = -(1 / (1 / s)) * ((y[j] as number) - a / s);
        }
        let dv = current[i] as number;
        for (let c = 0; c < C; c++) {
          const ch = channels[c] as (typeof channels)[number];
          dv -= (ch.g[i] as number) * openFraction(y, ch, i) * (v - (ch.e[i] as number));
        }
        dydt[i] = dv / (cm[i] as number);
      }
    },

    gateRates(y, alpha, beta) {
      for (let g = 0; g < G; g++) {
        const af = alphaFns[g] as (v: MV) => PerMs;
        const bf = betaFns[g] as (v: MV) => PerMs;
        for (let i = 0; i < n; i++) {
          const v = y[i] as number;
          const f = phi[i] as number;
          alpha[g * n + i] = af(v) * f;
          beta[g * n + i] = bf(v) * f;
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
      for (let j = 0; j < G * n; j++) y[n + j] = (a[j] as number) / ((a[j] as number) + (b[j] as number));
      return y;
    },
  };
  return system;
}
