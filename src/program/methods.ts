import type { Expr } from "../models/expr.js";
import type { Equations } from "./equations.js";
import { add, call, div, type Lets, mul, neg, num, ref, sub } from "./tree.js";
import { type Block, type CurrentInput, DT } from "./types.js";

/**
 * A method as a recipe over the membrane equations: given the lets collected so far and the
 * state at the start of the step, it returns the state after one step of dt (names: see
 * equations.ts; the injected currents are the inputs it declares).
 */
export interface Recipe {
  readonly currents: readonly CurrentInput[];
  step(eq: Equations, L: Lets, y: readonly Expr[]): Expr[];
}

const I = ref("I");
const dt = ref(DT);
/** φ₁(x) = (eˣ − 1)/x, the exponential integrators' function (the expression language's exprel). */
const phi1 = (x: Expr) => call("exprel", x);

/** Each gate by its exact exponential over dt with α, β frozen: x + dt·(α − (α+β)x)·φ₁(−(α+β)dt). */
function gateExponential(eq: Equations, L: Lets, v: Expr, xs: readonly Expr[], cs: readonly Expr[]): Expr[] {
  return xs.map((x, k) => {
    const { alpha, beta } = eq.gateRates(L, "", k, v, cs);
    const s = L.bind(`s${k}`, add(alpha, beta));
    return mul(mul(dt, sub(alpha, mul(s, x))), phi1(mul(neg(s), dt)));
  });
}

/**
 * Each pool by its exact exponential over dt with the ion current frozen at the start of the step
 * (the pool is linear in C: NEURON's cnexp for CaDynamics_E2): C + dt·f·φ₁(−dt/τ), f = dC/dt at t.
 */
function poolExponential(eq: Equations, L: Lets, v: Expr, xs: readonly Expr[], cs: readonly Expr[]): Expr[] {
  return cs.map((c, j) => {
    const f = eq.poolDerivative(L, "", j, c, eq.poolCurrent(L, "", j, v, xs, cs));
    return add(c, mul(mul(dt, f), phi1(div(neg(dt), num(eq.poolTau(j))))));
  });
}

export const RECIPES: Readonly<Record<string, Recipe>> = {
  /** f(y) itself (for the methods that drive a derivative, rk45 among them). */
  derivatives: {
    currents: [{ name: "I", at: "start" }],
    step: (eq, L, y) => eq.derivatives(L, "", y, I),
  },

  /** Forward Euler, the lab's method: y + dt·f(y). */
  euler: {
    currents: [{ name: "I", at: "start" }],
    step: (eq, L, y) => eq.derivatives(L, "", y, I).map((d, j) => add(y[j] as Expr, mul(dt, d))),
  },

  /**
   * Exponential Euler (Rush–Larsen), V exact too (Brian2's exponential_euler): each equation
   * integrated exactly for the other variables frozen at t. V ← V + dt·f·φ₁(−b·dt) with
   * b = Σg/C, f = (ΣgE + I)/C − b·V; each gate by its exponential; each pool by its exponential
   * with the ion current at t.
   */
  "exp-euler": {
    currents: [{ name: "I", at: "start" }],
    step(eq, L, y) {
      const { v, xs, cs } = eq.split(y);
      const { gTotal, gE } = eq.conductance(L, "", v, xs, cs);
      const b = L.bind("bV", div(gTotal, ref("Cm")));
      const f = L.bind("fV", sub(div(add(gE, I), ref("Cm")), mul(b, v)));
      const gates = gateExponential(eq, L, v, xs, cs);
      const pools = poolExponential(eq, L, v, xs, cs);
      return [add(v, mul(mul(dt, f), phi1(mul(neg(b), dt)))), ...gates.map((d, k) => add(xs[k] as Expr, d)), ...pools];
    },
  },

  /**
   * NEURON's fixed-step default: V implicitly with the gates at t and I at t + dt/2,
   * V′ = (C/dt·V + ΣgE + I)/(C/dt + Σg) (exact: the current is linear in V); then each gate by its
   * exponential at V′ (and the concentrations at t); each pool by its exponential with the ion
   * current at t (NEURON evaluates ica with the currents, before the V solve, and its pool's
   * cnexp step reads that ica).
   */
  "backward-euler": {
    currents: [{ name: "Ih", at: "half" }],
    step(eq, L, y) {
      const { v, xs, cs } = eq.split(y);
      const { gTotal, gE } = eq.conductance(L, "", v, xs, cs);
      const c = L.bind("cdt", div(ref("Cm"), dt));
      const vNew = L.bind("vNew", div(add(add(mul(c, v), gE), ref("Ih")), add(c, gTotal)));
      const pools = poolExponential(eq, L, v, xs, cs);
      const gates = gateExponential(eq, L, vNew, xs, cs);
      return [vNew, ...gates.map((d, k) => add(xs[k] as Expr, d)), ...pools];
    },
  },

  /** The classical Runge–Kutta method; the last stage's current just before t + dt. */
  rk4: {
    currents: [
      { name: "I", at: "start" },
      { name: "Ih", at: "half" },
      { name: "Ie", at: "end" },
    ],
    step(eq, L, y) {
      const h2 = L.bind("h2", div(dt, num(2)));
      const stage = (p: string, h: Expr, k: readonly Expr[]) =>
        y.map((yj, j) => L.bind(`${p}${eq.state[j]}`, add(yj, mul(h, k[j] as Expr))));
      const k1 = eq.derivatives(L, "k1", y, I);
      const k2 = eq.derivatives(L, "k2", stage("y2", h2, k1), ref("Ih"));
      const k3 = eq.derivatives(L, "k3", stage("y3", h2, k2), ref("Ih"));
      const k4 = eq.derivatives(L, "k4", stage("y4", dt, k3), ref("Ie"));
      const h6 = L.bind("h6", div(dt, num(6)));
      return y.map((yj, j) => add(yj, mul(h6, add(add(k1[j] as Expr, mul(num(2), add(k2[j] as Expr, k3[j] as Expr))), k4[j] as Expr))));
    },
  },
};

/** The block of one step. */
export function stepBlock(eq: Equations, recipe: Recipe, L: Lets): Block {
  const out = recipe.step(
    eq,
    L,
    eq.state.map((s) => ref(s)),
  );
  return { lets: L.list, out };
}
