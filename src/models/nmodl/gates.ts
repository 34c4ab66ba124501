import { bindConstants, type Expr, evaluate, freeNames, guardSingularities, parseExpr } from "../expr.js";
import type { RateLaw } from "../rates.js";
import type { TemperatureDependence } from "../types.js";
import { rateLaw, temperatureFactor, usesCelsius } from "./forms.js";
import { CELSIUS, sameTree, V } from "./symbolic.js";

/**
 * A state's gate from its derivative tree: x∞/τ, α/β, or any form affine in the state; a τ divided by
 * q10^((celsius − T0)/10) gives a temperature dependence, by a number a rate factor. `laws` keeps the trees
 * (for the translation's checks); `definition` is empty while celsius is left in a law (the caller then binds it).
 */
export type Laws = { alpha?: Expr; beta?: Expr; inf?: Expr; tau?: Expr };

/** The gate of a state from its derivative: x∞/τ, α/β (with q10 and constant rate factors recognised). */
export function gate(x: string, d: Expr, fail: (m: string) => Error): { definition: Record<string, unknown>; laws: Laws } {
  const free = (e: Expr) => !freeNames(e).has(x);
  const isX = (e: Expr) => e.type === "name" && e.name === x;
  // (inf − x)/tau
  if (
    d.type === "bin" &&
    d.op === "/" &&
    d.left.type === "bin" &&
    d.left.op === "-" &&
    isX(d.left.right) &&
    free(d.left.left) &&
    free(d.right)
  ) {
    return infTau(d.left.left, d.right, fail);
  }
  // alpha·(1 − x) − beta·x
  if (d.type === "bin" && d.op === "-" && d.left.type === "bin" && d.left.op === "*" && d.right.type === "bin" && d.right.op === "*") {
    const a = d.left;
    const b = d.right;
    const oneMinusX = (e: Expr) => e.type === "bin" && e.op === "-" && e.left.type === "num" && e.left.value === 1 && isX(e.right);
    const alpha = oneMinusX(a.right) ? a.left : oneMinusX(a.left) ? a.right : undefined;
    const beta = isX(b.right) ? b.left : isX(b.left) ? b.right : undefined;
    if (alpha && beta && free(alpha) && free(beta)) return rates(alpha, beta, undefined, fail);
  }
  // any other form affine in x: α = x' at x = 0, β = −x' at x = 1 (Durstewitz's ((1-h)*a - h*b)/2)
  const at0 = substitute(d, x, 0);
  const at1 = substitute(d, x, 1);
  if (free(at0) && free(at1) && affineIn(d, x, at0, at1)) {
    return rates(at0, fold({ type: "neg", arg: at1 }), undefined, fail);
  }
  throw fail(
    `${x}' must be affine in ${x}: (${x}inf - ${x})/${x}tau, alpha*(1 - ${x}) - beta*${x}, or another form a - b*${x} with a, b free of ${x}`,
  );
}

const fold = (e: Expr): Expr => bindConstants(e, {});

/** The tree with the state x replaced by a number, simplified by exact rules (1·a = a, a − 0 = a, 0·a = 0/a = 0 for finite a ≠ 0). */
function substitute(e: Expr, x: string, value: number): Expr {
  const walk = (t: Expr): Expr => {
    switch (t.type) {
      case "num":
        return t;
      case "name":
        return t.name === x ? { type: "num", value } : t;
      case "neg": {
        const a = walk(t.arg);
        return a.type === "num" ? { type: "num", value: -a.value } : { type: "neg", arg: a };
      }
      case "call":
        return fold({ type: "call", fn: t.fn, args: t.args.map(walk) });
      case "select":
        return fold({
          type: "select",
          op: t.op,
          left: walk(t.left),
          right: walk(t.right),
          ifTrue: walk(t.ifTrue),
          ifFalse: walk(t.ifFalse),
        });
      case "bin": {
        const l = walk(t.left);
        const r = walk(t.right);
        const isNum = (y: Expr, v: number) => y.type === "num" && y.value === v;
        if ((t.op === "*" && (isNum(l, 0) || isNum(r, 0))) || (t.op === "/" && isNum(l, 0))) return { type: "num", value: 0 };
        if (t.op === "*" && isNum(l, 1)) return r;
        if ((t.op === "*" || t.op === "/") && isNum(r, 1)) return l;
        if ((t.op === "+" || t.op === "-") && isNum(r, 0)) return l;
        if (t.op === "+" && isNum(l, 0)) return r;
        if (t.op === "-" && isNum(l, 0)) return r.type === "num" ? { type: "num", value: -r.value } : { type: "neg", arg: r };
        return fold({ type: "bin", op: t.op, left: l, right: r });
      }
    }
  };
  return walk(e);
}

