import { bindConstants, type Expr, exprToString, freeNames, guardSingularities } from "../expr.js";
import type { RateLaw } from "../rates.js";
import type { TemperatureDependence } from "../types.js";
import { CELSIUS, V } from "./symbolic.js";

/**
 * Rate laws from expression trees. A tree that computes exactly what one of spikelab's standard forms
 * computes (NeuroML's HHExpRate, HHSigmoidRate, HHExpLinearRate) becomes that form — so hh.mod gives the
 * built-in hh1952's data and its numbers bit for bit; any other tree stays an expression of V.
 *
 * "Exactly" means up to IEEE-exact identities only: a + b = b + a, a·b = b·a, −(a/b) = (−a)/b = a/(−b),
 * c − V = −(V − c), V + c = V − (−c). A removable singularity k·N/(e^E − 1) is matched after it is rewritten
 * through exprel (k·c/exprel(E)) and its constant factors folded into the rate (k·c).
 */

const isV = (e: Expr) => e.type === "name" && e.name === V;
const numOf = (e: Expr): number | undefined => (e.type === "num" ? e.value : undefined);

/** E as (V − mid)/scale computed exactly as the tree computes it, or undefined. */
function affine(e: Expr): { mid: number; scale: number } | undefined {
  let sign = 1;
  let x = e;
  if (x.type === "neg") {
    sign = -1;
    x = x.arg;
  }
  if (x.type !== "bin" || x.op !== "/") return undefined;
  const s = numOf(x.right);
  if (s === undefined || s === 0) return undefined;
  let top = x.left;
  if (top.type === "neg") {
    sign = -sign;
    top = top.arg;
  }
  let mid: number | undefined;
  // ±V ± c, each combination an exact rewrite of ±(V − mid)
  const signedV = (e: Expr): number => (isV(e) ? 1 : e.type === "neg" && isV(e.arg) ? -1 : 0);
  if (isV(top)) mid = 0;
  else if (top.type === "bin" && (top.op === "+" || top.op === "-")) {
    const l = top.left;
    const r = top.right;
    const cr = numOf(r);
    const cl = numOf(l);
    if (signedV(l) !== 0 && cr !== undefined) {
      // V + c = V − (−c); V − c; −V + c = −(V − c); −V − c = −(V + c)
      const sv = signedV(l);
      const c = top.op === "+" ? cr : -cr;
      mid = sv === 1 ? -c : c;
      if (sv === -1) sign = -sign;
    } else if (signedV(r) !== 0 && cl !== undefined) {
      // c + V, c − V = −(V − c), c + (−V) = −(V − c), c − (−V) = V + c
      const sv = top.op === "+" ? signedV(r) : -signedV(r);
      mid = sv === 1 ? -cl : cl;
      if (sv === -1) sign = -sign;
    }
  }
  if (mid === undefined) return undefined;
  return { mid, scale: sign * s };
}

const expArg = (e: Expr): Expr | undefined => (e.type === "call" && e.fn === "exp" ? e.args[0] : undefined);

/** k·f or f·k or f with k a number. */
function scaled(e: Expr): { k: number; f: Expr } {
  if (e.type === "bin" && e.op === "*") {
    const l = numOf(e.left);
    if (l !== undefined) return { k: l, f: e.right };
    const r = numOf(e.right);
    if (r !== undefined) return { k: r, f: e.left };
  }
  return { k: 1, f: e };
}

/** The standard form a tree computes exactly, if any. */
function standard(tree: Expr): RateLaw | undefined {
  const { k, f } = scaled(tree);
  const E = expArg(f);
  if (E) {
    const a = affine(E);
    if (a) return { form: "exp", rate: k, midpoint_mV: a.mid, scale_mV: a.scale };
  }
  if (f.type === "bin" && f.op === "/" && k === 1) {
    const r = numOf(f.left);
    const d = f.right;
    if (r !== undefined && d.type === "bin" && d.op === "+") {
      const e = numOf(d.left) === 1 ? expArg(d.right) : numOf(d.right) === 1 ? expArg(d.left) : undefined;
      const a = e && affine(e);
      // rate/(1 + e^(−(V − mid)/scale)): the tree's exponent is (V − m)/s = −(V − m)/(−s)
      if (a) return { form: "sigmoid", rate: r, midpoint_mV: a.mid, scale_mV: -a.scale };
    }
    // c/exprel(E) with E = −(V − mid)/scale: expLinear with rate k·c
    const c = numOf(f.left);
    if (c !== undefined && d.type === "call" && d.fn === "exprel") {
      const a = affine(d.args[0] as Expr);
      if (a) return { form: "expLinear", rate: c, midpoint_mV: a.mid, scale_mV: -a.scale };
    }
  }
  if (k !== 1 && f.type === "bin" && f.op === "/") {
    const c = numOf(f.left);
    const d = f.right;
    if (c !== undefined && d.type === "call" && d.fn === "exprel") {
      const a = affine(d.args[0] as Expr);
      if (a) return { form: "expLinear", rate: k * c, midpoint_mV: a.mid, scale_mV: -a.scale };
    }
  }
  return undefined;
}

/** A rate law for a tree of V: a standard form when the tree is one, else the expression (singularities guarded). */
export function rateLaw(tree: Expr): RateLaw {
  const guarded = guardSingularities(bindConstants(tree, {}));
  return standard(guarded) ?? { form: "expr", expr: exprToString(guarded) };
}

/** q10^((celsius − T0)/10) as a temperature dependence, when the tree is exactly that. */
export function temperatureFactor(e: Expr): TemperatureDependence | undefined {
  if (e.type !== "bin" || e.op !== "^") return undefined;
  const q10 = numOf(e.left);
  const x = e.right;
  if (q10 === undefined || x.type !== "bin" || x.op !== "/" || numOf(x.right) !== 10) return undefined;
  const d = x.left;
  if (d.type === "bin" && d.op === "-" && d.left.type === "name" && d.left.name === CELSIUS && numOf(d.right) !== undefined) {
    return { q10, reference_celsius: numOf(d.right) as number };
  }
  return undefined;
}

export const usesCelsius = (e: Expr) => freeNames(e).has(CELSIUS);
