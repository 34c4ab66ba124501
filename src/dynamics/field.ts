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
 * A concentration pool is a state of the field after the gates (named by its concentration, e.g. `cai`), as in the
 * simulator (src/program/equations.ts): dC/dt = −k·Σ i_ion − (C − C_rest)/τ, with i_ion the currents of the channels
 * that carry the ion; a rate law that reads `cai` and a Nernst reversal en·ln(C_out/C) read the pool's state, and the
 * Jacobian has their ∂/∂C (by the same differentiation of the expression trees). An ion without a pool keeps its fixed
 * inside_mM, as in the simulator.
 *
 * A GHK channel (models/ghk.ts) has P·open·GHK(V, C_in) in place of g·open·(V − E): P its permeability parameter
 * `P<name>` (cm/s), GHK = z·F·(C_in/exprel(−u) − C_out/exprel(u)), u = V/k, k = R·T/(z·F) at the field's celsius; the
 * Jacobian has its exact dGHK/dV (exprel′, models/ghk.ts) and, where C_in is a pool's state, ∂GHK/∂C_in = z·F/exprel(−u).
 */
import { invalid } from "../errors.js";
import { type CompiledGate, type CompiledModel, compileModel, gateVariable, isRatesGate, shiftParameter } from "../models/compile.js";
import { freeNames, VOLTAGE } from "../models/expr.js";
import { compileDerivative as compileLawDerivative, compilePartial } from "../models/exprDerivative.js";
import { exprel } from "../models/exprel.js";
import { ghkConstants, ghkFactor, ghkFactorSlope } from "../models/ghk.js";
import { ghkVoltageScale_mV, nernstFactor_mV } from "../models/ions.js";
import { modelParameters, scaleParameter } from "../models/parameters.js";
import { lawTree, type RateLaw } from "../models/rates.js";
import type { NeuronModel } from "../models/types.js";

type Fn = (v: number) => number;
/** A function of V and the state (a law that reads a pool's concentration takes it from the state; others ignore it). */
type Fx = (v: number, x: ArrayLike<number>) => number;
/** ∂/∂C of a law, per pool it reads: the pool's state index and the partial derivative. */
type PoolPartials = readonly { readonly k: number; readonly d: Fx }[];

/** The name of the injected current (µA/cm²) among the parameters of a field. */
export const CURRENT = "I";

/** A model at fixed parameter values as an autonomous vector field. */
export interface VectorField {
  readonly model: NeuronModel;
  /** State size: 1 + the number of state gates + the number of concentration pools. */
  readonly n: number;
  /** State names: V, then the state gates in channel order, then the pools' concentrations (e.g. `cai`, mM). */
  readonly names: readonly string[];
  /** The parameter values in force (I, Cm, celsius, g…, E…, constants). */
  readonly parameters: Readonly<Record<string, number>>;
  /** f(x) into out (mV/ms for V, 1/ms for gates, mM/ms for pools). */
  rhs(x: ArrayLike<number>, out: Float64Array): void;
  /** ∂f/∂x at x into J, row-major n×n (exact: dα/dV etc. by automatic differentiation of the rate expression trees). */
  jacobian(x: ArrayLike<number>, J: Float64Array): void;
  /** f(x) into out and ∂f/∂x into J in one pass (each rate evaluated once): rhs and jacobian to rounding. */
  rhsJacobian(x: ArrayLike<number>, out: Float64Array, J: Float64Array): void;
  /**
   * The state with every gate and every pool at its steady state at V (a pool's C∞(V) solves C = C_rest − k·τ·i_ion
   * with the gates at their steady state at V and C); with `pools`, the pools' concentrations are taken from that
   * state instead and only the gates are set to their steady state at V and those concentrations.
   */
  steadyState(v: number, pools?: ArrayLike<number>): Float64Array;
  /** Σ g·Πx∞ᵖ·(V − E) + Σ P·Πx∞ᵖ·GHK(V) (µA/cm²): the ionic current with every gate and pool at steady state; equilibria solve I = this. */
  steadyCurrent(v: number): number;
  /** The state indices of the concentration pools (after the gates). */
  readonly pools: readonly number[];
  /** What the field approximates of the model, in words: nothing today (pools are states); kept for the diagram's `assumptions`. */
  readonly held: readonly string[];
}

