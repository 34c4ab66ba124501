import { children, type Expr, freeNames, linear } from "../models/expr.js";
import type { Emitter } from "./emitter.js";
import { type FastExpParts, fastExpOf, fastExpParts, fastExprelV, fastOverExprelV } from "./simdMath.js";

/**
 * a·N + b when x is linear (models/expr.ts `linear`) in the one name N it reads, with a ≠ 0; else
 * undefined. Fast math evaluates such a tree, e.g. a rate law's −(V + 54)/4, as one multiply–add
 * (emitAffine), as -ffast-math reassociates C++.
 */
export function affine(x: Expr): { name: string; a: number; b: number } | undefined {
  const names = [...freeNames(x)];
  const name = names[0];
  if (name === undefined || names.length > 1) return undefined;
  const f = linear(x, name);
  return f && f.a !== 0 && Number.isFinite(f.a) && Number.isFinite(f.b) ? { name, ...f } : undefined;
}

/** a·n + b on two lanes (n a local): one multiply–add, a multiplication, an addition or n itself. */
export function emitAffine(e: Emitter, n: number, { a, b }: { a: number; b: number }): number {
  if (b === 0) return a === 1 ? n : e.mul(n, e.splat(a));
  return a === 1 ? e.add(n, e.splat(b)) : e.fma(n, e.splat(a), e.splat(b));
}

/** The most |b − b′| between an exponential derived from another and that one: the factor e^(b − b′) within [e^−16, e^16]. */
const MAX_SHIFT = 16;

const EXPONENTIALS = new Set(["exp", "expm1", "exprel"]);

interface Call {
  readonly fn: string;
  readonly name: string;
  readonly a: number;
  readonly b: number;
  readonly key: string;
}

/**
 * Fast math's shared exponentials. Rate laws of one gate family often take e^(a·V + b) at one slope a
 * and several offsets b (the lab: βh's e^(−(V+27)/5) beside αn's expm1(−(V+52)/5); Hodgkin–Huxley 1952: βh
 * beside αm): a plain exp whose argument is a·N + b is derived from the parts (simdMath.ts
 * fastExpParts) of another exponential of the step at a·N + b′ as e^(a·N + b′)·e^(b − b′), one
 * multiply–add and one multiplication instead of a polynomial (within 3 ulp instead of 1). expm1 and exprel
 * are never derived (near their zero they need their own em1). Each exponential's parts are computed
 * once (at its first use, which may be a derived one's) and the base's lanes are flagged at
 * 700 − |b − b′| instead of 700, so that no derived value overflows unflagged.
 */
export class FastExps {
  /** Plain exp calls computed from another call's parts: key → that call and b − b′. */
  private readonly derived = new Map<string, { base: Call; shift: number }>();
  /** Per base key, the most |shift| of the calls derived from it. */
  private readonly reach = new Map<string, number>();
  private readonly parts = new Map<string, FastExpParts>();
  private readonly full = new Map<string, number>();

  /** Plans the sharing over every expression of a step (its lets and outputs). */
  constructor(exprs: readonly Expr[]) {
    const calls = new Map<string, Call>();
    const visit = (x: Expr): void => {
      if (x.type === "call" && EXPONENTIALS.has(x.fn)) {
        const f = affine(x.args[0] as Expr);
        const key = f && `${x.fn} ${f.name} ${f.a} ${f.b}`;
        if (f && key && !calls.has(key)) calls.set(key, { fn: x.fn, ...f, key: `${f.name} ${f.a} ${f.b}` });
      }
      for (const c of children(x)) visit(c);
    };
    for (const x of exprs) visit(x);
    // bases: every expm1/exprel (computed anyway), then each plain exp that finds none near it
    const bases = [...calls.values()].filter((c) => c.fn !== "exp");
    for (const c of calls.values()) {
      if (c.fn !== "exp" || bases.some((b) => b.key === c.key)) continue;
      let best: Call | undefined;
      for (const b of bases) {
        if (b.name === c.name && b.a === c.a && Math.abs(c.b - b.b) <= MAX_SHIFT && (!best || Math.abs(c.b - b.b) < Math.abs(c.b - best.b)))
          best = b;
      }
      if (!best) {
        bases.push(c);
        continue;
      }
      const shift = c.b - best.b;
      this.derived.set(c.key, { base: best, shift });
      this.reach.set(best.key, Math.max(this.reach.get(best.key) ?? 0, Math.abs(shift)));
    }
  }

  /** How many plain exps the plan derives from another exponential (for tests). */
  get derivedCount(): number {
    return this.derived.size;
  }

  /**
   * Emits `fn`(arg) (exp, expm1 or exprel), or a / exprel(arg) where `over` is a's local; `emitArg`
   * emits the argument where it is not affine (then nothing is shared).
   */
  emit(e: Emitter, fn: string, arg: Expr, emitArg: () => number, lookup: (name: string) => number, over?: number): number {
    // in a conditional's branch nothing is shared: its lanes' flags count only where it is selected
    const f = e.inBranch === 0 ? affine(arg) : undefined;
    if (!f) {
      const x = emitArg();
      const p = fastExpParts(e, x);
      return this.finish(e, fn, p, over);
    }
    const key = `${f.name} ${f.a} ${f.b}`;
    const d = fn === "exp" ? this.derived.get(key) : undefined;
    if (d) return e.mul(this.fullOf(e, d.base, lookup), e.splat(Math.exp(d.shift)));
    return this.finish(e, fn, this.partsOf(e, f, key, lookup), over);
  }

  private finish(e: Emitter, fn: string, p: FastExpParts, over: number | undefined): number {
    if (over !== undefined) return fastOverExprelV(e, over, p.x, p);
    if (fn === "exprel") return fastExprelV(e, p.x, p);
    return fastExpOf(e, p, fn === "expm1");
  }

  private partsOf(e: Emitter, f: { name: string; a: number; b: number }, key: string, lookup: (name: string) => number): FastExpParts {
    let p = this.parts.get(key);
    if (!p) {
      p = fastExpParts(e, emitAffine(e, lookup(f.name), f), 700 - (this.reach.get(key) ?? 0));
      this.parts.set(key, p);
    }
    return p;
  }

  /** e^x of a base call, from its parts (computed here if it was not emitted yet), once. */
  private fullOf(e: Emitter, base: Call, lookup: (name: string) => number): number {
    let full = this.full.get(base.key);
    if (full === undefined) {
      full = fastExpOf(e, this.partsOf(e, base, base.key, lookup), false);
      this.full.set(base.key, full);
    }
    return full;
  }
}
