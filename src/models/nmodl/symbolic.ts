import { bindConstants, children, compare, type Expr, evaluate, freeNames, guardSingularities } from "../expr.js";
import type { NExpr, NmodlFile, Stmt } from "./ast.js";
import { nmodlError } from "./lexer.js";

/**
 * Symbolic evaluation of NMODL statements: PROCEDURE and FUNCTION calls are inlined, LOCALs and
 * assignments are followed in order, and every variable ends up as an expression tree of the membrane
 * potential `V`, the temperature `celsius`, the mechanism's states and the ions' reversal potentials
 * (PARAMETERs are numbers by then). What the tree cannot say is refused here with file and line:
 * ion concentrations in rate code, time (`t`, `dt`), loops. An `if` on numbers only is decided here; a
 * clamp becomes min/max; a singularity guard is read as below; any other `if` becomes a conditional of the
 * expression language (`cond ? a : b`, see `piecewise`), as NEURON computes it.
 *
 * Singularity guards. An `if` whose condition is |X| < ε (or ≤; `fabs`) or X == c, with X linear in V, is
 * read as a guard of a removable singularity: the branch taken away from the guarded point (the `else` of
 * `fabs(x/y) < 1e-6`, the nothing of Hay's `if (v == -38) { v = v + 0.0001 }`) is kept, and the 0/0 it
 * has there is rewritten through exprel when the model is compiled (expr.ts, guardSingularities). The
 * translation checks that (a) both branches agree inside the guarded region within 1e-3 relative (so a
 * real piecewise definition is not mistaken for a guard) and (b) every rate built from the kept branch is
 * finite at the guarded point; otherwise the `if` is a general conditional (`piecewise`).
 */

/** Names with a meaning of their own in symbolic trees. */
export const V = "V";
export const CELSIUS = "celsius";

export interface Guard {
  readonly line: number;
  /** The voltage (mV) the guard protects (where its condition is exactly met). */
  readonly at_mV: number;
}

interface Scope {
  readonly vars: Map<string, Expr | undefined>;
  readonly parent: Scope | undefined;
}

export interface EvalContext {
  readonly mod: NmodlFile;
  /** Concentrations (cai, nao …) and ion currents (ica) a mechanism reads: refused where rate code uses them, unless `readable`. */
  readonly concentrations: ReadonlySet<string>;
  /** Those the model format holds: inside concentrations (cai: a pool's state or a fixed value), and a pool mechanism's ion current (ica). */
  readonly readable?: ReadonlySet<string>;
  readonly guards: Guard[];
  /** Celsius used for the numeric checks of guards (the run's temperature). */
  readonly celsiusForChecks: number;
  /** Notes of the import (what was read how), where the evaluator adds its own. */
  readonly notes?: string[];
  /**
   * A call the caller reads itself (a GHK function ghk(v, cai, cao), translate.ts): its tree in place of the
   * inlined body, or undefined to inline it as any other call. Sees the call before its arguments are read.
   */
  readonly intercept?: (name: string, args: readonly NExpr[], line: number) => Expr | undefined;
}

/** The largest number a concentration floor `if (cai < c)` may compare with (mM): far below any physiological cai. */
const CONCENTRATION_FLOOR_MAX = 1e-6;

const num = (value: number): Expr => ({ type: "num", value });
const BUILTINS: Record<string, { arity: number; make: (a: Expr[]) => Expr }> = {
  exp: { arity: 1, make: (a) => ({ type: "call", fn: "exp", args: a }) },
  log: { arity: 1, make: (a) => ({ type: "call", fn: "log", args: a }) },
  log10: {
    arity: 1,
    make: (a) => ({ type: "bin", op: "/", left: { type: "call", fn: "log", args: a }, right: num(Math.LN10) }),
  },
  sqrt: { arity: 1, make: (a) => ({ type: "call", fn: "sqrt", args: a }) },
  fabs: { arity: 1, make: (a) => ({ type: "call", fn: "abs", args: a }) },
  pow: { arity: 2, make: (a) => canonical("^", a[0] as Expr, a[1] as Expr) },
  tanh: { arity: 1, make: (a) => ({ type: "call", fn: "tanh", args: a }) },
  cosh: { arity: 1, make: (a) => ({ type: "call", fn: "cosh", args: a }) },
  sinh: { arity: 1, make: (a) => ({ type: "call", fn: "sinh", args: a }) },
};

