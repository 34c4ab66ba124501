import type { MV, PerMs } from "../units.js";

/**
 * (eˣ − 1)/x, continuous at x = 0 where it equals 1.
 *
 * Rate laws of the form k·u/(1 − e^(−u/s)) have a removable 0/0 at u = 0 (NEURON
 * guards it with `vtrap`). Written as k·s/exprel(−u/s) they are finite everywhere
 * and, through `expm1`, more accurate than the textbook form near the singular point.
 */
export const exprel = (x: number): number => (Math.abs(x) < 1e-6 ? 1 + x / 2 + (x * x) / 6 : Math.expm1(x) / x);

/**
 * A rate constant as a function of membrane potential, in one of the standard
 * Hodgkin–Huxley forms (the same three that NeuroML 2 names `HHExpRate`,
 * `HHSigmoidRate` and `HHExpLinearRate`). With x = (V − midpoint)/scale:
 *
 * - `exp`:       rate · eˣ
 * - `sigmoid`:   rate / (1 + e^(−x))
 * - `expLinear`: rate · x / (1 − e^(−x)) = rate / exprel(−x), finite at x = 0
 *
 * `rate` is in 1/ms, `midpoint_mV` and `scale_mV` in mV. Being data, a rate law can be
 * serialised, validated, shown to a user, and compiled to JavaScript or WGSL.
 */
export interface RateLaw {
  readonly form: "exp" | "sigmoid" | "expLinear";
  readonly rate: PerMs;
  readonly midpoint_mV: MV;
  readonly scale_mV: MV;
}

/** Compiles a rate law to a pure scalar function of V (mV) → 1/ms. */
export function rateFunction(law: RateLaw): (v: MV) => PerMs {
  const { rate, midpoint_mV: mid, scale_mV: scale } = law;
  switch (law.form) {
    case "exp":
      return (v) => rate * Math.exp((v - mid) / scale);
    case "sigmoid":
      return (v) => rate / (1 + Math.exp(-(v - mid) / scale));
    case "expLinear":
      return (v) => rate / exprel(-(v - mid) / scale);
  }
}

/** The voltage at which a rate law has a removable singularity (only `expLinear` has one). */
export const singularVoltage = (law: RateLaw): MV | undefined => (law.form === "expLinear" ? law.midpoint_mV : undefined);
