import { InvalidArgumentError, invalid } from "../errors.js";
import type { MV } from "../units.js";
import { builtinSet } from "./builtin.js";
import { FUNCTIONS, freeNames, parseExpr, VOLTAGE } from "./expr.js";
import { ghkConstants, ghkFactor } from "./ghk.js";
import { type CompiledIon, compileIons } from "./ions.js";
import { type RateLaw, rateFunction } from "./rates.js";
import type {
  ChannelGate,
  FractionalGateDefinition,
  GateDefinition,
  NeuronModel,
  RatesGateDefinition,
  SubGateDefinition,
  TemperatureDependence,
} from "./types.js";

/** True for a gate given by α and β (the other form is x∞ and τ). */
export const isRatesGate = (g: ChannelGate | SubGateDefinition): g is RatesGateDefinition => (g as RatesGateDefinition).alpha !== undefined;

/** True for a fractional gate (sub-gates weighted by their fractions; no kinetics of its own). */
export const isFractionalGate = (g: ChannelGate): g is FractionalGateDefinition => (g as FractionalGateDefinition).subgates !== undefined;

/** The gate a sub-gate is as a state variable: its own kinetics, power 1, the fractional gate's temperature, rate factor and shift. */
export function subgateDefinition(parent: FractionalGateDefinition, sub: SubGateDefinition): GateDefinition {
  const { fraction: _, ...kinetics } = sub;
  return {
    ...kinetics,
    power: 1,
    ...(parent.temperature === undefined ? {} : { temperature: parent.temperature }),
    ...(parent.rate_factor === undefined ? {} : { rate_factor: parent.rate_factor }),
    ...(parent.vShift_mV === undefined ? {} : { vShift_mV: parent.vShift_mV }),
  } as GateDefinition;
}

/** A channel's gating variables: its gates, with each fractional gate replaced by its sub-gates (as subgateDefinition). */
export const channelVariables = (gates: readonly ChannelGate[]): GateDefinition[] =>
  gates.flatMap((g) => (isFractionalGate(g) ? g.subgates.map((s) => subgateDefinition(g, s)) : [g]));

/** Every gating variable of a model (sub-gates in place of their fractional gates), in channel order. */
export const gateVariables = (model: NeuronModel): GateDefinition[] => model.channels.flatMap((c) => channelVariables(c.gates));

/** The gating variable named `name` (a gate or a sub-gate), or undefined. */
export const gateVariable = (model: NeuronModel, name: string): GateDefinition | undefined =>
  gateVariables(model).find((g) => g.name === name);

type Fn = (v: MV) => number;

/** A gate with its rate laws compiled to functions of V. */
export interface CompiledGate {
  readonly name: string;
  readonly channel: string;
  readonly power: number;
  readonly instantaneous: boolean;
  /** "fractional": (Σ fᵢ·qᵢ)^power over `subgates`; not a variable itself (its sub-gates are, in `gates`). */
  readonly kind: "rates" | "infTau" | "fractional";
  /** α, β (1/ms) of a rates gate. */
  readonly alpha?: Fn;
  readonly beta?: Fn;
  /** x∞ and τ (ms) of an x∞/τ gate (τ absent for an instantaneous gate). */
  readonly inf?: Fn;
  readonly tau?: Fn;
  /** Steady state x∞(V) in either form (Σ fᵢ·qᵢ∞ of a fractional gate). */
  readonly steady: Fn;
  /** The sub-gates of a fractional gate, each with its `fraction`. */
  readonly subgates?: readonly CompiledGate[];
  /** A sub-gate's weight in its fractional gate. */
  readonly fraction?: number;
  readonly temperature?: TemperatureDependence;
  /** Constant factor on α and β (1 when not given). */
  readonly rateFactor: number;
  /** The model's shift of the gate's voltage dependence (mV, 0 when not given); the functions above include it. */
  readonly vShift: number;
}

