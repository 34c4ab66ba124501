import { InvalidArgumentError } from "../errors.js";
import type { MV, PerMs } from "../units.js";
import { bindConstants, compileExpr, type Expr, guardSingularities, parseExpr, toJs } from "./expr.js";

import { exprel } from "./exprel.js";
import { jsLiteral } from "./literal.js";

export { exprel };

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
export interface StandardRateLaw {
  readonly form: "exp" | "sigmoid" | "expLinear";
  readonly rate: PerMs;
  readonly midpoint_mV: MV;
  readonly scale_mV: MV;
}

/**
 * A rate law written as an expression of V (mV) and the model's named constants, e.g.
 * `"0.32*(V+54)/(1-exp(-(V+54)/4))"` (see expr.ts for the language). Removable singularities
 * of the form N/(1 − e^E) are rewritten through exprel when compiled.
 */
export interface ExprRateLaw {
  readonly form: "expr";
  readonly expr: string;
}

/**
 * A voltage-dependent quantity: a rate α or β (1/ms), a steady state x∞ (dimensionless; use
 * `sigmoid` with rate 1 for a Boltzmann curve) or a time constant τ (ms); `rate` carries the unit.
 */
export type RateLaw = StandardRateLaw | ExprRateLaw;

/** The expression tree of a rate law with the model's constants bound and singularities guarded. */
export function rateExpr(law: ExprRateLaw, constants: Readonly<Record<string, number>> = {}): Expr {
  return guardSingularities(bindConstants(parseExpr(law.expr), constants));
}

/** Compiles a rate law to a pure scalar function of V (mV) → 1/ms (or the law's own unit). */
export function rateFunction(law: RateLaw, constants: Readonly<Record<string, number>> = {}): (v: MV) => PerMs {
  if (law.form === "expr") return compileExpr(rateExpr(law, constants));
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

/**
 * JavaScript source of a rate law as an expression of `V`, performing exactly the operations of
 * `rateFunction` (so a kernel generated from it gives bit-identical results). Needs `exprel` in scope.
 */
export function rateJs(law: RateLaw, constants: Readonly<Record<string, number>> = {}): string {
  if (law.form === "expr") return toJs(rateExpr(law, constants));
  const rate = jsLiteral(law.rate, `the rate of a ${law.form} rate law`);
  const mid = jsLiteral(law.midpoint_mV, `midpoint_mV of a ${law.form} rate law`);
  const scale = jsLiteral(law.scale_mV, `scale_mV of a ${law.form} rate law`);
  switch (law.form) {
    case "exp":
      return `(${rate} * Math.exp((V - ${mid}) / ${scale}))`;
    case "sigmoid":
      return `(${rate} / (1 + Math.exp(-(V - ${mid}) / ${scale})))`;
    case "expLinear":
      return `(${rate} / exprel(-(V - ${mid}) / ${scale}))`;
    default:
      throw new InvalidArgumentError(`unknown rate law form ${JSON.stringify((law as { form?: unknown }).form)}`);
  }
}

/** The voltage at which a rate law has a removable singularity (only `expLinear` has one). */
export const singularVoltage = (law: RateLaw): MV | undefined => (law.form === "expLinear" ? law.midpoint_mV : undefined);

/** The expression text of a standard rate law (the same function, written in the expression language). */
export function standardToExpr(law: StandardRateLaw): string {
  const x = `(V - (${law.midpoint_mV}))/(${law.scale_mV})`;
  switch (law.form) {
    case "exp":
      return `${law.rate}*exp(${x})`;
    case "sigmoid":
      return `${law.rate}/(1 + exp(-${x}))`;
    case "expLinear":
      return `${law.rate}/exprel(-${x})`;
  }
}