interface StateGate {
  readonly k: number;
  readonly rates: boolean;
  readonly a: Fx;
  readonly b: Fx;
  /** da/dV, db/dV. */
  readonly da: Fx;
  readonly db: Fx;
  /** ∂a/∂C and ∂b/∂C per pool the gate's laws read (empty for most gates). */
  readonly dc: readonly { readonly k: number; readonly da: Fx; readonly db: Fx }[];
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
  /** The conductance (mS/cm²), or a GHK channel's permeability (cm/s). */
  readonly g: number;
  /** A GHK current: its voltage scale k (mV), z·F (C/mol), outside and fixed inside concentrations (mM), pool state index or −1. */
  readonly ghk?: { readonly k: number; readonly zf: number; readonly out: number; readonly inside: number; readonly ck: number };
  /** The fixed reversal potential (mV); unused with `nernst`. */
  readonly e: number;
  /** A Nernst reversal on a pool: E = en·ln(out/x[k]). */
  readonly nernst?: { readonly k: number; readonly en: number; readonly out: number };
  /** The index among the pools of the pool its ion feeds, or −1. */
  readonly pool: number;
  /** State factors: indices into x (one, or a fractional gate's sub-gates with their fractions) and power; instantaneous gates: steady-state function and power. */
  readonly state: readonly StateFactor[];
  readonly inst: readonly { readonly f: Fx; readonly df: Fx; readonly dc: PoolPartials; readonly p: number }[];
  /** The pools' state indices that the instantaneous gates read; per instantaneous gate, its ∂/∂C for each (null: 0). */
  readonly instKs: readonly number[];
  readonly instDc: readonly (readonly (Fx | null)[])[];
}

interface Pool {
  /** State index. */
  readonly k: number;
  /** mM/ms per µA/cm², resting concentration (mM), decay time constant (ms). */
  readonly kk: number;
  readonly rest: number;
  readonly tau: number;
  /** Whether a Nernst reversal reads it (its concentration must stay > 0). */
  readonly positive: boolean;
}

/**
 * A rate law that reads pool concentrations as a function of (V, state), its ∂/∂V and its ∂/∂C per pool read; null
 * where it reads none (the compiled one-variable functions serve). `poolIndex`: concentration name → state index.
 */