/** Folds a node whose operands are numbers (its operands were folded when they were built). */
const fold = (e: Expr): Expr => {
  if (e.type === "select" && e.left.type === "num" && e.right.type === "num") return bindConstants(e, {});
  if (e.type === "bin" && e.left.type === "num" && e.right.type === "num") return bindConstants(e, {});
  if (e.type === "call" && e.args.every((a) => a.type === "num")) return bindConstants(e, {});
  if (e.type === "neg" && e.arg.type === "num") return { type: "num", value: -e.arg.value };
  return e;
};

/**
 * IEEE-exact rewrites: a subtraction where NMODL wrote an addition of a negative number, a + (−c) = a − c and
 * (−c) + a = a − c, so `-1 + exp(x)` reaches the singularity guard as `exp(x) - 1`; and x^2 = x·x.
 */
function canonical(op: "+" | "-" | "*" | "/" | "^", left: Expr, right: Expr): Expr {
  // x^2 = x·x exactly (both are the correctly rounded square), and x·x runs in the WebAssembly kernel
  if (op === "^" && right.type === "num" && right.value === 2 && left.type !== "num") return { type: "bin", op: "*", left, right: left };
  if (op === "+" && right.type === "num" && right.value < 0 && left.type !== "num")
    return { type: "bin", op: "-", left, right: num(-right.value) };
  if (op === "+" && left.type === "num" && left.value < 0 && right.type !== "num")
    return { type: "bin", op: "-", left: right, right: num(-left.value) };
  return { type: "bin", op, left, right };
}

/** Structural equality of two trees. */
export function sameTree(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "num":
      return Object.is(a.value, (b as typeof a).value);
    case "name":
      return a.name === (b as typeof a).name;
    case "neg":
      return sameTree(a.arg, (b as typeof a).arg);
    case "bin": {
      const c = b as typeof a;
      return a.op === c.op && sameTree(a.left, c.left) && sameTree(a.right, c.right);
    }
    case "call": {
      const c = b as typeof a;
      return a.fn === c.fn && a.args.length === c.args.length && a.args.every((x, i) => sameTree(x, c.args[i] as Expr));
    }
    case "select": {
      const c = b as typeof a;
      return (
        a.op === c.op &&
        sameTree(a.left, c.left) &&
        sameTree(a.right, c.right) &&
        sameTree(a.ifTrue, c.ifTrue) &&
        sameTree(a.ifFalse, c.ifFalse)
      );
    }
  }
}

/** a·V + b when e is linear in V with numbers only, else undefined. */
export function linearInV(e: Expr): { a: number; b: number } | undefined {
  const names = freeNames(e);
  if ([...names].some((n) => n !== V)) return undefined;
  const f0 = evaluate(e, 0);
  const f1 = evaluate(e, 1);
  const a = f1 - f0;
  // exact check on a few points: linear functions satisfy f(x) = f0 + a·x up to rounding
  for (const x of [-80, -13.7, 40]) {
    const fx = evaluate(e, x);
    if (!(Math.abs(fx - (f0 + a * x)) <= 1e-9 * (1 + Math.abs(fx)))) return undefined;
  }
  return { a, b: f0 };
}

