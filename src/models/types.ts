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

/** A gating variable raised to `power` in its channel, in either kinetic form. */
export type GateDefinition = RatesGateDefinition | InfTauGateDefinition;

/**
 * An ionic channel: I = g·Π xᵢ^pᵢ·(V − E). Its maximal conductance and reversal potential
 * are model parameters named `g<name>` (mS/cm²) and `E<name>` (mV), e.g. gNa and ENa.
 * A channel without gates is a leak.
 */
export interface ChannelDefinition {
  readonly name: string;
  readonly gMax_mS_per_cm2: MSPerCm2;
  readonly eRev_mV: MV;
  readonly gates: readonly GateDefinition[];
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
