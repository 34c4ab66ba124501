import { InvalidArgumentError } from "../../errors.js";
import { bindConstants, type CompareOp, type Expr, evaluate, guardSingularities, linear, parseExpr } from "../expr.js";
import { checkAttrs, childrenOf, refuse, required } from "./element.js";
import { LEMS_DIMENSIONS, quantity } from "./units.js";
import type { El } from "./xml.js";

/**
 * LEMS ComponentTypes defined in a NeuroML file (the pattern of most Open Source Brain channels): a rate,
 * time course or steady state whose Dynamics are DerivedVariable / ConditionalDerivedVariable expressions
 * over `v`, `temperature`, `vShift`, the gate's `alpha`/`beta` and the type's Constants and Parameters.
 * Each becomes one spikelab expression tree in V (mV). Every quantity is taken in spikelab's coherent units
 * (mV, ms, 1/ms, mM, K), so the dimensionally consistent LEMS expression gives spikelab's value directly.
 */

/** The base types a rate-like ComponentType may extend, with the variable it exposes. */
export const LEMS_BASES: Record<string, { exposure: string; kind: "rate" | "time" | "none"; conc: boolean }> = {
  baseVoltageDepRate: { exposure: "r", kind: "rate", conc: false },
  baseVoltageDepTime: { exposure: "t", kind: "time", conc: false },
  baseVoltageDepVariable: { exposure: "x", kind: "none", conc: false },
  baseVoltageConcDepRate: { exposure: "r", kind: "rate", conc: true },
  baseVoltageConcDepTime: { exposure: "t", kind: "time", conc: true },
  baseVoltageConcDepVariable: { exposure: "x", kind: "none", conc: true },
};

/** Names the import binds for a ComponentType's expressions (already trees in V). */
export type Bindings = Readonly<Record<string, Expr | undefined>>;

const CALCIUM =
  'calcium concentration (caConc) is read, but the cell has no <species ion="ca"> in its intracellularProperties (a pool or fixed concentrations)';

