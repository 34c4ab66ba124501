import type { Expr, FunctionName } from "../models/expr.js";
import type { Let } from "./types.js";

/** Small constructors of expression trees (the step program's building blocks). */
export const num = (value: number): Expr => ({ type: "num", value });
export const ref = (name: string): Expr => ({ type: "name", name });
export const neg = (arg: Expr): Expr => ({ type: "neg", arg });
export const add = (left: Expr, right: Expr): Expr => ({ type: "bin", op: "+", left, right });
export const sub = (left: Expr, right: Expr): Expr => ({ type: "bin", op: "-", left, right });
export const mul = (left: Expr, right: Expr): Expr => ({ type: "bin", op: "*", left, right });
export const div = (left: Expr, right: Expr): Expr => ({ type: "bin", op: "/", left, right });
export const call = (fn: FunctionName, ...args: Expr[]): Expr => ({ type: "call", fn, args });

/** e with every name found in `names` replaced by its expression. */
export function substitute(e: Expr, names: Readonly<Record<string, Expr>>): Expr {
  switch (e.type) {
    case "num":
      return e;
    case "name":
      return Object.hasOwn(names, e.name) ? (names[e.name] as Expr) : e;
    case "neg":
      return neg(substitute(e.arg, names));
    case "bin":
      return { type: "bin", op: e.op, left: substitute(e.left, names), right: substitute(e.right, names) };
    case "call":
      return { type: "call", fn: e.fn, args: e.args.map((a) => substitute(a, names)) };
  }
}

/** Collects `let`s with fresh names: `bind("a", expr)` appends one and returns a reference to it. */
export class Lets {
  readonly list: Let[] = [];
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }
  bind(name: string, expr: Expr): Expr {
    let n = name;
    for (let k = 2; this.used.has(n); k++) n = `${name}_${k}`;
    this.used.add(n);
    this.list.push({ name: n, expr });
    return ref(n);
  }
}
