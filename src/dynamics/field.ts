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
 *
 * Ion concentrations are held at their initial values (a pool's initial concentration, else the fixed inside_mM):
 * a rate law that reads `cai` and a Nernst potential use that value, and a pool is not a state of the field (its
 * slow dynamics are not in the equilibria, the Jacobian or the cycles). Each held concentration is named in the
 * field's `held`, which the diagram and the phase plane state.
 */
import { invalid } from "../errors.js";
import { type CompiledGate, type CompiledModel, compileModel, gateVariable, isRatesGate, shiftParameter } from "../models/compile.js";
import { compileDerivative as compileLawDerivative } from "../models/exprDerivative.js";
import { nernstFactor_mV } from "../models/ions.js";
import { modelParameters } from "../models/parameters.js";
import { lawTree } from "../models/rates.js";
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
  /** ∂f/∂x at x into J, row-major n×n (exact: dα/dV etc. by automatic differentiation of the rate expression trees). */
  jacobian(x: ArrayLike<number>, J: Float64Array): void;
  /** f(x) into out and ∂f/∂x into J in one pass (each rate evaluated once): rhs and jacobian to rounding. */
  rhsJacobian(x: ArrayLike<number>, out: Float64Array, J: Float64Array): void;
  /** The state with every gate at its steady state at V. */
  steadyState(v: number): Float64Array;
  /** Σ g·Πx∞(V)ᵖ·(V − E) (µA/cm²): the ionic current with every gate at steady state; equilibria solve I = this. */
  steadyCurrent(v: number): number;
  /**
   * The ion concentrations held at their initial value, in words (e.g. "cai held at 0.00005 mM (its pool's initial
   * value: the pool is not a state here)"); empty for a model without ions.
   */
  readonly held: readonly string[];
}

interface StateGate {
  readonly k: number;
  readonly rates: boolean;
  readonly a: Fn;
  readonly b: Fn;
  /** da/dV, db/dV. */
  readonly da: Fn;
  readonly db: Fn;
  readonly phi: number;
}

interface StateFactor {
  readonly terms: readonly { readonly k: number; readonly f: number }[];
  readonly p: number;
  /** A plain gate: the factor is x[terms[0].k] itself. */
  readonly plain: boolean;
}

/** A state factor's value: x[k], or Σ fᵢ·x[kᵢ] of a fractional gate. */
function factorValue(s: StateFactor, x: ArrayLike<number>): number {
  if (s.plain) return x[(s.terms[0] as { k: number }).k] as number;
  let sum = 0;
  for (const t of s.terms) sum += t.f * (x[t.k] as number);
  return sum;
}

interface ChannelTerm {
  readonly g: number;
  readonly e: number;
  /** State factors: indices into x (one, or a fractional gate's sub-gates with their fractions) and power; instantaneous gates: steady-state function and power. */
  readonly state: readonly StateFactor[];
  readonly inst: readonly { readonly f: Fn; readonly df: Fn; readonly p: number }[];
}

const H = 1e-3;
/** dF/dV by the 4th-order central difference (truncation ~ (h/10 mV)⁴): only for a gate without a rate law. */
const deriv =
  (f: Fn): Fn =>
  (v) =>
    (f(v - 2 * H) - 8 * f(v - H) + 8 * f(v + H) - f(v + 2 * H)) / (12 * H);

interface GateDerivatives {
  /** dα/dV and dβ/dV of a rates gate, dx∞/dV and dτ/dV of an x∞/τ gate (τ' 0 when instantaneous). */
  readonly da: Fn;
  readonly db: Fn;
  /** dx∞/dV in either form. */
  readonly dSteady: Fn;
}

const derivativeCache = new WeakMap<CompiledModel, Map<CompiledGate, GateDerivatives>>();

