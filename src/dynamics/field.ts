/**
 * The one adapter between a spikelab model and the dynamics code: a model with its parameter values
 * becomes a vector field f(x) on the state x = (V, state gates…) with its Jacobian. Everything in
 * src/dynamics reaches the model's equations only through this file (a change of the engine's
 * internals touches this file alone). It reads the model through the public, stable path: the
 * compiled model's rate functions (compileModel) and the parameter table (modelParameters).
 *
 * The equations are the membrane system's (src/system/membrane.ts): C dV/dt = I − Σ g·Πxᵖ·(V − E),
 * dx/dt = φ(α(1 − x) − βx) for a rates gate, φ(x∞ − x)/τ for an x∞/τ gate, instantaneous gates at x∞(V),
 * φ = the gate's rate factor × q10^((celsius − reference)/10).
 */
import { invalid } from "../errors.js";
import { type CompiledGate, type CompiledModel, compileModel } from "../models/compile.js";
import { modelParameters } from "../models/parameters.js";
import type { NeuronModel } from "../models/types.js";

type Fn = (v: number) => number;

/** The name of the injected current (µA/cm²) among the parameters of a field. */
export const CURRENT = "I";

/** A model at fixed parameter values as an autonomous vector field. */
export interface VectorField {
  readonly model: NeuronModel;
  /** State size: 1 + the number of state gates. */
  readonly n: number;
  /** State names: V, then the state gates in channel order. */
  readonly names: readonly string[];
  /** The parameter values in force (I, Cm, celsius, g…, E…, constants). */
  readonly parameters: Readonly<Record<string, number>>;
  /** f(x) into out (mV/ms for V, 1/ms for gates). */
  rhs(x: ArrayLike<number>, out: Float64Array): void;
  /** ∂f/∂x at x into J, row-major n×n (analytic in the states; dα/dV etc. by a 4th-order central difference). */
  jacobian(x: ArrayLike<number>, J: Float64Array): void;
  /** The state with every gate at its steady state at V. */
  steadyState(v: number): Float64Array;
  /** Σ g·Πx∞(V)ᵖ·(V − E) (µA/cm²): the ionic current with every gate at steady state; equilibria solve I = this. */
  steadyCurrent(v: number): number;
}

interface StateGate {
  readonly k: number;
  readonly rates: boolean;
  readonly a: Fn;
  readonly b: Fn;
  readonly phi: number;
}

interface ChannelTerm {
  readonly g: number;
  readonly e: number;
  /** State gates: index into x and power; instantaneous gates: steady-state function and power. */
  readonly state: readonly { readonly k: number; readonly p: number }[];
  readonly inst: readonly { readonly f: Fn; readonly p: number }[];
}

const H = 1e-3;
/** dF/dV by the 4th-order central difference (truncation ~ (h/10 mV)⁴, rounding ~ 1e-13 relative). */
const deriv = (f: Fn, v: number): number => (f(v - 2 * H) - 8 * f(v - H) + 8 * f(v + H) - f(v + 2 * H)) / (12 * H);

const compiledCache = new WeakMap<NeuronModel, Map<string, CompiledModel>>();

function compiledFor(model: NeuronModel, constants: Record<string, number>): CompiledModel {
  const own = model.constants ?? {};
  const changed = Object.keys(own).some((k) => constants[k] !== own[k]);
  if (!changed) return compileModel(model);
  let byKey = compiledCache.get(model);
  if (!byKey) {
    byKey = new Map();
    compiledCache.set(model, byKey);
  }
  const key = JSON.stringify(constants);
  let c = byKey.get(key);
  if (!c) {
    if (byKey.size > 64) byKey.clear();
    c = compileModel(model, constants);
    byKey.set(key, c);
  }
  return c;
}

/** The parameter names a field accepts: I (µA/cm²) and the model's parameters other than V0. */
export function fieldParameterNames(model: NeuronModel): string[] {
  return [CURRENT, ...modelParameters(model).map((p) => p.name)].filter((n) => n !== "V0");
}

/** The default parameter values of a model, with I = 0. */
export function defaultParameters(model: NeuronModel): Record<string, number> {
  const out: Record<string, number> = { [CURRENT]: 0 };
  for (const p of modelParameters(model)) if (p.name !== "V0") out[p.name] = p.value;
  return out;
}

