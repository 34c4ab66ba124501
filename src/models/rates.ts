import { InvalidArgumentError } from "../errors.js";
import type { MV, PerMs } from "../units.js";
import { bindConstants, compileExpr, type Expr, exprToString, guardSingularities, parseExpr, toJs, VOLTAGE } from "./expr.js";

import { exprel } from "./exprel.js";
import { finiteNumber } from "./literal.js";

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

const num = (value: number): Expr => ({ type: "num", value });
const V: Expr = { type: "name", name: VOLTAGE };

/**
 * A rate law as an expression tree of V: the one definition of the standard forms, which every
 * backend (the reference evaluator, generated JavaScript, WebAssembly, WGSL) compiles, so that all
 * perform the same operations in the same order. An `expr` law is its parsed, constant-bound,
 * singularity-guarded tree (`rateExpr`).
 */
export function lawTree(law: RateLaw, constants: Readonly<Record<string, number>> = {}): Expr {
  if (law.form === "expr") return rateExpr(law, constants);
  // a model object that bypassed the schema: its numbers are checked before any backend prints them
  const mid = finiteNumber(law.midpoint_mV, `midpoint_mV of a ${law.form} rate law`);
  const scale = finiteNumber(law.scale_mV, `scale_mV of a ${law.form} rate law`);
  const rate = num(finiteNumber(law.rate, `the rate of a ${law.form} rate law`));
  const u: Expr = { type: "bin", op: "-", left: V, right: num(mid) };
  const scaled = (x: Expr): Expr => ({ type: "bin", op: "/", left: x, right: num(scale) });
  switch (law.form) {
    case "exp": // rate · e^((V − mid)/scale)
      return { type: "bin", op: "*", left: rate, right: { type: "call", fn: "exp", args: [scaled(u)] } };
    case "sigmoid": {
      // rate / (1 + e^(−(V − mid)/scale))
      const e: Expr = { type: "call", fn: "exp", args: [scaled({ type: "neg", arg: u })] };
      return { type: "bin", op: "/", left: rate, right: { type: "bin", op: "+", left: num(1), right: e } };
    }
    case "expLinear": // rate / exprel(−(V − mid)/scale)
      return { type: "bin", op: "/", left: rate, right: { type: "call", fn: "exprel", args: [scaled({ type: "neg", arg: u })] } };
    default:
      throw new InvalidArgumentError(`unknown rate law form ${JSON.stringify((law as { form?: unknown }).form)}`);
  }
}

/** Compiles a rate law to a pure scalar function of V (mV) → 1/ms (or the law's own unit). */
export function rateFunction(law: RateLaw, constants: Readonly<Record<string, number>> = {}): (v: MV) => PerMs {
  return compileExpr(lawTree(law, constants));
}

/**
 * JavaScript source of a rate law as an expression of `V`: its tree, printed (the operations of
 * `rateFunction`, so code generated from it gives bit-identical results). Needs `exprel` in scope.
 */
export const rateJs = (law: RateLaw, constants: Readonly<Record<string, number>> = {}): string => toJs(lawTree(law, constants));

/** The voltage at which a rate law has a removable singularity (only `expLinear` has one). */
export const singularVoltage = (law: RateLaw): MV | undefined => (law.form === "expLinear" ? law.midpoint_mV : undefined);

/** The expression text of a standard rate law (the same tree, written in the expression language). */
export const standardToExpr = (law: StandardRateLaw): string => exprToString(lawTree(law));
