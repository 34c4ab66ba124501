import type { Celsius, MSPerCm2, MV, UFPerCm2 } from "../units.js";
import type { RateLaw } from "./rates.js";

/** What every gate has: a name, its power in the channel, and optional rate scaling. */
export interface GateBase {
  /** State-variable name, unique within the model (e.g. "m"). */
  readonly name: string;
  readonly power: number;
  /**
   * Instantaneous gate: x = x∞(V) at every moment (not a state variable), as Morris–Lecar's
   * calcium activation or Wang–Buzsáki's m. x∞ = α/(α+β) for a rates gate, `inf` otherwise.
   */
  readonly instantaneous?: boolean;
  /** Temperature dependence of this gate's kinetics; overrides the model's `temperature`. */
  readonly temperature?: TemperatureDependence;
  /** A constant factor on α and β (on 1/τ), e.g. Wang–Buzsáki's φ = 5 (NeuroML's q10Fixed). */
  readonly rate_factor?: number;
  /**
   * A shift of the gate's voltage dependence (mV): every rate law of the gate is evaluated at V − vShift_mV,
   * so a positive shift moves its curves (α, β, x∞, τ) to more depolarized potentials (NeuroML's vShift).
   * Default 0. Each gate's shift is also a per-neuron parameter, `vShift_<gate>` (e.g. vShift_m).
   */
  readonly vShift_mV?: number;
}

/** A gate with first-order kinetics dx/dt = α(V)(1 − x) − β(V)x (α, β in 1/ms). */
export interface RatesGateDefinition extends GateBase {
  readonly alpha: RateLaw;
  readonly beta: RateLaw;
}

/**
 * A gate written as steady state and time constant: dx/dt = (x∞(V) − x)/τ(V) (τ in ms).
 * Equivalent to α = x∞/τ, β = (1 − x∞)/τ. `tau` may be left out only when `instantaneous`.
 */
export interface InfTauGateDefinition extends GateBase {
  readonly inf: RateLaw;
  readonly tau?: RateLaw;
}

/**
 * One sub-gate of a fractional gate: a state variable with its own kinetics (α/β, or x∞/τ), weighted
 * by `fraction` in the gate's open fraction. Its rates take the fractional gate's `temperature` and `rate_factor`.
 */
export type SubGateDefinition = { readonly name: string; readonly fraction: number } & (
  | { readonly alpha: RateLaw; readonly beta: RateLaw }
  | { readonly inf: RateLaw; readonly tau: RateLaw }
);

/**
 * A gate whose open fraction is a weighted sum of sub-gates, (Σᵢ fᵢ·qᵢ)^power, each qᵢ a state
 * variable with its own kinetics (NeuroML's gateFractional: Σ fractionalConductance·q, raised to `instances`;
 * NEURON's Kv2like: m²·(0.5·h1 + 0.5·h2)). The gate itself is no state variable and has no kinetics.
 */
export interface FractionalGateDefinition extends GateBase {
  readonly subgates: readonly SubGateDefinition[];
}

/** A gating variable raised to `power` in its channel, in either kinetic form. */
export type GateDefinition = RatesGateDefinition | InfTauGateDefinition;

/** A channel's gate: a gating variable, or a fractional gate made of sub-gates. */
export type ChannelGate = GateDefinition | FractionalGateDefinition;

/**
 * An ionic channel: I = g·Π xᵢ^pᵢ·(V − E). Its maximal conductance and reversal potential
 * are model parameters named `g<name>` (mS/cm²) and `E<name>` (mV), e.g. gNa and ENa.
 * A channel without gates is a leak.
 */
export interface ChannelDefinition {
  readonly name: string;
  /** Maximal conductance (mS/cm²) of an ohmic channel; absent for a GHK channel (its scale is `ghk.permeability_cm_per_s`). */
  readonly gMax_mS_per_cm2?: MSPerCm2;
  /**
   * Reversal potential (mV), or "nernst": E = (R·T/(z·F))·ln(c_out/c_in) from the concentrations of
   * the channel's `ion` at the temperature `celsius` (then the channel has no `E<name>` parameter).
   */
  readonly eRev_mV?: MV | "nernst";
  /**
   * The ion the channel carries (a name in the model's `ions`, e.g. "ca"): its current counts in
   * that ion's current, which drives the ion's concentration pool (NEURON's USEION … WRITE ica).
   */
  readonly ion?: string;
  readonly gates: readonly ChannelGate[];
  /** A Goldman–Hodgkin–Katz current in place of g·(V − E) (then no gMax_mS_per_cm2 and no eRev_mV); needs `ion`. */
  readonly ghk?: GhkCurrent;
}