export interface CompiledChannel {
  readonly name: string;
  /** The factors of the open fraction, in order: gates, and fractional gates (whose sub-gates are the variables). */
  readonly gates: readonly CompiledGate[];
  /** The index in `ions` of the ion the channel carries, if any. */
  readonly ion?: number;
  /** True when E is the ion's Nernst potential (eRev_mV "nernst"). */
  readonly nernst: boolean;
  /**
   * A GHK current (models/ghk.ts): its ion's valence, the Faraday constant (C/mol) it uses and the outside
   * concentration (mM). Its scale (`g` per channel) is then the permeability (cm/s) and its `e` the voltage
   * scale R·T/(z·F) (mV).
   */
  readonly ghk?: { readonly charge: number; readonly faraday: number; readonly outside: number };
}

export interface CompiledModel {
  readonly model: NeuronModel;
  readonly constants: Readonly<Record<string, number>>;
  readonly channels: readonly CompiledChannel[];
  /** All gating variables in channel order (a fractional gate's sub-gates in its place). */
  readonly gates: readonly CompiledGate[];
  /** True when some rate or a Nernst potential depends on temperature (the model has a `celsius` parameter). */
  readonly temperatureDependent: boolean;
  /** The model's ions, in declaration order. */
  readonly ions: readonly CompiledIon[];
  /** The ions with a concentration pool (state variables after the gates), in declaration order. */
  readonly pools: readonly CompiledIon[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CHECK_FROM = -100;
const CHECK_TO = 60;
const CHECK_STEP = 0.5;
const RESERVED = new Set(["Cm", "V0", "celsius"]);
/** The largest gate shift a model or a run may give (mV). */
export const MAX_SHIFT_MV = 100;

/** The names a model's parameters take (constants must not collide with them). */
const reservedNames = (model: NeuronModel) =>
  new Set([
    ...RESERVED,
    ...model.channels.flatMap((c) => [
      `g${c.name}`,
      `P${c.name}`,
      `E${c.name}`,
      ...channelVariables(c.gates).map((g) => shiftParameter(g.name)),
    ]),
  ]);

/** The per-neuron parameter holding a gating variable's voltage shift (mV): `vShift_<gate>` (a sub-gate's own name). */
export const shiftParameter = (gate: string): string => `vShift_${gate}`;

const where = (channel: string, gate?: string, field?: string) =>
  `channel ${channel}${gate === undefined ? "" : `, gate ${gate}`}${field === undefined ? "" : `, ${field}`}`;

/**
 * A rate law as a function of V; the ions' concentrations it may read (`cai` …, in `concentrations`)
 * are bound to their initial values there (the checks, the resting potential and the displays see
 * the model at its initial concentrations; the step program reads the pool's state).
 */
function compileLaw(
  law: RateLaw,
  constants: Readonly<Record<string, number>>,
  at: string,
  concentrations: Readonly<Record<string, number>> = {},
): Fn {
  if (law.form === "expr") {
    let names: Set<string>;
    try {
      names = freeNames(parseExpr(law.expr));
    } catch (e) {
      throw new InvalidArgumentError(`${at}: ${(e as Error).message}`);
    }
    for (const name of names) {
      if (name !== VOLTAGE && !Object.hasOwn(constants, name) && !Object.hasOwn(concentrations, name)) {
        const known = [VOLTAGE, ...Object.keys(concentrations), ...Object.keys(constants)].join(", ");
        throw new InvalidArgumentError(
          `${at}: unknown name "${name}" in ${JSON.stringify(law.expr)}; allowed: ${known} and the functions ${Object.keys(FUNCTIONS).join(", ")}`,
        );
      }
    }
  }
  if (law.form === "expr") {
    const used = freeNames(parseExpr(law.expr));
    for (const [name, c] of Object.entries(concentrations)) {
      if (used.has(name) && !(c > 0)) {
        throw new InvalidArgumentError(`${at} reads ${name}, whose ion has neither a pool nor inside_mM (mM)`);
      }
    }
  }
  return rateFunction(law, { ...constants, ...concentrations });
}

/**
 * Checks f on a grid of voltages (and at V0): finite, and ≥ 0 (τ > 0). A steady state may exceed 1
 * slightly where a published fit does (Connor–Stevens' a∞ reaches 1.0001 at +40 mV), so only its sign is checked.
 */
function checkRatesOnGrid(f: Fn, at: string, what: "rate" | "inf" | "tau", v0: number | undefined): void {
  const vs: number[] = [];
  for (let v = CHECK_FROM; v <= CHECK_TO + 1e-9; v += CHECK_STEP) vs.push(Math.round(v * 10) / 10);
  if (v0 !== undefined) vs.unshift(v0);
  for (const v of vs) {
    const x = f(v);
    const ok = Number.isFinite(x) && (what === "tau" ? x > 0 : x >= 0);
    if (!ok) {
      const allowed =
        what === "rate" ? "a finite rate ≥ 0 (1/ms)" : what === "tau" ? "a finite time constant > 0 (ms)" : "a finite value ≥ 0";
      const hint = Number.isNaN(x) ? "; a 0/0 may need a guard such as exprel" : "";
      throw new InvalidArgumentError(`${at} must be ${allowed} at every V; at V = ${v} mV got ${x}${hint}`);
    }
  }
}

function compileGate(
  g: ChannelGate,
  channel: string,
  constants: Readonly<Record<string, number>>,
  v0: number | undefined,
  checked = true,
  concentrations: Readonly<Record<string, number>> = {},
): CompiledGate {
  const checkOnGrid = checked ? checkRatesOnGrid : () => {};
  const rateFactor = g.rate_factor ?? 1;
  const vShift = g.vShift_mV ?? 0;
  const base = {
    name: g.name,
    channel,
    power: g.power,
    instantaneous: g.instantaneous === true,
    rateFactor,
    vShift,
    temperature: g.temperature,
  };
  if (isFractionalGate(g)) {
    const subgates = g.subgates.map((s) => ({
      ...compileGate(subgateDefinition(g, s), channel, constants, v0, checked, concentrations),
      fraction: s.fraction,
    }));
    // Σ fᵢ·qᵢ∞ summed in sub-gate order, as the step program sums the states
    const steady = (v: number) => {
      let sum = 0;
      subgates.forEach((s, i) => {
        sum = i === 0 ? s.fraction * s.steady(v) : sum + s.fraction * s.steady(v);
      });
      return sum;
    };
    return { ...base, kind: "fractional", subgates, steady };
  }
  // the gate's laws at V − vShift
  const law = (l: RateLaw, at: string): Fn => {
    const f = compileLaw(l, constants, at, concentrations);
    return vShift === 0 ? f : (v) => f(v - vShift);
  };
  if (isRatesGate(g)) {
    const alpha = law(g.alpha, where(channel, g.name, "alpha"));
    const beta = law(g.beta, where(channel, g.name, "beta"));
    checkOnGrid(alpha, where(channel, g.name, "alpha"), "rate", v0);
    checkOnGrid(beta, where(channel, g.name, "beta"), "rate", v0);
    const steady = (v: number) => {
      const a = alpha(v);
      return a / (a + beta(v));
    };
    checkOnGrid(steady, where(channel, g.name, "alpha/(alpha + beta)"), "inf", v0);
    return { ...base, kind: "rates", alpha, beta, steady };
  }
  const inf = law(g.inf, where(channel, g.name, "inf"));
  checkOnGrid(inf, where(channel, g.name, "inf"), "inf", v0);
  let tau: Fn | undefined;
  if (g.tau) {
    tau = law(g.tau, where(channel, g.name, "tau"));
    checkOnGrid(tau, where(channel, g.name, "tau"), "tau", v0);
  } else if (!g.instantaneous) {
    throw new InvalidArgumentError(`${where(channel, g.name, "tau")} is missing: an x∞/τ gate needs tau (ms), or instantaneous: true`);
  }
  return { ...base, kind: "infTau", inf, ...(tau ? { tau } : {}), steady: inf };
}

/** A gate's (or sub-gate's) kinetics: alpha and beta, or inf (and tau, required of a sub-gate). */
function checkKinetics(channel: string, gate: string, k: Record<string, unknown>, instantaneous: boolean, sub = false): void {
  const hasRates = k.alpha !== undefined || k.beta !== undefined;
  const hasInf = k.inf !== undefined || k.tau !== undefined;
  if (hasRates && hasInf) {
    throw new InvalidArgumentError(`${where(channel, gate)}: give either alpha and beta, or inf and tau, not both`);
  }
  if (hasRates && (k.alpha === undefined || k.beta === undefined)) {
    throw new InvalidArgumentError(
      `${where(channel, gate, k.alpha === undefined ? "alpha" : "beta")} is missing: a rates gate needs alpha and beta (1/ms)`,
    );
  }
  if (!hasRates && k.inf === undefined) {
    throw new InvalidArgumentError(
      `${where(channel, gate)} has no kinetics: give alpha and beta (1/ms), or inf and tau (ms)${sub ? "" : ", or inf with instantaneous: true"}`,
    );
  }
  if (!hasRates && k.tau === undefined && !instantaneous) {
    throw new InvalidArgumentError(
      `${where(channel, gate, "tau")} is missing: an x∞/τ gate needs tau (ms)${sub ? "" : ", or instantaneous: true"}`,
    );
  }
}

/** A fractional gate: no kinetics of its own, at least one sub-gate, each a uniquely named state with a fraction ≥ 0. */
function checkFractional(channel: string, g: FractionalGateDefinition, gateNames: Set<string>): void {
  const k = g as unknown as Record<string, unknown>;
  for (const field of ["alpha", "beta", "inf", "tau"]) {
    if (k[field] !== undefined)
      throw new InvalidArgumentError(`${where(channel, g.name, field)}: a fractional gate has no kinetics of its own (its subgates have)`);
  }
  if (g.instantaneous)
    throw invalid(where(channel, g.name, "instantaneous"), true, "false or absent for a fractional gate (its subgates are states)");
  if (!Array.isArray(g.subgates) || g.subgates.length === 0)
    throw invalid(where(channel, g.name, "subgates"), JSON.stringify(g.subgates), "a list of at least one sub-gate");
  for (const s of g.subgates) {
    if (!IDENT.test(s.name) || s.name === VOLTAGE)
      throw invalid(`${where(channel, g.name)}, sub-gate name`, s.name, 'a name of letters, digits and _ other than "V"');
    if (gateNames.has(s.name))
      throw invalid(`${where(channel, g.name)}, sub-gate name`, s.name, "unique within the model (sub-gates are state variables)");
    gateNames.add(s.name);
    if (!(Number.isFinite(s.fraction) && s.fraction >= 0))
      throw invalid(`${where(channel, g.name)}, sub-gate ${s.name}, fraction`, s.fraction, "a finite number ≥ 0");
    checkKinetics(channel, `${g.name}, sub-gate ${s.name}`, s as unknown as Record<string, unknown>, false, true);
  }
}

/** A GHK channel: a permeability ≥ 0, no gMax_mS_per_cm2 or eRev_mV, an ion with outside_mM and an inside concentration. */
function checkGhk(model: NeuronModel, c: NeuronModel["channels"][number]): void {
  const ghk = c.ghk as NonNullable<typeof c.ghk>;
  if (c.gMax_mS_per_cm2 !== undefined || c.eRev_mV !== undefined) {
    const field = c.gMax_mS_per_cm2 !== undefined ? "gMax_mS_per_cm2" : "eRev_mV";
    throw new InvalidArgumentError(
      `${where(c.name)}, ${field}: a GHK channel has neither (its current is P·gates·GHK(V, c_in, c_out), P = ghk.permeability_cm_per_s)`,
    );
  }
  const P = ghk.permeability_cm_per_s;
  if (!(Number.isFinite(P) && P >= 0)) throw invalid(`${where(c.name)}, ghk.permeability_cm_per_s (cm/s)`, P, "a finite number ≥ 0");
  for (const [field, x] of [
    ["faraday_C_per_mol (C/mol)", ghk.faraday_C_per_mol],
    ["gas_constant_J_per_mol_K (J/(mol·K))", ghk.gas_constant_J_per_mol_K],
  ] as const) {
    if (x !== undefined && !(Number.isFinite(x) && x > 0)) throw invalid(`${where(c.name)}, ghk.${field}`, x, "a finite number > 0");
  }
  const ion = c.ion === undefined ? undefined : model.ions?.[c.ion];
  if (!ion) throw new InvalidArgumentError(`${where(c.name)}, ghk needs the channel's ion (e.g. "ion": "ca")`);
  if (ion.outside_mM === undefined || (ion.inside_mM === undefined && ion.pool === undefined)) {
    throw new InvalidArgumentError(`${where(c.name)}, ghk needs ion ${c.ion}'s outside_mM and inside_mM (or a pool)`);
  }
}

/** Structural checks with messages naming the channel, gate and field (types are checked by the schema). */
export function checkModel(model: NeuronModel): void {
  if (!(Number.isFinite(model.cm_uF_per_cm2) && model.cm_uF_per_cm2 > 0)) {
    throw invalid("cm_uF_per_cm2 (µF/cm²)", model.cm_uF_per_cm2, "a finite number > 0");
  }
  if (model.v0_mV !== "rest" && !Number.isFinite(model.v0_mV)) throw invalid("v0_mV (mV)", model.v0_mV, 'a finite number or "rest"');
  const channelNames = new Set<string>();
  const gateNames = new Set<string>();
  for (const c of model.channels) {
    if (!IDENT.test(c.name)) throw invalid("channel name", c.name, "a name of letters, digits and _ (e.g. Na, K, L, CaT)");
    if (channelNames.has(c.name)) throw invalid("channel name", c.name, "unique within the model");
    channelNames.add(c.name);
    if (c.ion !== undefined && !Object.hasOwn(model.ions ?? {}, c.ion)) {
      throw invalid(
        `${where(c.name)}, ion`,
        c.ion,
        `one of the model's ions (${Object.keys(model.ions ?? {}).join(", ") || "none declared"})`,
      );
    }
    if (c.ghk) {
      checkGhk(model, c);
    } else if (c.gMax_mS_per_cm2 === undefined || c.eRev_mV === undefined) {
      const field = c.gMax_mS_per_cm2 === undefined ? "gMax_mS_per_cm2 (mS/cm²)" : 'eRev_mV (mV or "nernst")';
      throw new InvalidArgumentError(
        `${where(c.name)}: ${field} is missing: an ohmic channel needs gMax_mS_per_cm2 and eRev_mV (a GHK channel: ghk)`,
      );
    } else if (!(typeof c.gMax_mS_per_cm2 === "number" && Number.isFinite(c.gMax_mS_per_cm2) && c.gMax_mS_per_cm2 >= 0)) {
      throw invalid(`${where(c.name)}, gMax_mS_per_cm2 (mS/cm²)`, c.gMax_mS_per_cm2, "a finite conductance ≥ 0 (or a ghk current)");
    }
    if (c.ghk) {
      // checked above
    } else if (c.eRev_mV === "nernst") {
      const ion = c.ion === undefined ? undefined : model.ions?.[c.ion];
      if (!ion) throw new InvalidArgumentError(`${where(c.name)}, eRev_mV "nernst" needs the channel's ion (e.g. "ion": "ca")`);
      if (ion.outside_mM === undefined || (ion.inside_mM === undefined && ion.pool === undefined)) {
        throw new InvalidArgumentError(`${where(c.name)}, eRev_mV "nernst" needs ion ${c.ion}'s outside_mM and inside_mM (or a pool)`);
      }
    } else if (!Number.isFinite(c.eRev_mV)) throw invalid(`${where(c.name)}, eRev_mV (mV)`, c.eRev_mV, 'a finite number or "nernst"');
    for (const g of c.gates) {
      if (!IDENT.test(g.name) || g.name === VOLTAGE)
        throw invalid(`${where(c.name)}, gate name`, g.name, 'a name of letters, digits and _ other than "V"');
      if (gateNames.has(g.name))
        throw invalid(`${where(c.name)}, gate name`, g.name, "unique within the model (gates are state variables)");
      gateNames.add(g.name);
      if (!(Number.isFinite(g.power) && g.power > 0)) throw invalid(`${where(c.name, g.name, "power")}`, g.power, "a finite number > 0");
      if (g.rate_factor !== undefined && !(Number.isFinite(g.rate_factor) && g.rate_factor > 0)) {
        throw invalid(`${where(c.name, g.name, "rate_factor")}`, g.rate_factor, "a finite number > 0");
      }
      if (g.vShift_mV !== undefined && !(Number.isFinite(g.vShift_mV) && Math.abs(g.vShift_mV) <= MAX_SHIFT_MV)) {
        throw invalid(`${where(c.name, g.name, "vShift_mV")}`, g.vShift_mV, `a finite shift in [-${MAX_SHIFT_MV}, ${MAX_SHIFT_MV}] mV`);
      }
      if (isFractionalGate(g)) {
        checkFractional(c.name, g, gateNames);
        continue;
      }
      checkKinetics(c.name, g.name, g as unknown as Record<string, unknown>, g.instantaneous === true);
    }
  }
  const ions = compileIons(model);
  for (const ion of ions) {
    if (gateNames.has(ion.concentration))
      throw invalid("gate name", ion.concentration, `a name other than ion ${ion.name}'s concentration`);
    if (ion.pool && !(ion.inside > 0))
      throw invalid(`ion ${ion.name}, inside_mM (the pool's initial concentration)`, ion.inside, "a number > 0");
  }
  const reserved = new Set([...reservedNames(model), ...ions.map((i) => i.concentration)]);
  for (const [k, v] of Object.entries(model.constants ?? {})) {
    if (!IDENT.test(k) || k === VOLTAGE || Object.hasOwn(FUNCTIONS, k))
      throw invalid("constant name", k, "a name of letters, digits and _, not V or a function");
    if (reserved.has(k)) throw invalid("constant name", k, `a name other than the parameters ${[...reserved].join(", ")}`);
    if (!Number.isFinite(v)) throw invalid(`constant ${k}`, v, "a finite number");
  }
}

const cache = new WeakMap<NeuronModel, CompiledModel>();

/**
 * Checks a model and compiles every rate law to a function of V. Errors name the channel, gate
 * and field: an unknown name in an expression, a gate without kinetics, a rate that is not
 * finite (or negative) somewhere in [−100, 60] mV or at V0, a negative conductance.
 * `constants` overrides the model's named constants.
 */
export function compileModel(model: NeuronModel, constants?: Readonly<Record<string, number>>): CompiledModel {
  const cached = constants === undefined ? cache.get(model) : undefined;
  if (cached) return cached;
  checkModel(model);
  const bound = { ...(model.constants ?? {}), ...(constants ?? {}) };
  // a built-in model's rates are checked by the tests, unless its constants are overridden here
  const checked = !(builtinSet.has(model) && constants === undefined);
  const v0 = model.v0_mV === "rest" ? undefined : model.v0_mV;
  const ions = compileIons(model);
  const concentrations = Object.fromEntries(ions.map((i) => [i.concentration, i.inside]));
  const channels: CompiledChannel[] = model.channels.map((c) => {
    const ion = ions.findIndex((i) => i.name === c.ion);
    const ghk = c.ghk
      ? {
          charge: (ions[ion] as CompiledIon).charge,
          faraday: ghkConstants(c).faraday,
          outside: (ions[ion] as CompiledIon).outside as number,
        }
      : undefined;
    return {
      name: c.name,
      gates: c.gates.map((g) => compileGate(g, c.name, bound, v0, checked, concentrations)),
      ...(ion >= 0 ? { ion } : {}),
      nernst: c.eRev_mV === "nernst",
      ...(ghk ? { ghk } : {}),
    };
  });
  const compiled: CompiledModel = {
    model,
    constants: bound,
    channels,
    gates: channels.flatMap((c) => c.gates.flatMap((g) => g.subgates ?? [g])),
    temperatureDependent:
      model.temperature !== undefined ||
      model.channels.some((c) => c.eRev_mV === "nernst" || c.ghk !== undefined || c.gates.some((g) => g.temperature)),
    ions,
    pools: ions.filter((i) => i.pool),
  };
  if (constants === undefined) cache.set(model, compiled);
  return compiled;
}

/** The state gates of a model (instantaneous gates are not state variables; sub-gates are), in channel order. */
export const stateGates = (model: NeuronModel): GateDefinition[] => gateVariables(model).filter((g) => !g.instantaneous);

/**
 * Resting potential (mV) for one neuron: the lowest V in [−150, 100] mV where the steady-state
 * ionic current Σ g·Π x∞^p·(V − E) crosses zero from negative to positive, refined by bisection.
 * `g` and `e` are per channel, in channel order (a GHK channel's: its permeability and voltage scale,
 * its current P·Π x∞^p·GHK(V) at the ions' initial concentrations); `shift`, each gate's voltage shift (mV, in the order
 * of compiled.gates; default the model's own).
 */
export function restingPotential(compiled: CompiledModel, g: ArrayLike<number>, e: ArrayLike<number>, shift?: ArrayLike<number>): MV {
  // a gate's x∞ at a shift other than the model's: x∞ at V − (shift − the model's shift); a fractional gate's
  // Σ fᵢ·qᵢ∞ with each sub-gate's own shift (the model's own shifts: the compiled x∞, as before)
  const extra = (gate: CompiledGate) => (shift ? (shift[compiled.gates.indexOf(gate)] as number) - gate.vShift : 0);
  const steady = (gate: CompiledGate, v: number): number => {
    if (!shift) return gate.steady(v);
    if (!gate.subgates) return gate.steady(v - extra(gate));
    let sum = 0;
    gate.subgates.forEach((s, i) => {
      const q = (s.fraction as number) * s.steady(v - extra(s));
      sum = i === 0 ? q : sum + q;
    });
    return sum;
  };
  const current = (v: number) => {
    let sum = 0;
    compiled.channels.forEach((c, k) => {
      let open = 1;
      for (const gate of c.gates) open *= steady(gate, v) ** gate.power;
      const ghk = c.ghk;
      const inside = ghk ? (compiled.ions[c.ion as number] as CompiledIon).inside : 0;
      const drive = ghk ? ghkFactor(v, e[k] as number, ghk.charge, ghk.faraday, inside, ghk.outside) : v - (e[k] as number);
      sum += (g[k] as number) * open * drive;
    });
    return sum;
  };
  let lo = -150;
  let flo = current(lo);
  for (let v = -150 + 0.25; v <= 100; v += 0.25) {
    const f = current(v);
    if (flo < 0 && f >= 0) {
      let hi = v;
      for (let k = 0; k < 100 && hi - lo > 1e-12; k++) {
        const mid = (lo + hi) / 2;
        if (current(mid) < 0) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    }
    if (f === 0 && flo === 0) return v;
    lo = v;
    flo = f;
  }
  throw new InvalidArgumentError(
    `model "${compiled.model.name}" has no resting potential in [-150, 100] mV (the steady-state current never crosses zero upwards); give v0_mV a number`,
  );
}
