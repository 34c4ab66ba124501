import { InvalidArgumentError, invalid } from "../errors.js";
import type { NeuronModel } from "./types.js";

/** Faraday constant (C/mol) and gas constant (J/(mol·K)), CODATA 2018: NEURON ≥ 8's values. */
export const FARADAY = 96485.33212;
export const GAS_CONSTANT = 8.314462618;
/** 0 °C in kelvin. */
export const ZERO_CELSIUS_K = 273.15;

/** The Nernst factor R·T/(z·F) in mV at a temperature (°C): E = factor·ln(c_out/c_in). */
export const nernstFactor_mV = (celsius: number, charge: number): number =>
  (1000 * GAS_CONSTANT * (celsius + ZERO_CELSIUS_K)) / (charge * FARADAY);

/** R·T/(z·F) in mV with given constants (a GHK current's voltage scale: u = V/k); NEURON 8's by default. */
export const ghkVoltageScale_mV = (celsius: number, charge: number, faraday = FARADAY, gas = GAS_CONSTANT): number =>
  (1000 * gas * (celsius + ZERO_CELSIUS_K)) / (charge * faraday);

/** The Nernst potential (mV) of an ion of valence z at concentrations inside and outside (mM) and temperature (°C). */
export const nernst_mV = (inside_mM: number, outside_mM: number, celsius: number, charge: number): number =>
  nernstFactor_mV(celsius, charge) * Math.log(outside_mM / inside_mM);

/** An ion of a model, checked, with the numbers the step program needs. */
export interface CompiledIon {
  readonly name: string;
  /** The name rate expressions use for the inside concentration (`<name>i`, mM). */
  readonly concentration: string;
  readonly charge: number;
  /** The inside concentration at the start (mM): a pool's initial value, or the fixed value. */
  readonly inside: number;
  readonly outside: number | undefined;
  /** The pool: dC/dt = −k·i_ion − (C − resting)/τ (k in mM/ms per µA/cm², τ in ms), or none. */
  readonly pool?: { readonly k: number; readonly resting: number; readonly tau: number };
}

const IDENT = /^[a-z][a-z0-9]*$/;
const positive = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x > 0;

/** The model's ions, checked (names, charges, concentrations, pools), in declaration order. */
export function compileIons(model: NeuronModel): CompiledIon[] {
  const out: CompiledIon[] = [];
  for (const [name, ion] of Object.entries(model.ions ?? {})) {
    const at = `ion ${name}`;
    if (!IDENT.test(name)) throw invalid("ion name", name, 'a lower-case name of letters and digits (e.g. "ca", "k")');
    if (!(Number.isInteger(ion.charge) && ion.charge !== 0)) throw invalid(`${at}, charge`, ion.charge, "a non-zero integer (2 for Ca²⁺)");
    if (ion.outside_mM !== undefined && !positive(ion.outside_mM))
      throw invalid(`${at}, outside_mM (mM)`, ion.outside_mM, "a finite number > 0");
    if (ion.inside_mM !== undefined && !positive(ion.inside_mM))
      throw invalid(`${at}, inside_mM (mM)`, ion.inside_mM, "a finite number > 0");
    let pool: CompiledIon["pool"];
    const p = ion.pool;
    if (p) {
      if (!positive(p.decay_ms)) throw invalid(`${at}, pool.decay_ms (ms)`, p.decay_ms, "a finite number > 0");
      if (!(Number.isFinite(p.resting_mM) && p.resting_mM >= 0))
        throw invalid(`${at}, pool.resting_mM (mM)`, p.resting_mM, "a finite number ≥ 0");
      const byDepth = p.shell_depth_um !== undefined;
      if (byDepth === (p.rho_mM_cm2_per_uA_ms !== undefined)) {
        throw new InvalidArgumentError(`${at}, pool: give exactly one of shell_depth_um (with gamma) and rho_mM_cm2_per_uA_ms`);
      }
      let k: number;
      if (byDepth) {
        if (!positive(p.shell_depth_um)) throw invalid(`${at}, pool.shell_depth_um (µm)`, p.shell_depth_um, "a finite number > 0");
        const gamma = p.gamma ?? 1;
        if (!(Number.isFinite(gamma) && gamma >= 0)) throw invalid(`${at}, pool.gamma`, gamma, "a finite fraction ≥ 0");
        // i (µA/cm²) = 10⁻² A/m², d (µm) = 10⁻⁶ m: γ·i/(z·F·d) = 10⁴ mol/(m³·s) per unit = 10 mM/ms
        k = (10 * gamma) / (ion.charge * FARADAY * (p.shell_depth_um as number));
      } else {
        if (p.gamma !== undefined) throw new InvalidArgumentError(`${at}, pool.gamma: only with shell_depth_um (rho already includes it)`);
        const rho = p.rho_mM_cm2_per_uA_ms as number;
        if (!(Number.isFinite(rho) && rho >= 0)) throw invalid(`${at}, pool.rho_mM_cm2_per_uA_ms`, rho, "a finite number ≥ 0");
        k = rho;
      }
      pool = { k, resting: p.resting_mM, tau: p.decay_ms };
    }
    // without a pool or inside_mM the concentration is unknown: NaN, refused where something reads it
    const inside = ion.inside_mM ?? pool?.resting ?? Number.NaN;
    out.push({ name, concentration: `${name}i`, charge: ion.charge, inside, outside: ion.outside_mM, ...(pool ? { pool } : {}) });
  }
  return out;
}

/**
 * The reversal potential (mV) of each channel at the start of a run at a temperature (°C): its
 * eRev_mV, or the Nernst potential at the ion's initial concentrations; for a GHK channel (no reversal
 * potential of its own) its voltage scale R·T/(z·F) (mV), the number its current reads in that place.
 */
export function initialReversals(model: NeuronModel, ions: readonly CompiledIon[], celsius: number): number[] {
  return model.channels.map((c) => {
    if (c.ghk) {
      const ion = ions.find((i) => i.name === c.ion) as CompiledIon;
      return ghkVoltageScale_mV(celsius, ion.charge, c.ghk.faraday_C_per_mol, c.ghk.gas_constant_J_per_mol_K);
    }
    if (c.eRev_mV !== "nernst") return c.eRev_mV as number;
    const ion = ions.find((i) => i.name === c.ion) as CompiledIon;
    return nernst_mV(ion.inside, ion.outside as number, celsius, ion.charge);
  });
}
