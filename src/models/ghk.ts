import { dexprel } from "./exprDerivative.js";
import { exprel } from "./exprel.js";
import { FARADAY, GAS_CONSTANT } from "./ions.js";
import type { ChannelDefinition } from "./types.js";

/**
 * The Goldman–Hodgkin–Katz current density as numbers (the step program writes the same formula as a tree,
 * program/equations.ts). With u = V/k, k = R·T/(z·F) (mV):
 *
 *   I = P·z·F·(c_in/exprel(−u) − c_out/exprel(u))    (µA/cm² for P in cm/s, c in mM)
 *
 * equal to P·(z²F²V/(RT))·(c_in − c_out·e^(−u))/(1 − e^(−u)) (u/(1 − e^(−u)) = 1/exprel(−u) and
 * u·e^(−u)/(1 − e^(−u)) = 1/exprel(u)), and finite at V = 0, where it is P·z·F·(c_in − c_out).
 * Units: 1 mM = 10⁻⁶ mol/cm³, so cm/s · C/mol · 10⁻⁶ mol/cm³ = 10⁻⁶ A/cm² = 1 µA/cm². NEURON's cal.mod
 * writes ica (mA/cm²) = P·(.001)·2·F·(c_in·efun(−u) − c_out·efun(u)) with efun(u) = u/(eᵘ − 1) = 1/exprel(u):
 * the same number ×10⁻³.
 */

/** The constants a GHK channel uses: its own, or NEURON 8's (CODATA 2018, as ions.ts). */
export const ghkConstants = (c: ChannelDefinition): { faraday: number; gas: number } => ({
  faraday: c.ghk?.faraday_C_per_mol ?? FARADAY,
  gas: c.ghk?.gas_constant_J_per_mol_K ?? GAS_CONSTANT,
});

/** The GHK driving factor z·F·(c_in/exprel(−V/k) − c_out/exprel(V/k)) (µA/cm² per cm/s of permeability). */
export function ghkFactor(v: number, k: number, charge: number, faraday: number, inside: number, outside: number): number {
  const u = v / k;
  return charge * faraday * (inside / exprel(-u) - outside / exprel(u));
}

/** d/dV of ghkFactor (µA/cm² per cm/s per mV): (z·F/k)·(c_in·exprel′(−u)/exprel(−u)² + c_out·exprel′(u)/exprel(u)²), > 0. */
export function ghkFactorSlope(v: number, k: number, charge: number, faraday: number, inside: number, outside: number): number {
  const u = v / k;
  const a = exprel(-u);
  const b = exprel(u);
  return ((charge * faraday) / k) * ((inside * dexprel(-u)) / (a * a) + (outside * dexprel(u)) / (b * b));
}