function poolLaw(
  law: RateLaw,
  constants: Readonly<Record<string, number>>,
  poolIndex: ReadonlyMap<string, number>,
): { f: Fx; dv: Fx; dc: PoolPartials } | null {
  const tree = lawTree(law, constants);
  const free = freeNames(tree);
  const read = [...poolIndex.keys()].filter((name) => free.has(name));
  if (read.length === 0) return null;
  const vars = [VOLTAGE, ...read];
  const ks = read.map((name) => poolIndex.get(name) as number);
  const at = (fn: (...values: number[]) => number): Fx => {
    if (ks.length === 1) {
      const k = ks[0] as number;
      return (v, x) => fn(v, x[k] as number);
    }
    return (v, x) => fn(v, ...ks.map((k) => x[k] as number));
  };
  return {
    f: at(compilePartial(tree, vars, -1)),
    dv: at(compilePartial(tree, vars, 0)),
    dc: ks.map((k, i) => ({ k, d: at(compilePartial(tree, vars, i + 1)) })),
  };
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
  // a rate law may read an ion's inside concentration: bound to its initial value here (a law that reads a pool is
  // replaced in vectorField by its function of the pool's state)
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
  // the pools: state indices after the gates, and each pool's concentration name (a rate law may read it)
  const poolIons = compiled.pools;
  const poolIndex = new Map(poolIons.map((ion, j) => [ion.concentration, 1 + gates.length + j]));
  // a rate law reads the fixed inside_mM of an ion without a pool (as compileModel binds it); a pool's stays free
  const bound = {
    ...compiled.constants,
    ...Object.fromEntries(compiled.ions.filter((i) => !i.pool).map((i) => [i.concentration, i.inside])),
  };
  // a gate's shift other than the model's: its functions at V − (shift − the model's shift)
  const at = (g: CompiledGate, f: Fn): Fn => {
    const d = (params[shiftParameter(g.name)] as number) - g.vShift;
    return d === 0 ? f : (v) => f(v - d);
  };
  // a law that reads a pool, from its tree (no shift in it): at V − the gate's whole shift
  type Law = { f: Fx; dv: Fx; dc: PoolPartials };
  const shifted = (g: CompiledGate, law: Law | null): Law | null => {
    const s = params[shiftParameter(g.name)] as number;
    if (!law || s === 0) return law;
    const sh =
      (f: Fx): Fx =>
      (v, x) =>
        f(v - s, x);
    return { f: sh(law.f), dv: sh(law.dv), dc: law.dc.map((p) => ({ k: p.k, d: sh(p.d) })) };
  };
  const lawOf = (g: CompiledGate, l: RateLaw | undefined) => (l && poolIons.length ? shifted(g, poolLaw(l, bound, poolIndex)) : null);
  const sg: StateGate[] = gates.map((g, i) => {
    const d = derivativesOf(compiled, g);
    const def = gateVariable(model, g.name);
    const [la, lb] = def
      ? isRatesGate(def)
        ? [lawOf(g, def.alpha), lawOf(g, def.beta)]
        : [lawOf(g, def.inf), lawOf(g, def.tau)]
      : [null, null];
    const ks = [...new Set([...(la?.dc ?? []), ...(lb?.dc ?? [])].map((p) => p.k))];
    const zero: Fx = () => 0;
    return {
      k: i + 1,
      rates: g.kind === "rates",
      a: la?.f ?? at(g, (g.kind === "rates" ? g.alpha : g.inf) as Fn),
      b: lb?.f ?? at(g, (g.kind === "rates" ? g.beta : g.tau) as Fn),
      da: la?.dv ?? at(g, d.da),
      db: lb?.dv ?? at(g, d.db),
      dc: ks.map((k) => ({ k, da: la?.dc.find((p) => p.k === k)?.d ?? zero, db: lb?.dc.find((p) => p.k === k)?.d ?? zero })),
      phi: phiOf(g),
    };
  });
  const pools: Pool[] = poolIons.map((ion, j) => {
    const p = ion.pool as NonNullable<typeof ion.pool>;
    const positive = compiled.channels.some((c) => c.nernst && compiled.ions[c.ion as number] === ion);
    return { k: 1 + gates.length + j, kk: p.k, rest: p.resting, tau: p.tau, positive };
  });
  const channels: ChannelTerm[] = compiled.channels.map((c): ChannelTerm => {
    const ion = c.ion === undefined ? undefined : compiled.ions[c.ion];
    const pool = ion ? poolIons.indexOf(ion) : -1;
    // a Nernst channel makes the model temperature dependent: celsius is one of its parameters
    const en = ion ? nernstFactor_mV(params.celsius as number, ion.charge) : 0;
    const nernst = c.nernst && ion ? (pool >= 0 ? { k: (pools[pool] as Pool).k, en, out: ion.outside as number } : undefined) : undefined;
    const inst = c.gates
      .filter((g) => g.instantaneous)
      .map((g) => {
        const def = gateVariable(model, g.name);
        // an instantaneous gate that reads a pool: x∞ = inf, or α/(α + β)
        let law: Law | null = null;
        if (def && !isRatesGate(def)) law = lawOf(g, def.inf);
        else if (def && isRatesGate(def) && (lawOf(g, def.alpha) || lawOf(g, def.beta)))
          law = shifted(g, steadyLaw(def.alpha, def.beta, bound, poolIndex));
        return law
          ? { f: law.f, df: law.dv, dc: law.dc, p: g.power }
          : { f: at(g, g.steady) as Fx, df: at(g, derivativesOf(compiled, g).dSteady), dc: [], p: g.power };
      });
    const instKs = [...new Set(inst.flatMap((s) => s.dc.map((d) => d.k)))];
    const def = model.channels.find((m) => m.name === c.name) as NeuronModel["channels"][number];
    const ghk =
      c.ghk && ion
        ? {
            k: ghkVoltageScale_mV(params.celsius as number, c.ghk.charge, c.ghk.faraday, ghkConstants(def).gas),
            zf: c.ghk.charge * c.ghk.faraday,
            out: c.ghk.outside,
            inside: ion.inside,
            ck: pool >= 0 ? (pools[pool] as Pool).k : -1,
          }
        : undefined;
    return {
      g: params[scaleParameter(def)] as number,
      ...(ghk ? { ghk } : {}),
      e: c.nernst && ion ? en * Math.log((ion.outside as number) / ion.inside) : (params[`E${c.name}`] as number),
      ...(nernst ? { nernst } : {}),
      pool,
      state: c.gates
        .filter((g) => !g.instantaneous)
        .map((g) =>
          g.subgates
            ? { terms: g.subgates.map((s) => ({ k: 1 + gates.indexOf(s), f: s.fraction as number })), p: g.power, plain: false }
            : { terms: [{ k: 1 + gates.indexOf(g), f: 1 }], p: g.power, plain: true },
        ),
      inst,
      instKs,
      instDc: inst.map((s) => instKs.map((k) => s.dc.find((d) => d.k === k)?.d ?? null)),
    };
  });
  const cm = params.Cm as number;
  const I = params[CURRENT] as number;
  const n = 1 + gates.length + pools.length;
  const steadyFns: Fx[] = sg.map((g, i) => {
    const own = at(gates[i] as CompiledGate, (gates[i] as CompiledGate).steady);
    if (g.dc.length === 0) return own;
    return g.rates
      ? (v, x) => {
          const a = g.a(v, x);
          return a / (a + g.b(v, x));
        }
      : g.a;
  });
  const reversal = (c: ChannelTerm, x: ArrayLike<number>) =>
    c.nernst ? c.nernst.en * Math.log(c.nernst.out / (x[c.nernst.k] as number)) : c.e;
  /** A GHK channel's inside concentration at x: its pool's state or the ion's fixed inside_mM. */
  const inside = (h: NonNullable<ChannelTerm["ghk"]>, x: ArrayLike<number>) => (h.ck >= 0 ? (x[h.ck] as number) : h.inside);
  /** The driving factor of channel c at x: V − E, or GHK(V, C_in) for a GHK channel. */
  const drive = (c: ChannelTerm, x: ArrayLike<number>) => {
    const v = x[0] as number;
    const h = c.ghk;
    return h ? ghkFactor(v, h.k, 1, h.zf, inside(h, x), h.out) : v - reversal(c, x);
  };
  /** The ionic current of channel c (µA/cm², outward) at x. */
  const current = (c: ChannelTerm, x: ArrayLike<number>) => {
    const v = x[0] as number;
    let open = 1;
    for (const s of c.state) open *= factorValue(s, x) ** s.p;
    for (const s of c.inst) open *= s.f(v, x) ** s.p;
    return c.g * open * drive(c, x);
  };
  const poolI = new Float64Array(pools.length);

  const rhs = (x: ArrayLike<number>, out: Float64Array) => {
    const v = x[0] as number;
    let dv = I;
    poolI.fill(0);
    for (const c of channels) {
      const i = current(c, x);
      dv -= i;
      if (c.pool >= 0) poolI[c.pool] = (poolI[c.pool] as number) + i;
    }
    out[0] = dv / cm;
    for (const g of sg) {
      const y = x[g.k] as number;
      out[g.k] = g.rates ? g.phi * (g.a(v, x) * (1 - y) - g.b(v, x) * y) : (g.phi * (g.a(v, x) - y)) / g.b(v, x);
    }
    pools.forEach((p, j) => {
      out[p.k] = -p.kk * (poolI[j] as number) - ((x[p.k] as number) - p.rest) / p.tau;
    });
  };

  const dInstC = new Float64Array(n);
  /** ∂f/∂x into J and, when `out` is given, f(x) into out (rates evaluated once for both). */
  const both = (x: ArrayLike<number>, J: Float64Array, out?: Float64Array) => {
    J.fill(0, 0, n * n);
    const v = x[0] as number;
    let dVdV = 0;
    let dv = I;
    poolI.fill(0);
    for (const c of channels) {
      // the driving factor (V − E or GHK) and its ∂/∂V (1 or dGHK/dV)
      const h = c.ghk;
      const e = h ? 0 : reversal(c, x);
      const dr = h ? ghkFactor(v, h.k, 1, h.zf, inside(h, x), h.out) : v - e;
      const drV = h ? ghkFactorSlope(v, h.k, 1, h.zf, inside(h, x), h.out) : 1;
      // a pool's row gets −k·∂i/∂x of the channels that feed it (row 0 gets −∂i/∂x / Cm)
      const prow = c.pool >= 0 ? (pools[c.pool] as Pool).k * n : -1;
      const kk = c.pool >= 0 ? (pools[c.pool] as Pool).kk : 0;
      // open = Π state xᵖ · Π inst f(V)ᵖ
      let openState = 1;
      for (const s of c.state) openState *= factorValue(s, x) ** s.p;
      let openInst = 1;
      let dInst = 0; // d(Π inst)/dV
      let si = 0;
      for (const k of c.instKs) dInstC[k] = 0; // d(Π inst)/dC
      for (const s of c.inst) {
        const f = s.f(v, x);
        const term = f ** s.p;
        const dterm = s.p * f ** (s.p - 1);
        c.instKs.forEach((k, q) => {
          const d = (c.instDc[si] as (Fx | null)[])[q];
          dInstC[k] = (dInstC[k] as number) * term + (d ? openInst * dterm * d(v, x) : 0);
        });
        si++;
        dInst = dInst * term + openInst * dterm * s.df(v, x);
        openInst *= term;
      }
      const open = openState * openInst;
      const i = c.g * open * dr;
      dv -= i;
      if (c.pool >= 0) poolI[c.pool] = (poolI[c.pool] as number) + i;
      const diV = c.g * (open * drV + dr * openState * dInst);
      dVdV -= diV;
      if (prow >= 0) J[prow] = (J[prow] as number) - kk * diV;
      for (const s of c.state) {
        let others = openInst;
        for (const o of c.state) if (o !== s) others *= factorValue(o, x) ** o.p;
        const xs = factorValue(s, x);
        // ∂(Σ fᵢ·xᵢ)ᵖ/∂xₖ = p·(Σ)ᵖ⁻¹·fₖ (fₖ = 1 for a plain gate)
        for (const t of s.terms) {
          const dix = c.g * others * s.p * xs ** (s.p - 1) * t.f * dr;
          J[t.k] = (J[t.k] as number) - dix / cm;
          if (prow >= 0) J[prow + t.k] = (J[prow + t.k] as number) - kk * dix;
        }
      }
      // ∂i/∂C: through the instantaneous gates that read C and through a Nernst E (∂E/∂C = −en/C)
      const dic = (k: number, extra: number) => {
        J[k] = (J[k] as number) - extra / cm;
        if (prow >= 0) J[prow + k] = (J[prow + k] as number) - kk * extra;
      };
      for (const k of c.instKs) dic(k, c.g * dr * openState * (dInstC[k] as number));
      if (c.nernst) dic(c.nernst.k, (c.g * open * c.nernst.en) / (x[c.nernst.k] as number));
      // ∂GHK/∂C_in = z·F/exprel(−u)
      if (h && h.ck >= 0) dic(h.ck, (c.g * open * h.zf) / exprel(-v / h.k));
    }
    J[0] = dVdV / cm;
    if (out) out[0] = dv / cm;
    for (const g of sg) {
      const y = x[g.k] as number;
      const row = g.k * n;
      if (g.rates) {
        const a = g.a(v, x);
        const b = g.b(v, x);
        J[row + g.k] = -g.phi * (a + b);
        J[row] = g.phi * (g.da(v, x) * (1 - y) - g.db(v, x) * y);
        for (const d of g.dc) J[row + d.k] = g.phi * (d.da(v, x) * (1 - y) - d.db(v, x) * y);
        if (out) out[g.k] = g.phi * (a * (1 - y) - b * y);
      } else {
        const inf = g.a(v, x);
        const tau = g.b(v, x);
        J[row + g.k] = -g.phi / tau;
        J[row] = g.phi * (g.da(v, x) / tau - ((inf - y) * g.db(v, x)) / (tau * tau));
        for (const d of g.dc) J[row + d.k] = g.phi * (d.da(v, x) / tau - ((inf - y) * d.db(v, x)) / (tau * tau));
        if (out) out[g.k] = (g.phi * (inf - y)) / tau;
      }
    }
    pools.forEach((p, j) => {
      J[p.k * n + p.k] = (J[p.k * n + p.k] as number) - 1 / p.tau;
      if (out) out[p.k] = -p.kk * (poolI[j] as number) - ((x[p.k] as number) - p.rest) / p.tau;
    });
  };
  const jacobian = (x: ArrayLike<number>, J: Float64Array) => both(x, J);
  const rhsJacobian = (x: ArrayLike<number>, out: Float64Array, J: Float64Array) => both(x, J, out);

  /** The gates at their steady state at x[0] and the pools' concentrations in x. */
  const setGates = (x: Float64Array) => {
    const v = x[0] as number;
    steadyFns.forEach((f, i) => {
      x[i + 1] = f(v, x);
    });
  };
  /** The current into pool j (µA/cm², outward) at x. */
  const poolCurrent = (j: number, x: Float64Array) => {
    let sum = 0;
    for (const c of channels) if (c.pool === j) sum += current(c, x);
    return sum;
  };
  /** Pool j's C∞ at x[0] (the other pools at their values in x): the root of C_rest − k·τ·i_ion(V, x∞, C) − C, bracketed and bisected. */
  const solvePool = (j: number, x: Float64Array) => {
    const p = pools[j] as Pool;
    const h = (c: number) => {
      x[p.k] = c;
      setGates(x);
      return p.rest - p.kk * p.tau * poolCurrent(j, x) - c;
    };
    let w = Math.max(p.rest, 1e-9);
    let lo = Math.max(p.rest, p.positive ? 1e-300 : -Infinity);
    let hi = lo;
    const h0 = h(lo);
    if (h0 === 0) return lo;
    // a bracket: h(lo) > 0 > h(hi)
    let flo = h0;
    let fhi = h0;
    if (h0 > 0) {
      hi = lo + w;
      fhi = h(hi);
      for (let it = 0; it < 2000 && fhi > 0; it++) {
        lo = hi;
        flo = fhi;
        w *= 2;
        hi = lo + w;
        fhi = h(hi);
      }
    } else {
      lo = p.positive ? hi / 2 : hi - w;
      flo = h(lo);
      for (let it = 0; it < 2000 && flo < 0; it++) {
        hi = lo;
        fhi = flo;
        w *= 2;
        lo = p.positive ? lo / 2 : lo - w;
        flo = h(lo);
      }
    }
    if (!(flo > 0 && fhi < 0)) return flo === 0 ? lo : hi;
    // Illinois regula falsi, to the last bit
    let m = lo;
    let side = 0;
    for (let it = 0; it < 200; it++) {
      const prev = m;
      m = (lo * fhi - hi * flo) / (fhi - flo);
      if (!(m > lo && m < hi)) m = lo + (hi - lo) / 2;
      const fm = h(m);
      if (fm === 0) return m;
      if (fm > 0) {
        lo = m;
        flo = fm;
        if (side === -1) fhi /= 2;
        side = -1;
      } else {
        hi = m;
        fhi = fm;
        if (side === 1) flo /= 2;
        side = 1;
      }
      if (hi - lo <= 1e-15 * Math.abs(hi) || Math.abs(m - prev) <= 1e-16 * Math.abs(m)) break;
    }
    return m;
  };

  // C∞(V) by V (a phase plane asks for the same V along a grid column): at most 4096 voltages, then cleared
  const solved = new Map<number, Float64Array>();
  const steadyState = (v: number, at?: ArrayLike<number>) => {
    const x = new Float64Array(n);
    x[0] = v;
    for (const p of pools) x[p.k] = at ? (at[p.k] as number) : p.rest;
    const known = at ? undefined : solved.get(v);
    if (known)
      pools.forEach((p, j) => {
        x[p.k] = known[j] as number;
      });
    else if (!at && pools.length) {
      // Gauss–Seidel over the pools (one sweep for one pool: its C∞ is exact)
      for (let sweep = 0; sweep < (pools.length === 1 ? 1 : 100); sweep++) {
        let change = 0;
        pools.forEach((p, j) => {
          const before = x[p.k] as number;
          x[p.k] = solvePool(j, x);
          change = Math.max(change, Math.abs((x[p.k] as number) - before) / Math.max(1e-300, Math.abs(x[p.k] as number)));
        });
        if (change < 1e-14) break;
      }
      if (solved.size >= 4096) solved.clear();
      solved.set(
        v,
        Float64Array.from(pools, (p) => x[p.k] as number),
      );
    }
    setGates(x);
    return x;
  };

  const steadyCurrent = (v: number) => {
    if (pools.length) {
      const x = steadyState(v);
      let sum = 0;
      for (const c of channels) sum += current(c, x);
      return sum;
    }
    let sum = 0;
    for (const c of channels) {
      let open = 1;
      for (const s of c.state) open *= (s.plain ? (steadyFns[(s.terms[0] as { k: number }).k - 1] as Fn)(v) : steadyOf(s, v)) ** s.p;
      for (const s of c.inst) open *= (s.f as Fn)(v) ** s.p;
      sum += c.g * open * (c.ghk ? ghkFactor(v, c.ghk.k, 1, c.ghk.zf, c.ghk.inside, c.ghk.out) : v - c.e);
    }
    return sum;
  };
  const steadyOf = (s: StateFactor, v: number) => {
    let sum = 0;
    for (const t of s.terms) sum += t.f * (steadyFns[t.k - 1] as Fn)(v);
    return sum;
  };

  return {
    model,
    held: [],
    n,
    names: ["V", ...gates.map((g) => g.name), ...poolIons.map((i) => i.concentration)],
    parameters: params,
    pools: pools.map((p) => p.k),
    rhs,
    jacobian,
    rhsJacobian,
    steadyState,
    steadyCurrent,
  };
}

