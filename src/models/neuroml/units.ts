import { InvalidArgumentError } from "../../errors.js";

/**
 * NeuroML/LEMS dimensions and units, converted to spikelab's coherent set: mV, ms, 1/ms, mS/cm², µF/cm²,
 * mM, µm, K for LEMS temperatures. A negative number −k means "divide by k". Every factor is a power of ten,
 * applied to the decimal text (0.01389 V → "0.01389e3" → 13.89, the double nearest the decimal value, where
 * 0.01389·1000 would give 13.889999999999999). LEMS expressions are dimensionally consistent, so with every quantity in these units the
 * expressions give spikelab's numbers directly (TIME_SCALE = 1 ms becomes 1, v is V in mV).
 */
export const UNITS: Record<string, Record<string, number>> = {
  voltage: { mV: 1, V: 1000, uV: -1000 },
  per_voltage: { per_mV: 1, per_V: -1000 },
  per_time: { per_ms: 1, per_s: -1000, Hz: -1000, kHz: 1 },
  time: { ms: 1, s: 1000, us: -1000 },
  conductanceDensity: { mS_per_cm2: 1, S_per_m2: -10, S_per_cm2: 1000, mS_per_m2: -1e4 },
  specificCapacitance: { uF_per_cm2: 1, F_per_m2: 100 },
  concentration: { mM: 1, mol_per_m3: 1, M: 1000, uM: -1000, nM: -1e6, mol_per_cm3: 1e6 },
  length: { um: 1, m: 1e6, cm: 1e4, mm: 1000 },
  conductance: { S: 1, mS: -1000, uS: -1e6, nS: -1e9, pS: -1e12 },
  permeability: { cm_per_s: 1, m_per_s: 100, um_per_ms: -10, cm_per_ms: 1000 },
  /** A pool's rho (NeuroML mol/(m·A·s)) as mM/ms per µA/cm²: ×10⁻² (µA/cm² → A/m²) ×10⁻³ (1/s → 1/ms). */
  rho_factor: { mol_per_m_per_A_per_s: -1e5 },
  none: { "": 1 },
};

/** Dimensions as LEMS names them (Constant/Parameter `dimension`) → the table above. */
export const LEMS_DIMENSIONS: Record<string, string> = {
  voltage: "voltage",
  per_voltage: "per_voltage",
  per_time: "per_time",
  time: "time",
  none: "none",
  concentration: "concentration",
  length: "length",
  temperature: "temperature",
};

/** A NeuroML quantity ("-40mV", "3.0 S_per_m2", "6.3 degC") in spikelab's unit for its dimension (temperature: °C). */
export function quantity(raw: string | undefined, dimension: string, what: string): number {
  const text = String(raw ?? "");
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z_0-9]*)\s*$/.exec(text);
  if (m) {
    const value = Number(m[1]);
    const unit = m[2] as string;
    if (dimension === "temperature") {
      if (unit === "K") return value - 273.15;
      if (unit === "degC") return value;
    }
    const factor = UNITS[dimension]?.[unit];
    if (factor !== undefined) {
      const shift = Math.round(Math.log10(Math.abs(factor))) * (factor < 0 ? -1 : 1);
      const [mantissa, exponent] = (m[1] as string).split(/[eE]/) as [string, string | undefined];
      return Number(`${mantissa}e${Number(exponent ?? 0) + shift}`);
    }
  }
  const units = dimension === "temperature" ? ["degC", "K"] : Object.keys(UNITS[dimension] ?? {});
  throw new InvalidArgumentError(
    `NeuroML ${what} must be a number with a unit of ${units.map((u) => u || "none").join(" or ")}; got ${JSON.stringify(text)}`,
  );
}