/** The vector field of `model` at its default parameters overridden by `overrides` (I defaults to 0). */
export function vectorField(model: NeuronModel, overrides: Readonly<Record<string, number>> = {}): VectorField {
  const params = defaultParameters(model);
  for (const [k, v] of Object.entries(overrides)) {
    if (!Object.hasOwn(params, k)) throw invalid(`parameter name for model "${model.name}"`, k, `one of ${Object.keys(params).join(", ")}`);
    if (!Number.isFinite(v)) throw invalid(`parameter ${k}`, v, "a finite number");
    params[k] = v;
  }
  const constants: Record<string, number> = {};
  for (const k of Object.keys(model.constants ?? {})) constants[k] = params[k] as number;
  const compiled = compiledFor(model, constants);
  const gates = compiled.gates.filter((g) => !g.instantaneous);
  const celsius = compiled.temperatureDependent ? (params.celsius as number) : undefined;
  const phiOf = (g: CompiledGate) => {
    const t = g.temperature ?? model.temperature;
    return g.rateFactor * (t && celsius !== undefined ? t.q10 ** ((celsius - t.reference_celsius) / 10) : 1);
  };
  const sg: StateGate[] = gates.map((g, i) => ({
    k: i + 1,
    rates: g.kind === "rates",
    a: (g.kind === "rates" ? g.alpha : g.inf) as Fn,
    b: (g.kind === "rates" ? g.beta : g.tau) as Fn,
    phi: phiOf(g),
  }));
  const channels: ChannelTerm[] = compiled.channels.map((c) => ({
    g: params[`g${c.name}`] as number,
    e: params[`E${c.name}`] as number,
    state: c.gates.filter((g) => !g.instantaneous).map((g) => ({ k: 1 + gates.indexOf(g), p: g.power })),
    inst: c.gates.filter((g) => g.instantaneous).map((g) => ({ f: g.steady, p: g.power })),
  }));
  const cm = params.Cm as number;
  const I = params[CURRENT] as number;
  const n = 1 + gates.length;
  const steadyFns = gates.map((g) => g.steady);

  const rhs = (x: ArrayLike<number>, out: Float64Array) => {
    const v = x[0] as number;
    let dv = I;
    for (const c of channels) {
      let open = 1;
      for (const s of c.state) open *= (x[s.k] as number) ** s.p;
      for (const s of c.inst) open *= s.f(v) ** s.p;
      dv -= c.g * open * (v - c.e);
    }
    out[0] = dv / cm;
    for (const g of sg) {
      const y = x[g.k] as number;
      out[g.k] = g.rates ? g.phi * (g.a(v) * (1 - y) - g.b(v) * y) : (g.phi * (g.a(v) - y)) / g.b(v);
    }
  };

  const jacobian = (x: ArrayLike<number>, J: Float64Array) => {
    J.fill(0, 0, n * n);
    const v = x[0] as number;
    let dVdV = 0;
    for (const c of channels) {
      // open = Π state xᵖ · Π inst f(V)ᵖ
      let openState = 1;
      for (const s of c.state) openState *= (x[s.k] as number) ** s.p;
      let openInst = 1;
      let dInst = 0; // d(Π inst)/dV
      for (const s of c.inst) {
        const f = s.f(v);
        const term = f ** s.p;
        dInst = dInst * term + openInst * s.p * f ** (s.p - 1) * deriv(s.f, v);
        openInst *= term;
      }
      const open = openState * openInst;
      dVdV -= c.g * (open + (v - c.e) * openState * dInst);
      for (const s of c.state) {
        let others = openInst;
        for (const o of c.state) if (o !== s) others *= (x[o.k] as number) ** o.p;
        const xs = x[s.k] as number;
        J[s.k] = (J[s.k] as number) - (c.g * others * s.p * xs ** (s.p - 1) * (v - c.e)) / cm;
      }
    }
    J[0] = dVdV / cm;
    for (const g of sg) {
      const y = x[g.k] as number;
      const row = g.k * n;
      if (g.rates) {
        const a = g.a(v);
        const b = g.b(v);
        J[row + g.k] = -g.phi * (a + b);
        J[row] = g.phi * (deriv(g.a, v) * (1 - y) - deriv(g.b, v) * y);
      } else {
        const inf = g.a(v);
        const tau = g.b(v);
        J[row + g.k] = -g.phi / tau;
        J[row] = g.phi * (deriv(g.a, v) / tau - ((inf - y) * deriv(g.b, v)) / (tau * tau));
      }
    }
  };

  const steadyState = (v: number) => {
    const x = new Float64Array(n);
    x[0] = v;
    steadyFns.forEach((f, i) => {
      x[i + 1] = f(v);
    });
    return x;
  };

  const steadyCurrent = (v: number) => {
    let sum = 0;
    for (const c of channels) {
      let open = 1;
      for (const s of c.state) open *= (steadyFns[s.k - 1] as Fn)(v) ** s.p;
      for (const s of c.inst) open *= s.f(v) ** s.p;
      sum += c.g * open * (v - c.e);
    }
    return sum;
  };

  return { model, n, names: ["V", ...gates.map((g) => g.name)], parameters: params, rhs, jacobian, steadyState, steadyCurrent };
}