/** Operations a tree may hold once PROCEDUREs and FUNCTIONs are inlined (shared sub-trees counted each time). */
export const MAX_TREE_SIZE = 5000;
const sizes = new WeakMap<Expr, number>();
/** The size of a tree as text would spell it out (a DAG's shared sub-trees counted at each use), memoised. */
export function treeSize(e: Expr): number {
  if (e.type === "num" || e.type === "name") return 1;
  const known = sizes.get(e);
  if (known !== undefined) return known;
  const n = 1 + children(e).reduce((sum, a) => sum + treeSize(a), 0);
  sizes.set(e, n);
  return n;
}

export class Evaluator {
  readonly global: Scope;
  private depth = 0;
  /** Line of the last assignment of each global variable. */
  readonly assignedAt = new Map<string, number>();
  /** State derivatives `x' = …` met so far. */
  readonly derivatives = new Map<string, { value: Expr; line: number }>();
  readonly solves: { name: string; method: string | undefined; line: number }[] = [];

  constructor(
    private readonly ctx: EvalContext,
    globals: Map<string, Expr | undefined>,
  ) {
    this.global = { vars: globals, parent: undefined };
  }

  private fail(line: number, message: string): Error {
    return nmodlError(this.ctx.mod.file, line, message);
  }

  private lookup(scope: Scope, name: string): Scope | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return s;
    return undefined;
  }

  expr(e: NExpr, scope: Scope = this.global): Expr {
    const out = this.build(e, scope);
    if (treeSize(out) > MAX_TREE_SIZE) {
      throw this.fail(
        e.line,
        `an expression of more than ${MAX_TREE_SIZE} operations once PROCEDUREs and FUNCTIONs are inlined is not allowed`,
      );
    }
    return out;
  }

  private build(e: NExpr, scope: Scope): Expr {
    switch (e.type) {
      case "num":
        return num(e.value);
      case "name": {
        if (this.ctx.readable?.has(e.name)) return { type: "name", name: e.name };
        if (this.ctx.concentrations.has(e.name)) {
          throw this.fail(
            e.line,
            `${e.name} is used: rates and currents may read an inside concentration (cai …) but not ${e.name} (outside concentrations, GHK currents are not supported)`,
          );
        }
        if (e.name === "t" || e.name === "dt")
          throw this.fail(e.line, `${e.name}: rates that depend on time are not supported (allowed: functions of v and celsius)`);
        const s = this.lookup(scope, e.name);
        if (!s) throw this.fail(e.line, `${e.name} is not declared (allowed: LOCAL, PARAMETER, ASSIGNED, STATE, v, celsius)`);
        const value = s.vars.get(e.name);
        if (value === undefined) throw this.fail(e.line, `${e.name} is used before it is assigned`);
        return value;
      }
      case "unary": {
        if (e.op === "!") throw this.fail(e.line, "a logical expression (!) used as a value is not supported");
        const a = this.expr(e.arg, scope);
        return a.type === "num" ? num(-a.value) : { type: "neg", arg: a };
      }
      case "bin": {
        if (e.op !== "+" && e.op !== "-" && e.op !== "*" && e.op !== "/" && e.op !== "^") {
          throw this.fail(e.line, `the comparison ${e.op} used as a value is not supported (only in the condition of an if)`);
        }
        return fold(canonical(e.op, this.expr(e.left, scope), this.expr(e.right, scope)));
      }
      case "call": {
        const taken = this.ctx.intercept?.(e.name, e.args, e.line);
        if (taken) return taken;
        const args = e.args.map((a) => this.expr(a, scope));
        const b = BUILTINS[e.name];
        if (b && !this.ctx.mod.functions.has(e.name)) {
          if (args.length !== b.arity) throw this.fail(e.line, `${e.name} takes ${b.arity} argument(s), got ${args.length}`);
          return fold(b.make(args));
        }
        if (!this.ctx.mod.functions.get(e.name)) {
          if (this.ctx.mod.procedures.has(e.name)) throw this.fail(e.line, `PROCEDURE ${e.name} has no value (call it as a statement)`);
          throw this.fail(e.line, `unknown function ${e.name}; allowed: the file's FUNCTIONs and ${Object.keys(BUILTINS).join(", ")}`);
        }
        return this.inline(e.name, args, e.line);
      }
    }
  }

  /** The value of the file's FUNCTION `name` at argument trees `args`, its body inlined. */
  inline(name: string, args: Expr[], line: number): Expr {
    const f = this.ctx.mod.functions.get(name);
    if (!f) throw this.fail(line, `unknown function ${name}`);
    const local = this.enter(f.name, f.params, args, line);
    local.vars.set(f.name, undefined);
    this.block(f.body, local);
    this.depth--;
    const value = local.vars.get(f.name);
    if (value === undefined) throw this.fail(f.line, `FUNCTION ${f.name} does not assign its value (${f.name} = …)`);
    return value;
  }

  private enter(name: string, params: readonly { name: string }[], args: Expr[], line: number): Scope {
    if (params.length !== args.length) throw this.fail(line, `${name} takes ${params.length} argument(s), got ${args.length}`);
    if (++this.depth > 40) throw this.fail(line, `${name}: calls nested too deeply (recursion is not supported)`);
    return { vars: new Map(params.map((p, i) => [p.name, args[i] as Expr])), parent: this.global };
  }

  block(body: readonly Stmt[], scope: Scope = this.global): void {
    for (const s of body) this.statement(s, scope);
  }

  private statement(s: Stmt, scope: Scope): void {
    switch (s.type) {
      case "local":
        for (const n of s.names) scope.vars.set(n, undefined);
        return;
      case "table":
        return;
      case "block":
        this.block(s.body, scope);
        return;
      case "solve":
        this.solves.push({ name: s.name, method: s.method, line: s.line });
        return;
      case "assign": {
        const target = this.lookup(scope, s.name);
        if (!target) throw this.fail(s.line, `${s.name} is not declared (allowed: LOCAL, PARAMETER, ASSIGNED, STATE, v)`);
        target.vars.set(s.name, this.expr(s.value, scope));
        if (target === this.global) this.assignedAt.set(s.name, s.line);
        return;
      }
      case "derivative": {
        const target = this.lookup(scope, s.name);
        if (target !== this.global || !this.ctx.mod.states.some((d) => d.name === s.name))
          throw this.fail(s.line, `${s.name}' : only STATE variables have derivatives`);
        this.derivatives.set(s.name, { value: this.expr(s.value, scope), line: s.line });
        return;
      }
      case "call": {
        const p = this.ctx.mod.procedures.get(s.name);
        if (!p) {
          if (this.ctx.mod.functions.has(s.name) || BUILTINS[s.name]) {
            this.expr({ type: "call", name: s.name, args: s.args, line: s.line }, scope);
            return;
          }
          throw this.fail(s.line, `unknown PROCEDURE ${s.name}`);
        }
        const local = this.enter(
          p.name,
          p.params,
          s.args.map((a) => this.expr(a, scope)),
          s.line,
        );
        this.block(p.body, local);
        this.depth--;
        return;
      }
      case "if":
        this.conditional(s, scope);
        return;
    }
  }

  /** A snapshot of every scope on the chain (values are immutable trees, so maps are enough). */
  private snapshot(scope: Scope): Map<Scope, Map<string, Expr | undefined>> {
    const out = new Map<Scope, Map<string, Expr | undefined>>();
    for (let s: Scope | undefined = scope; s; s = s.parent) out.set(s, new Map(s.vars));
    return out;
  }
  private restore(snap: Map<Scope, Map<string, Expr | undefined>>): void {
    for (const [s, vars] of snap) {
      s.vars.clear();
      for (const [k, v] of vars) s.vars.set(k, v);
    }
  }

  /**
   * `if (cai < c) {…}` with c a tiny positive number (≤ 1e-6 mM) and a condition of inside concentrations only
   * (SK_E2's `if (ca < 1e-7) {ca = ca + 1e-7}`, a guard against log/division at cai = 0): read as false, the
   * else branch. A pool keeps cai at or above the lesser of its initial and resting concentrations while its
   * ion current is inward (NEURON's defaults: 5e-5 mM), and a fixed cai is NEURON's 5e-5 mM; noted.
   */
  private concentrationFloor(s: Extract<Stmt, { type: "if" }>, scope: Scope): boolean {
    const c = s.cond;
    if (c.type !== "bin" || (c.op !== "<" && c.op !== "<=")) return false;
    const r = this.expr(c.right, scope);
    if (r.type !== "num" || !(r.value > 0 && r.value <= CONCENTRATION_FLOOR_MAX)) return false;
    const names = [...freeNames(this.expr(c.left, scope))];
    if (names.length === 0 || !names.every((n) => this.ctx.readable?.has(n) && /^[a-z][a-z0-9]*i$/.test(n))) return false;
    this.block(s.otherwise ?? [], scope);
    const note = `line ${s.line}: if (${names.join(", ")} ${c.op} ${r.value} mM) read as false (a floor far below the concentrations a pool or NEURON's default cai 5e-5 mM reach)`;
    if (!this.ctx.notes?.includes(note)) this.ctx.notes?.push(note);
    return true;
  }

  private conditional(s: Extract<Stmt, { type: "if" }>, scope: Scope): void {
    const constant = this.constantCondition(s.cond, scope);
    if (constant !== undefined) {
      this.block(constant ? s.then : (s.otherwise ?? []), scope);
      return;
    }
    if (this.clamp(s, scope)) return;
    if (this.concentrationFloor(s, scope)) return;
    if (this.guard(s, scope)) return;
    this.piecewise(s, scope);
  }

  /**
   * A general if/else: both branches are followed from the state before the if, and every variable (and
   * state derivative) they leave different becomes `cond ? then : else` (expr.ts's conditional; && and ||
   * nest conditionals, ! swaps the branches). The condition is read before either branch runs.
   */
  private piecewise(s: Extract<Stmt, { type: "if" }>, scope: Scope): void {
    const choose = this.condition(s.cond, scope);
    const before = this.snapshot(scope);
    const derivativesBefore = new Map(this.derivatives);
    this.block(s.then, scope);
    const thenState = this.snapshot(scope);
    const thenDerivatives = new Map(this.derivatives);
    this.restore(before);
    this.derivatives.clear();
    for (const [k, d] of derivativesBefore) this.derivatives.set(k, d);
    this.block(s.otherwise ?? [], scope);
    for (const [sc, vars] of this.snapshot(scope)) {
      const other = thenState.get(sc) as Map<string, Expr | undefined>;
      for (const name of new Set([...vars.keys(), ...other.keys()])) {
        const f = vars.get(name);
        const t = other.get(name);
        if (t === f) continue;
        // assigned in one branch only (and not before): unassigned after the if, as NMODL would leave it undefined
        sc.vars.set(name, t === undefined || f === undefined ? undefined : choose(t, f));
        if (sc === this.global) this.assignedAt.set(name, s.line);
      }
    }
    for (const name of new Set([...this.derivatives.keys(), ...thenDerivatives.keys()])) {
      const f = this.derivatives.get(name);
      const t = thenDerivatives.get(name);
      if (t === f) continue;
      if (!t || !f) throw this.fail(s.line, `${name}' is given in one branch of this if only (allowed: in both, or outside the if)`);
      this.derivatives.set(name, { value: choose(t.value, f.value), line: s.line });
    }
  }

  /** A condition as a function that builds `condition ? t : f` (its operands read now, in the state before the if). */
  private condition(c: NExpr, scope: Scope): (t: Expr, f: Expr) => Expr {
    const same = (build: (t: Expr, f: Expr) => Expr) => (t: Expr, f: Expr) => (sameTree(t, f) ? t : fold(build(t, f)));
    if (c.type === "unary" && c.op === "!") {
      const a = this.condition(c.arg, scope);
      return same((t, f) => a(f, t));
    }
    if (c.type === "bin" && (c.op === "&&" || c.op === "||")) {
      const a = this.condition(c.left, scope);
      const b = this.condition(c.right, scope);
      return c.op === "&&" ? same((t, f) => a(b(t, f), f)) : same((t, f) => a(t, b(t, f)));
    }
    if (c.type === "bin" && (c.op === "<" || c.op === "<=" || c.op === ">" || c.op === ">=" || c.op === "==" || c.op === "!=")) {
      const op = c.op;
      const left = this.expr(c.left, scope);
      const right = this.expr(c.right, scope);
      return same((t, f) => ({ type: "select", op, left, right, ifTrue: t, ifFalse: f }));
    }
    // a number as a condition: true when it is not 0
    const x = this.expr(c, scope);
    return same((t, f) => ({ type: "select", op: "!=", left: x, right: num(0), ifTrue: t, ifFalse: f }));
  }

  /**
   * A singularity guard (see the file's comment): true when the if was read as one (the far branch's
   * values kept); false, with the state as before the if, when it is not one.
   */
  private guard(s: Extract<Stmt, { type: "if" }>, scope: Scope): boolean {
    const c = s.cond;
    if (c.type !== "bin") return false;
    let X: Expr | undefined;
    let eps = 0;
    let near: "then" | "else";
    const side = (e: NExpr) => this.expr(e, scope);
    if (c.op === "==" || c.op === "!=") {
      const l = side(c.left);
      const r = side(c.right);
      if (r.type === "num") X = fold({ type: "bin", op: "-", left: l, right: r });
      else if (l.type === "num") X = fold({ type: "bin", op: "-", left: r, right: l });
      near = c.op === "==" ? "then" : "else";
    } else if (c.op === "<" || c.op === "<=" || c.op === ">" || c.op === ">=") {
      const isAbs = (e: NExpr) => e.type === "call" && (e.name === "fabs" || e.name === "abs") && e.args.length === 1;
      const [absSide, epsSide, flip] = isAbs(c.left) ? [c.left, c.right, false] : isAbs(c.right) ? [c.right, c.left, true] : [];
      if (!absSide || !epsSide) return false;
      const e = side(epsSide);
      if (e.type !== "num" || !(e.value > 0) || e.value > 1) return false;
      eps = e.value;
      X = side((absSide as Extract<NExpr, { type: "call" }>).args[0] as NExpr);
      const lessThan = (c.op === "<" || c.op === "<=") !== flip;
      near = lessThan ? "then" : "else";
    } else return false;
    const lin = X && linearInV(X);
    if (!lin || lin.a === 0) return false;
    const at = -lin.b / lin.a;
    const probe = at + eps / (2 * Math.abs(lin.a));
    const before = this.snapshot(scope);
    const derivativesBefore = new Map(this.derivatives);
    const nearBody = near === "then" ? s.then : (s.otherwise ?? []);
    const farBody = near === "then" ? (s.otherwise ?? []) : s.then;
    this.block(nearBody, scope);
    const nearState = this.snapshot(scope);
    this.restore(before);
    this.block(farBody, scope);
    const farState = this.snapshot(scope);
    const bind = { [CELSIUS]: this.ctx.celsiusForChecks };
    const isGuard = (() => {
      // a guard sets variables, not state derivatives
      if (this.derivatives.size !== derivativesBefore.size || [...this.derivatives].some(([k, d]) => derivativesBefore.get(k) !== d))
        return false;
      for (const [sc, vars] of farState) {
        const other = nearState.get(sc) as Map<string, Expr | undefined>;
        for (const [name, value] of vars) {
          const o = other.get(name);
          if (value === o || value === undefined || o === undefined) continue;
          // a nudge, v = v ± δ with |δ| ≤ 0.01 mV (Hay's v + 0.0001): its effect is checked on the rates built after it
          if (
            o.type === "bin" &&
            (o.op === "+" || o.op === "-") &&
            o.right.type === "num" &&
            Math.abs(o.right.value) <= 0.01 &&
            sameTree(o.left, value)
          )
            continue;
          // the kept branch must be finite at the guarded point once its 0/0 is rewritten through exprel, and
          // agree with the near branch there (else the if is a real piecewise definition)
          const vf = evaluate(guardSingularities(bindConstants(value, bind)), probe);
          const vn = evaluate(bindConstants(o, bind), probe);
          if (!Number.isFinite(vf)) return false;
          if (Number.isFinite(vn) && !(Math.abs(vf - vn) <= 1e-3 * Math.max(Math.abs(vf), Math.abs(vn)) + 1e-12)) return false;
        }
      }
      return true;
    })();
    if (!isGuard) {
      this.restore(before);
      this.derivatives.clear();
      for (const [k, d] of derivativesBefore) this.derivatives.set(k, d);
      return false;
    }
    this.ctx.guards.push({ line: s.line, at_mV: at });
    return true;
  }

  /**
   * A clamp, `if (x < c) { x = c }` (or >, <=, >=, either side): x = max(x, c) or min(x, c), which is the
   * same value for every x (they differ from the if only in which of two equal numbers is returned).
   */
  private clamp(s: Extract<Stmt, { type: "if" }>, scope: Scope): boolean {
    const c = s.cond;
    const body = s.then.length === 1 ? s.then[0] : undefined;
    if (s.otherwise || c.type !== "bin" || !body || body.type !== "assign") return false;
    if (c.op !== "<" && c.op !== "<=" && c.op !== ">" && c.op !== ">=") return false;
    const target = this.lookup(scope, body.name);
    if (!target) return false;
    const isTarget = (e: NExpr) => e.type === "name" && e.name === body.name;
    const [bound, less] = isTarget(c.left)
      ? [c.right, c.op === "<" || c.op === "<="]
      : isTarget(c.right)
        ? [c.left, c.op === ">" || c.op === ">="]
        : [undefined, false];
    if (!bound) return false;
    const b = this.expr(bound, scope);
    if (!sameTree(b, this.expr(body.value, scope))) return false;
    const x = this.expr({ type: "name", name: body.name, line: s.line }, scope);
    // x < b → x = b: max(x, b); x > b → x = b: min(x, b)
    target.vars.set(body.name, fold({ type: "call", fn: less ? "max" : "min", args: [x, b] }));
    if (target === this.global) this.assignedAt.set(body.name, body.line);
    return true;
  }

  /** The value of a condition on numbers only (undefined when it depends on V or states). */
  private constantCondition(c: NExpr, scope: Scope): boolean | undefined {
    if (c.type === "unary" && c.op === "!") {
      const a = this.constantCondition(c.arg, scope);
      return a === undefined ? undefined : !a;
    }
    if (c.type !== "bin") {
      const v = this.expr(c, scope);
      return v.type === "num" ? v.value !== 0 : undefined;
    }
    if (c.op === "&&" || c.op === "||") {
      const a = this.constantCondition(c.left, scope);
      const b = this.constantCondition(c.right, scope);
      if (a === undefined || b === undefined) return undefined;
      return c.op === "&&" ? a && b : a || b;
    }
    if (c.op === "+" || c.op === "-" || c.op === "*" || c.op === "/" || c.op === "^") {
      const v = this.expr(c, scope);
      return v.type === "num" ? v.value !== 0 : undefined;
    }
    const l = this.expr(c.left, scope);
    const r = this.expr(c.right, scope);
    if (l.type !== "num" || r.type !== "num") return undefined;
    return compare(c.op, l.value, r.value);
  }
}