/** Exact derivatives of a compiled gate's rate laws, compiled once per compiled model. */
function derivativesOf(compiled: CompiledModel, g: CompiledGate): GateDerivatives {
  let byGate = derivativeCache.get(compiled);
  if (!byGate) {
    byGate = new Map();
    derivativeCache.set(compiled, byGate);
  }
  let d = byGate.get(g);
  if (d) return d;
  const def = gateVariable(compiled.model, g.name);
  // a rate law may read an ion's inside concentration: held at its initial value, as compileModel binds it
  const c = { ...compiled.constants, ...Object.fromEntries(compiled.ions.map((i) => [i.concentration, i.inside])) };
  // a law's derivative at V − the model's shift (the compiled functions include it)
  const compileDerivative = (e: Parameters<typeof compileLawDerivative>[0]): Fn => {
    const f = compileLawDerivative(e);
    return g.vShift === 0 ? f : (v) => f(v - g.vShift);
  };
  if (def && isRatesGate(def)) {
    const da = compileDerivative(lawTree(def.alpha, c));
    const db = compileDerivative(lawTree(def.beta, c));
    const a = g.alpha as Fn;
    const b = g.beta as Fn;
    // x∞ = α/(α + β): x∞' = (α'β − αβ')/(α + β)²
    const dSteady = (v: number) => {
      const av = a(v);
      const bv = b(v);
      return (da(v) * bv - av * db(v)) / (av + bv) ** 2;
    };
    d = { da, db, dSteady };
  } else if (def && !isRatesGate(def)) {
    const da = compileDerivative(lawTree(def.inf, c));
    d = { da, db: def.tau ? compileDerivative(lawTree(def.tau, c)) : () => 0, dSteady: da };
  } else {
    d = { da: deriv((g.alpha ?? g.inf) as Fn), db: deriv((g.beta ?? g.tau ?? (() => 0)) as Fn), dSteady: deriv(g.steady) };
  }
  byGate.set(g, d);
  return d;
}

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
  // a gate's shift other than the model's: its functions at V − (shift − the model's shift)
  const at = (g: CompiledGate, f: Fn): Fn => {
    const d = (params[shiftParameter(g.name)] as number) - g.vShift;
    return d === 0 ? f : (v) => f(v - d);
  };
  const sg: StateGate[] = gates.map((g, i) => {
    const d = derivativesOf(compiled, g);
    return {
      k: i + 1,
      rates: g.kind === "rates",
      a: at(g, (g.kind === "rates" ? g.alpha : g.inf) as Fn),
      b: at(g, (g.kind === "rates" ? g.beta : g.tau) as Fn),
      da: at(g, d.da),
      db: at(g, d.db),
      phi: phiOf(g),
    };
  });
  const nernstE = (c: CompiledModel["channels"][number]) => {
    const ion = compiled.ions[c.ion as number] as CompiledModel["ions"][number];
    // a Nernst channel makes the model temperature dependent: celsius is one of its parameters
    return nernstFactor_mV(params.celsius as number, ion.charge) * Math.log((ion.outside as number) / ion.inside);
  };
  const channels: ChannelTerm[] = compiled.channels.map((c) => ({
    g: params[`g${c.name}`] as number,
    e: c.nernst ? nernstE(c) : (params[`E${c.name}`] as number),
    state: c.gates
      .filter((g) => !g.instantaneous)
      .map((g) =>
        g.subgates
          ? { terms: g.subgates.map((s) => ({ k: 1 + gates.indexOf(s), f: s.fraction as number })), p: g.power, plain: false }
          : { terms: [{ k: 1 + gates.indexOf(g), f: 1 }], p: g.power, plain: true },
      ),
    inst: c.gates
      .filter((g) => g.instantaneous)
      .map((g) => ({ f: at(g, g.steady), df: at(g, derivativesOf(compiled, g).dSteady), p: g.power })),
  }));
  const cm = params.Cm as number;
  const I = params[CURRENT] as number;
  const n = 1 + gates.length;
  const steadyFns = gates.map((g) => at(g, g.steady));
  const steadyOf = (s: StateFactor, v: number) => {
    let sum = 0;
    for (const t of s.terms) sum += t.f * (steadyFns[t.k - 1] as Fn)(v);
    return sum;
  };

  const rhs = (x: ArrayLike<number>, out: Float64Array) => {
    const v = x[0] as number;
    let dv = I;
    for (const c of channels) {
      let open = 1;
      for (const s of c.state) open *= factorValue(s, x) ** s.p;
      for (const s of c.inst) open *= s.f(v) ** s.p;
      dv -= c.g * open * (v - c.e);
    }
    out[0] = dv / cm;
    for (const g of sg) {
      const y = x[g.k] as number;
      out[g.k] = g.rates ? g.phi * (g.a(v) * (1 - y) - g.b(v) * y) : (g.phi * (g.a(v) - y)) / g.b(v);
    }
  };

  /** ∂f/∂x into J and, when `out` is given, f(x) into out (rates evaluated once for both). */
  const both = (x: ArrayLike<number>, J: Float64Array, out?: Float64Array) => {
    J.fill(0, 0, n * n);
    const v = x[0] as number;
    let dVdV = 0;
    let dv = I;
    for (const c of channels) {
      // open = Π state xᵖ · Π inst f(V)ᵖ
      let openState = 1;
      for (const s of c.state) openState *= factorValue(s, x) ** s.p;
      let openInst = 1;
      let dInst = 0; // d(Π inst)/dV
      for (const s of c.inst) {
        const f = s.f(v);
        const term = f ** s.p;
        dInst = dInst * term + openInst * s.p * f ** (s.p - 1) * s.df(v);
        openInst *= term;
      }
      const open = openState * openInst;
      dv -= c.g * open * (v - c.e);
      dVdV -= c.g * (open + (v - c.e) * openState * dInst);
      for (const s of c.state) {
        let others = openInst;
        for (const o of c.state) if (o !== s) others *= factorValue(o, x) ** o.p;
        const xs = factorValue(s, x);
        // ∂(Σ fᵢ·xᵢ)ᵖ/∂xₖ = p·(Σ)ᵖ⁻¹·fₖ (fₖ = 1 for a plain gate)
        for (const t of s.terms) J[t.k] = (J[t.k] as number) - (c.g * others * s.p * xs ** (s.p - 1) * t.f * (v - c.e)) / cm;
      }
    }
    J[0] = dVdV / cm;
    if (out) out[0] = dv / cm;
    for (const g of sg) {
      const y = x[g.k] as number;
      const row = g.k * n;
      if (g.rates) {
        const a = g.a(v);
        const b = g.b(v);
        J[row + g.k] = -g.phi * (a + b);
        J[row] = g.phi * (g.da(v) * (1 - y) - g.db(v) * y);
        if (out) out[g.k] = g.phi * (a * (1 - y) - b * y);
      } else {
        const inf = g.a(v);
        const tau = g.b(v);
        J[row + g.k] = -g.phi / tau;
        J[row] = g.phi * (g.da(v) / tau - ((inf - y) * g.db(v)) / (tau * tau));
        if (out) out[g.k] = (g.phi * (inf - y)) / tau;
      }
    }
  };
  const jacobian = (x: ArrayLike<number>, J: Float64Array) => both(x, J);
  const rhsJacobian = (x: ArrayLike<number>, out: Float64Array, J: Float64Array) => both(x, J, out);

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
      for (const s of c.state) open *= (s.plain ? (steadyFns[(s.terms[0] as { k: number }).k - 1] as Fn)(v) : steadyOf(s, v)) ** s.p;
      for (const s of c.inst) open *= s.f(v) ** s.p;
      sum += c.g * open * (v - c.e);
    }
    return sum;
  };

  const held = compiled.ions.map(
    (i) =>
      `${i.concentration} held at ${Number(i.inside.toPrecision(4))} mM (${i.pool ? "its pool's initial value: the pool is not a state here" : "fixed"})`,
  );
  return {
    model,
    held,
    n,
    names: ["V", ...gates.map((g) => g.name)],
    parameters: params,
    rhs,
    jacobian,
    rhsJacobian,
    steadyState,
    steadyCurrent,
  };
}