/** x∞ = α/(α + β) of an instantaneous gate whose laws read a pool, with its partials (quotient rule). */
function steadyLaw(
  alpha: RateLaw,
  beta: RateLaw,
  constants: Readonly<Record<string, number>>,
  poolIndex: ReadonlyMap<string, number>,
): { f: Fx; dv: Fx; dc: PoolPartials } {
  const wrap = (l: RateLaw) =>
    poolLaw(l, constants, poolIndex) ?? { f: rateOf(l, constants), dv: compileLawDerivative(lawTree(l, constants)), dc: [] };
  const a = wrap(alpha);
  const b = wrap(beta);
  const q =
    (fa: Fx, fb: Fx): Fx =>
    (v, x) => {
      const av = a.f(v, x);
      const bv = b.f(v, x);
      return (fa(v, x) * bv - av * fb(v, x)) / (av + bv) ** 2;
    };
  const zero: Fx = () => 0;
  const ks = [...new Set([...a.dc, ...b.dc].map((p) => p.k))];
  return {
    f: (v, x) => {
      const av = a.f(v, x);
      return av / (av + b.f(v, x));
    },
    dv: q(a.dv, b.dv),
    dc: ks.map((k) => ({ k, d: q(a.dc.find((p) => p.k === k)?.d ?? zero, b.dc.find((p) => p.k === k)?.d ?? zero) })),
  };
}

const rateOf = (l: RateLaw, constants: Readonly<Record<string, number>>): Fx => {
  const f = compilePartial(lawTree(l, constants), [VOLTAGE], -1);
  return (v) => f(v);
};