/** Parses one LEMS expression ("exp ((V+35)/5)", "x^2") into a tree; LEMS's ln is spikelab's log. */
export function lemsExpr(el: El, text: string): Expr {
  if (/\blog\s*\(/.test(text)) throw refuse(el, `log(…) is base 10 in LEMS; spikelab's import reads only ln(…): ${JSON.stringify(text)}`);
  if (/\b(H|ceil|floor|random|sin|cos|tan|factorial)\s*\(/.test(text))
    throw refuse(el, `function not supported in ${JSON.stringify(text)}`);
  try {
    return parseExpr(text.replace(/\bln\s*\(/g, "log("));
  } catch (e) {
    throw refuse(el, (e as Error).message);
  }
}

/** Replaces every name by its binding; an unbound name is refused. */
function substitute(e: Expr, lookup: (name: string) => Expr, el: El): Expr {
  const walk = (x: Expr): Expr => {
    switch (x.type) {
      case "num":
        return x;
      case "name":
        return lookup(x.name);
      case "neg":
        return { type: "neg", arg: walk(x.arg) };
      case "bin":
        return { type: "bin", op: x.op, left: walk(x.left), right: walk(x.right) };
      case "call":
        return { type: "call", fn: x.fn, args: x.args.map(walk) };
      case "select":
        return { type: "select", op: x.op, left: walk(x.left), right: walk(x.right), ifTrue: walk(x.ifTrue), ifFalse: walk(x.ifFalse) };
    }
  };
  void el;
  return walk(e);
}

/** True when the tree is > 0 for every V (sums, products, quotients of positive numbers, exp, exprel, cosh). */
export function positive(e: Expr): boolean {
  switch (e.type) {
    case "num":
      return e.value > 0;
    case "name":
    case "neg":
      return false;
    case "call":
      return e.fn === "exp" || e.fn === "exprel" || e.fn === "cosh";
    case "select":
      return positive(e.ifTrue) && positive(e.ifFalse);
    case "bin":
      if (e.op === "+" || e.op === "*" || e.op === "/") return positive(e.left) && positive(e.right);
      if (e.op === "^") return positive(e.left);
      return e.op === "-" && positive(e.left) && e.right.type === "num" && e.right.value <= 0;
  }
}

const COMPARATORS = /\.(lt|gt|eq|neq|leq|geq)\./;

/** Where the import checks that a piecewise function is a min or max (mV), and the step. */
export const PIECEWISE_CHECK = { from_mV: -150, to_mV: 100, step_mV: 0.01 } as const;

/**
 * A piecewise function "f above V*, g below" (`above` false: the other way round) as min(f, g) or max(f, g),
 * when f and g meet at V* (to 1e-12) and the active branch is the smaller (larger) one on both sides,
 * checked on PIECEWISE_CHECK's grid; else undefined.
 */
function minMax(f: Expr, g: Expr, vStar: number, above: boolean): Expr | undefined {
  const [hi, lo] = above ? [f, g] : [g, f]; // hi: active for V > V*, lo: for V < V*
  const fh = guardSingularities(bindConstants(hi, {}));
  const fl = guardSingularities(bindConstants(lo, {}));
  const a = evaluate(fh, vStar);
  const b = evaluate(fl, vStar);
  if (!(Number.isFinite(a) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)))) return undefined;
  for (const fn of ["min", "max"] as const) {
    const better = (x: number, y: number) => (fn === "min" ? x <= y : x >= y);
    let ok = true;
    const { from_mV, to_mV, step_mV } = PIECEWISE_CHECK;
    for (let k = 0; ok && from_mV + k * step_mV <= to_mV; k++) {
      const V = from_mV + k * step_mV;
      const x = evaluate(fh, V);
      const y = evaluate(fl, V);
      ok = V > vStar ? better(x, y) : V < vStar ? better(y, x) : true;
    }
    if (ok) return { type: "call", fn, args: [hi, lo] };
  }
  return undefined;
}

interface Case {
  readonly el: El;
  readonly cond?: { readonly op: string; readonly x: Expr; readonly text: string };
  readonly value: Expr;
}

/**
 * A ConditionalDerivedVariable as one expression, where the conditions are guards and not a piecewise
 * function: a case whose condition is provably always true or always false (its sides differ by a
 * provably positive expression) is taken or dropped; a case `X .eq. 0` / `X .neq. 0` with X linear in V is a
 * removable-singularity guard at one voltage V*, accepted when the guarded expression (c/exprel, see
 * guardSingularities) is finite at V* and equals the other branch there (to 1e-9); a piecewise function that is
 * the min or max of its branches is written so. Any other condition becomes the expression language's
 * conditional (`x < 0 ? a : b`, see expr.ts), which every backend computes.
 */
function conditional(cases: readonly Case[], owner: El): Expr {
  const [first, ...rest] = cases;
  if (!first) throw refuse(owner, "has no Case");
  if (!first.cond) return first.value;
  const { op, x } = first.cond;
  const sign = positive(x) ? 1 : positive({ type: "neg", arg: x }) ? -1 : 0;
  if (sign !== 0) {
    const holds = sign > 0 ? op === "gt" || op === "geq" || op === "neq" : op === "lt" || op === "leq" || op === "neq";
    return holds ? first.value : conditional(rest, owner);
  }
  const l = linear(x);
  if ((op === "eq" || op === "neq") && l && l.a !== 0) {
    const vStar = -l.b / l.a;
    const other = conditional(rest, owner);
    const [general, atPoint] = op === "neq" ? [first.value, other] : [other, first.value];
    const guarded = guardSingularities(bindConstants(general, {}));
    const g = evaluate(guarded, vStar);
    const p = evaluate(bindConstants(atPoint, {}), vStar);
    if (Number.isFinite(g) && Math.abs(g - p) <= 1e-9 * Math.max(1, Math.abs(p))) return guarded;
    // not a guard: a value of its own at V*, kept as a conditional
    return select(op, x, first.value, other);
  }
  if (l && l.a !== 0 && op !== "eq" && op !== "neq") {
    const vStar = -l.b / l.a;
    const other = conditional(rest, owner);
    const joined = minMax(first.value, other, vStar, l.a > 0 === (op === "gt" || op === "geq"));
    if (joined) return joined;
  }
  // a piecewise function: the expression language's conditional (x op 0 ⟺ lhs op rhs in IEEE arithmetic)
  return select(op, x, first.value, conditional(rest, owner));
}

const COMPARE: Readonly<Record<string, CompareOp>> = { lt: "<", gt: ">", eq: "==", neq: "!=", leq: "<=", geq: ">=" };

/** `x op 0 ? ifTrue : ifFalse` for a LEMS comparator (.lt. …) applied to x = lhs − rhs. */
function select(op: string, x: Expr, ifTrue: Expr, ifFalse: Expr): Expr {
  const cmp = COMPARE[op];
  if (!cmp) throw new InvalidArgumentError(`unknown LEMS comparator .${op}.`);
  return { type: "select", op: cmp, left: x, right: { type: "num", value: 0 }, ifTrue, ifFalse };
}

/**
 * The exposed value (a tree in V) of a component of ComponentType `ct`, whose own element `component`
 * supplies the Parameters as attributes; `bindings` holds v (→ V), temperature (K), vShift (mV), alpha/beta.
 */
export function componentValue(ct: El, component: El, bindings: Bindings): { expr: Expr; kind: "rate" | "time" | "none" } {
  checkAttrs(ct, ["name", "extends"]);
  const base = LEMS_BASES[ct.attrs.extends ?? ""];
  if (!base) {
    throw refuse(
      ct,
      `extends ${JSON.stringify(ct.attrs.extends ?? "")}; spikelab reads ComponentTypes that extend ${Object.keys(LEMS_BASES).join(", ")}`,
    );
  }
  const values = new Map<string, Expr>();
  const pending = new Map<string, El>();
  const requirements = new Set<string>(["v", ...(base.conc ? ["caConc"] : [])]);
  let dynamics: El | undefined;
  for (const c of childrenOf(ct, ["Constant", "Parameter", "Requirement", "Exposure", "Dynamics", "Child", "Text"])) {
    if (c.tag === "Constant" || c.tag === "Parameter") {
      checkAttrs(c, ["name", "dimension", "value"]);
      const name = required(c, "name");
      const dim = LEMS_DIMENSIONS[required(c, "dimension")];
      if (!dim)
        throw refuse(
          c,
          `dimension ${JSON.stringify(c.attrs.dimension)} is not one spikelab converts (${Object.keys(LEMS_DIMENSIONS).join(", ")})`,
        );
      const raw = c.tag === "Constant" ? required(c, "value") : component.attrs[name];
      if (raw === undefined) throw refuse(component, `gives no value for Parameter ${name} of ComponentType ${ct.attrs.name}`);
      const v = quantity(raw, dim, `${c.tag} ${name} of ComponentType ${ct.attrs.name}`);
      values.set(name, { type: "num", value: dim === "temperature" ? v + 273.15 : v });
    } else if (c.tag === "Requirement") {
      checkAttrs(c, ["name", "dimension"]);
      requirements.add(required(c, "name"));
    } else if (c.tag === "Child") {
      if (c.attrs.type !== "notes") throw refuse(c, "a Child other than notes is not read");
    } else if (c.tag === "Text") {
      throw refuse(c, "Text fields are not read");
    } else if (c.tag === "Dynamics") dynamics = c;
  }
  if (!dynamics) throw refuse(ct, "has no Dynamics");
  checkAttrs(component, ["type", ...ct.children.filter((c) => c.tag === "Parameter").map((c) => c.attrs.name ?? "")]);
  for (const d of childrenOf(
    dynamics,
    ["DerivedVariable", "ConditionalDerivedVariable"],
    "spikelab reads rate laws, not state variables or events",
  )) {
    pending.set(required(d, "name"), d);
  }
  const visiting = new Set<string>();
  const lookup = (name: string, from: El): Expr => {
    const known = values.get(name);
    if (known) return known;
    const d = pending.get(name);
    if (d) {
      if (visiting.has(name)) throw refuse(d, `${name} depends on itself`);
      visiting.add(name);
      const value = derived(d);
      visiting.delete(name);
      values.set(name, value);
      return value;
    }
    if (requirements.has(name) || name === "temperature") {
      const b = bindings[name];
      if (name === "caConc" && !b) throw refuse(from, CALCIUM);
      if (b) return b;
      throw refuse(from, `needs ${name}, which this gate does not provide`);
    }
    throw refuse(
      from,
      `unknown name ${JSON.stringify(name)} (not a Constant, Parameter, Requirement or DerivedVariable of ${ct.attrs.name})`,
    );
  };
  const expression = (el: El, text: string) => substitute(lemsExpr(el, text), (n) => lookup(n, el), el);
  const derived = (d: El): Expr => {
    if (d.tag === "DerivedVariable") {
      checkAttrs(d, ["name", "dimension", "exposure", "value"]);
      if (d.attrs.value === undefined)
        throw refuse(d, "select= (a path to a child's variable) is not read; write the value as an expression");
      return expression(d, d.attrs.value);
    }
    checkAttrs(d, ["name", "dimension", "exposure"]);
    const cases: Case[] = childrenOf(d, ["Case"]).map((c) => {
      checkAttrs(c, ["condition", "value"]);
      const value = expression(c, required(c, "value"));
      const text = c.attrs.condition;
      if (text === undefined) return { el: c, value };
      if (/\.(and|or)\./.test(text)) throw refuse(c, `compound condition ${JSON.stringify(text)} is not read`);
      const parts = text.split(COMPARATORS);
      if (parts.length !== 3)
        throw refuse(c, `condition ${JSON.stringify(text)} must compare two expressions with .lt. .gt. .eq. .neq. .leq. or .geq.`);
      const [lhs, op, rhs] = parts as [string, string, string];
      const x: Expr = bindConstants({ type: "bin", op: "-", left: expression(c, lhs), right: expression(c, rhs) }, {});
      return { el: c, cond: { op, x, text }, value };
    });
    return conditional(cases, d);
  };
  const exposed = pending.get(base.exposure);
  if (!exposed) throw refuse(ct, `extends ${ct.attrs.extends} but defines no ${base.exposure}`);
  let expr: Expr;
  try {
    expr = bindConstants(lookup(base.exposure, exposed), {});
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw refuse(ct, (e as Error).message);
  }
  return { expr, kind: base.kind };
}
