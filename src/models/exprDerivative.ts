/**
 * The exact derivative dF/dV of an expression tree (forward-mode automatic differentiation): the tree is
 * printed once as straight-line JavaScript that carries every sub-expression's value and derivative, so
 * that dF/dV costs about one evaluation of F (a 4th-order difference costs four) and has no truncation
 * error. Only V is free (constants bound, as `rateExpr`/`lawTree` give); the functions are `FUNCTIONS`'.
 */

import type { Expr } from "./expr.js";
import { jsCompare, VOLTAGE } from "./expr.js";
import { exprel } from "./exprel.js";

/** d/dx of (eˣ − 1)/x: (x·eˣ − (eˣ − 1))/x², by its Taylor series near 0 (1/2 + x/3 + x²/8 + x³/30). */
export function dexprel(x: number): number {
  if (Math.abs(x) < 1e-3) return 0.5 + x * (1 / 3 + x * (1 / 8 + x / 30));
  return (x * Math.exp(x) - Math.expm1(x)) / (x * x);
}

interface Dual {
  readonly v: string;
  /** The derivative's source, or null where it is identically 0 (a constant sub-tree). */
  readonly d: string | null;
}

/** The generated function's argument for vars[i]: V, then c1, c2 … (never a user's text). */
const arg = (i: number) => (i === 0 ? "V" : `c${i}`);

const lit = (x: number) => (Object.is(x, -0) ? "-0" : x < 0 ? `(${x})` : String(x));

/** dF/dV of the tree as a function of V (mV). */
export function compileDerivative(e: Expr): (V: number) => number {
  return compilePartial(e, [VOLTAGE], 0) as (V: number) => number;
}

/**
 * ∂F/∂vars[wrt] of the tree as a function of the values of `vars` (in that order; V among them as `VOLTAGE`), or
 * F itself where wrt is −1: the same forward mode with any one of several names free (e.g. V and a pool's `cai`).
 */
export function compilePartial(e: Expr, vars: readonly string[], wrt: number): (...values: number[]) => number {
  const lines: string[] = [];
  let k = 0;
  const tmp = (src: string) => {
    const name = `t${k++}`;
    lines.push(`const ${name} = ${src};`);
    return name;
  };
  const walk = (x: Expr): Dual => {
    switch (x.type) {
      case "num":
        return { v: lit(x.value), d: null };
      case "name": {
        const i = vars.indexOf(x.name);
        if (i < 0) throw new Error(`compileDerivative: unbound name ${x.name}`);
        return { v: arg(i), d: i === wrt ? "1" : null };
      }
      case "neg": {
        const a = walk(x.arg);
        return { v: tmp(`-${a.v}`), d: a.d === null ? null : tmp(`-${a.d}`) };
      }
      case "bin": {
        const a = walk(x.left);
        const b = walk(x.right);
        switch (x.op) {
          case "+":
          case "-": {
            const v = tmp(`${a.v} ${x.op} ${b.v}`);
            if (a.d === null && b.d === null) return { v, d: null };
            const d = a.d === null ? (x.op === "-" ? `-${b.d}` : (b.d as string)) : b.d === null ? a.d : `${a.d} ${x.op} ${b.d}`;
            return { v, d: tmp(d) };
          }
          case "*": {
            const v = tmp(`${a.v} * ${b.v}`);
            const terms = [a.d === null ? null : `${a.d} * ${b.v}`, b.d === null ? null : `${a.v} * ${b.d}`].filter((t) => t !== null);
            return { v, d: terms.length ? tmp(terms.join(" + ")) : null };
          }
          case "/": {
            const v = tmp(`${a.v} / ${b.v}`);
            if (a.d === null && b.d === null) return { v, d: null };
            // (a/b)' = (a' − (a/b)·b')/b
            const num = b.d === null ? (a.d as string) : a.d === null ? `-${v} * ${b.d}` : `${a.d} - ${v} * ${b.d}`;
            return { v, d: tmp(`(${num}) / ${b.v}`) };
          }
          case "^":
            return power(a, b);
        }
        break;
      }
      case "call": {
        const args = x.args.map(walk);
        const a = args[0] as Dual;
        const chain = (v: string, da: string) => ({ v, d: a.d === null ? null : tmp(`(${da}) * ${a.d}`) });
        switch (x.fn) {
          case "exp": {
            const v = tmp(`Math.exp(${a.v})`);
            return chain(v, v);
          }
          case "expm1":
            return chain(tmp(`Math.expm1(${a.v})`), `Math.exp(${a.v})`);
          case "log":
            return chain(tmp(`Math.log(${a.v})`), `1 / ${a.v}`);
          case "sqrt": {
            const v = tmp(`Math.sqrt(${a.v})`);
            return chain(v, `0.5 / ${v}`);
          }
          case "tanh": {
            const v = tmp(`Math.tanh(${a.v})`);
            return chain(v, `1 - ${v} * ${v}`);
          }
          case "cosh":
            return chain(tmp(`Math.cosh(${a.v})`), `Math.sinh(${a.v})`);
          case "sinh":
            return chain(tmp(`Math.sinh(${a.v})`), `Math.cosh(${a.v})`);
          case "abs":
            return chain(tmp(`Math.abs(${a.v})`), `Math.sign(${a.v})`);
          case "exprel":
            return chain(tmp(`exprel(${a.v})`), `dexprel(${a.v})`);
          case "pow":
            return power(a, args[1] as Dual);
          case "min":
          case "max": {
            const b = args[1] as Dual;
            const v = tmp(`Math.${x.fn}(${a.v}, ${b.v})`);
            if (a.d === null && b.d === null) return { v, d: null };
            const pick = x.fn === "min" ? "<=" : ">=";
            return { v, d: tmp(`${a.v} ${pick} ${b.v} ? ${a.d ?? 0} : ${b.d ?? 0}`) };
          }
        }
        break;
      }
      case "select": {
        // both branches computed (straight-line code), the one the condition picks returned; at the
        // switch point the derivative is the selected branch's (one-sided)
        const l = walk(x.left);
        const r = walk(x.right);
        const c = tmp(`${l.v} ${jsCompare(x.op)} ${r.v}`);
        const t = walk(x.ifTrue);
        const f = walk(x.ifFalse);
        const v = tmp(`${c} ? ${t.v} : ${f.v}`);
        if (t.d === null && f.d === null) return { v, d: null };
        return { v, d: tmp(`${c} ? ${t.d ?? 0} : ${f.d ?? 0}`) };
      }
    }
    throw new Error(`compileDerivative: unsupported node ${JSON.stringify(x)}`);
  };
  const power = (a: Dual, b: Dual): Dual => {
    const v = tmp(`${a.v} ** ${b.v}`);
    if (a.d === null && b.d === null) return { v, d: null };
    if (b.d === null) return { v, d: tmp(`${b.v} * ${a.v} ** (${b.v} - 1) * ${a.d}`) }; // constant exponent
    const da = a.d === null ? "" : ` + ${b.v} * ${a.d} / ${a.v}`;
    return { v, d: tmp(`${v} * (${b.d} * Math.log(${a.v})${da})`) };
  };
  const r = walk(e);
  const body = `${lines.join("\n")}\nreturn ${wrt < 0 ? r.v : (r.d ?? "0")};`;
  const args = vars.map((_, i) => arg(i)).join(", ");
  return new Function("exprel", "dexprel", `"use strict"; return function dRate(${args}) {\n${body}\n};`)(exprel, dexprel) as (
    ...values: number[]
  ) => number;
}