/**
 * A Goldman–Hodgkin–Katz current (NEURON's `ghk()` of cal.mod, NeuroML's channelDensityGHK):
 *
 *   I = P·Π xᵢ^pᵢ·(z²F²V/(RT))·(c_in − c_out·e^(−u))/(1 − e^(−u)),   u = zFV/(RT)
 *     = P·Π xᵢ^pᵢ·z·F·(c_in/exprel(−u) − c_out/exprel(u))          (finite at V = 0, where it is P·z·F·(c_in − c_out))
 *
 * with P in cm/s and c in mM (= 10⁻⁶ mol/cm³): cm/s·C/mol·10⁻⁶ mol/cm³ = 10⁻⁶ A/cm², so I comes out in µA/cm²
 * with no other factor. z, c_in and c_out are the channel's ion's (charge, `<ion>i`: its pool or inside_mM,
 * outside_mM); T = celsius + 273.15. The channel's parameter is `P<name>` (cm/s).
 */
export interface GhkCurrent {
  readonly permeability_cm_per_s: number;
  /** Faraday constant (C/mol); default NEURON 8's (CODATA 2018) 96485.33212. A file's own value (cal.mod: 96485.309) keeps its current exactly. */
  readonly faraday_C_per_mol?: number;
  /** Gas constant (J/(mol·K)); default NEURON 8's (CODATA 2018) 8.314462618 (cal.mod: 8.3145). */
  readonly gas_constant_J_per_mol_K?: number;
}

/**
 * A concentration pool: the inside concentration C (mM) of an ion is a state variable,
 *
 *   dC/dt = −k·i_ion − (C − resting)/τ        (mM/ms; i_ion in µA/cm², positive outward)
 *
 * where i_ion is the sum of the currents of the channels that carry the ion. k (mM/ms per µA/cm²)
 * is either given (`rho_mM_cm2_per_uA_ms`, NeuroML's fixedFactorConcentrationModel) or follows
 * from a shell of depth d under a single compartment's membrane (NEURON's CaDynamics_E2, NeuroML's
 * decayingPoolConcentrationModel): k = γ·10/(z·F·d_µm), the fraction γ of the current entering
 * the shell (1 µA/cm² = 10⁻² A/m², d = 10⁻⁶ m: i/(z·F·d) is 10⁴ mol/(m³·s) = 10 mM/ms per unit).
 */
export interface ConcentrationPool {
  readonly decay_ms: number;
  /** The concentration the pool relaxes to (NEURON's minCai, NeuroML's restingConc). */
  readonly resting_mM: number;
  /** Depth of the shell under the membrane (µm); give this or `rho_mM_cm2_per_uA_ms`. */
  readonly shell_depth_um?: number;
  /** Fraction of the ion's current that enters the pool (free, unbuffered); default 1. */
  readonly gamma?: number;
  /** k directly: mM/ms per µA/cm² of (inward) ion current. */
  readonly rho_mM_cm2_per_uA_ms?: number;
}

/**
 * An ion species (NEURON's USEION): charge and concentrations. `<name>i` (e.g. `cai`, mM) is a name
 * that rate expressions may use: a state variable when the ion has a pool, else the constant `inside_mM`.
 */
export interface IonDefinition {
  /** Valence z (2 for Ca²⁺). */
  readonly charge: number;
  /** Inside concentration (mM): the initial value of a pool (default: its resting_mM), else fixed. */
  readonly inside_mM?: number;
  /** Outside concentration (mM), fixed (for the Nernst potential). */
  readonly outside_mM?: number;
  readonly pool?: ConcentrationPool;
}

/**
 * Temperature dependence of rates: each α and β is multiplied (each τ divided) by
 * q10^((celsius − reference_celsius)/10), as in NEURON's hh.mod and NeuroML's q10ExpTemp.
 */
export interface TemperatureDependence {
  readonly q10: number;
  readonly reference_celsius: Celsius;
}

/**
 * A single-compartment conductance-based neuron, as plain JSON-serialisable data.
 * The declarative model is the source of truth: every kernel (CPU or GPU) is compiled from it.
 */
export interface NeuronModel {
  readonly name: string;
  /** One line for listings. */
  readonly title: string;
  /** Provenance: where the equations and numbers come from. */
  readonly source: string;
  readonly cm_uF_per_cm2: UFPerCm2;
  /**
   * Initial membrane potential; gates start at their steady state there. "rest": the resting
   * potential, found numerically (the lowest V where the steady-state ionic current crosses zero
   * upwards), for each neuron's own parameters.
   */
  readonly v0_mV: MV | "rest";
  /** Named constants that expressions may use (e.g. { "phi": 0.04 }); each is also a parameter. */
  readonly constants?: Readonly<Record<string, number>>;
  /** Temperature (°C) at which the model runs by default; only used with `temperature`. */
  readonly celsius?: Celsius;
  readonly temperature?: TemperatureDependence;
  /** Ion species by name (e.g. "ca"): charges, concentrations, concentration pools. */
  readonly ions?: Readonly<Record<string, IonDefinition>>;
  readonly channels: readonly ChannelDefinition[];
}

/** A parameter a user may override, per run or per neuron. */
export interface ParameterInfo {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}
