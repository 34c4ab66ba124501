import type { Celsius, MSPerCm2, MV, UFPerCm2 } from "../units.js";
import type { RateLaw } from "./rates.js";

/** A gating variable with first-order kinetics dx/dt = α(V)(1 − x) − β(V)x, raised to `power` in its channel. */
export interface GateDefinition {
  /** State-variable name, unique within the model (e.g. "m"). */
  readonly name: string;
  readonly power: number;
  readonly alpha: RateLaw;
  readonly beta: RateLaw;
}

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
 * Temperature dependence of all rates: each α and β is multiplied by
 * q10^((celsius − reference_celsius)/10), as in NEURON's hh.mod.
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
  /** Initial membrane potential; gates start at their steady state there. */
  readonly v0_mV: MV;
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