/** x' = at0 + (at1 − at0)·x, checked at x = 0.5 and 2 on a grid of v (celsius at 6.3 °C for the check). */
function affineIn(d: Expr, x: string, at0: Expr, at1: Expr): boolean {
  const bind = { [CELSIUS]: 6.3 };
  const f = (e: Expr, v: number) => evaluate(guardSingularities(bindConstants(e, bind)), v);
  for (const v of [-90.3, -61.7, -33.1, -4.9, 23.3]) {
    const a = f(at0, v);
    const b = f(at1, v);
    for (const s of [0.5, 2]) {
      const want = a + (b - a) * s;
      const got = f(substitute(d, x, s), v);
      if (!Number.isFinite(got) || !(Math.abs(got - want) <= 1e-9 * (Math.abs(a) + Math.abs(b) + 1e-300))) return false;
    }
  }
  return true;
}

/** NEURON's name of an inside concentration: cai, nai, ki … */
export const INSIDE_CONCENTRATION = /^[a-z][a-z0-9]*i$/;

export function lawOf(e: Expr, what: string, fail: (m: string) => Error): RateLaw {
  // an inside concentration (cai …, mM) is a name of the model format (checked against its ions when compiled)
  const names = [...freeNames(e)].filter((n) => n !== V && n !== CELSIUS && !INSIDE_CONCENTRATION.test(n));
  if (names.length > 0)
    throw fail(`${what} depends on ${names.join(", ")}; rates may depend on v, celsius and inside concentrations (cai …) only`);
  const law = rateLaw(e);
  if (law.form === "expr") {
    // the model format bounds expressions (length, nesting): say so here, with the file and line
    try {
      parseExpr(law.expr);
    } catch (err) {
      throw fail(`${what} does not fit the model format's expressions: ${(err as Error).message.slice(0, 160)}`);
    }
  }
  return law;
}

function rates(
  alpha: Expr,
  beta: Expr,
  factor: { temperature?: TemperatureDependence; rate_factor?: number } | undefined,
  fail: (m: string) => Error,
) {
  const laws: Laws = { alpha, beta };
  if (usesCelsius(alpha) || usesCelsius(beta)) return { definition: {}, laws };
  return {
    definition: { alpha: lawOf(alpha, "alpha", fail), beta: lawOf(beta, "beta", fail), ...factor },
    laws,
  };
}

/** Splits τ = R/Q, 1/(Q·S) into R and a temperature dependence or constant rate factor. */
function splitTau(tau: Expr): { rest: Expr; temperature?: TemperatureDependence; rate_factor?: number } {
  if (tau.type === "bin" && tau.op === "/") {
    const t = temperatureFactor(tau.right);
    if (t) return { rest: tau.left, temperature: t };
    if (tau.right.type === "num" && tau.right.value > 0) return { rest: tau.left, rate_factor: tau.right.value };
    // 1/(Q·S) → 1/S with Q
    const den = tau.right;
    if (tau.left.type === "num" && den.type === "bin" && den.op === "*") {
      const tl = temperatureFactor(den.left);
      const tr = temperatureFactor(den.right);
      if (tl) return { rest: { type: "bin", op: "/", left: tau.left, right: den.right }, temperature: tl };
      if (tr) return { rest: { type: "bin", op: "/", left: tau.left, right: den.left }, temperature: tr };
    }
  }
  return { rest: tau };
}

function infTau(inf: Expr, tau: Expr, fail: (m: string) => Error) {
  const split = splitTau(tau);
  const factor = {
    ...(split.temperature ? { temperature: split.temperature } : {}),
    ...(split.rate_factor !== undefined ? { rate_factor: split.rate_factor } : {}),
  };
  // inf = A/(A + B) and tau = 1/(A + B): a rates gate (hh.mod, Hay's α/β channels)
  const r = split.rest;
  if (
    inf.type === "bin" &&
    inf.op === "/" &&
    inf.right.type === "bin" &&
    inf.right.op === "+" &&
    sameTree(inf.right.left, inf.left) &&
    r.type === "bin" &&
    r.op === "/" &&
    r.left.type === "num" &&
    r.left.value === 1 &&
    sameTree(r.right, inf.right)
  ) {
    return rates(inf.left, inf.right.right, factor, fail);
  }
  const laws: Laws = { inf, tau: split.rest };
  if (usesCelsius(inf) || usesCelsius(split.rest)) return { definition: {}, laws };
  return { definition: { inf: lawOf(inf, "inf", fail), tau: lawOf(split.rest, "tau", fail), ...factor }, laws };
}
