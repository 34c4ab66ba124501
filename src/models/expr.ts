import { InvalidArgumentError } from "../errors.js";
import { exprel } from "./exprel.js";
import { jsLiteral } from "./literal.js";

/**
 * Rate expressions: a small, safe language for α(V), β(V), x∞(V) and τ(V).
 *
 * Grammar (usual precedence; `^` is right-associative and binds tighter than unary minus,
 * so −x^2 = −(x²)):
 *
 *   expr   := sum (compare sum "?" expr ":" expr)?
 *   compare := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   sum    := term (("+" | "-") term)*
 *   term   := unary (("*" | "/") unary)*
 *   unary  := ("-" | "+") unary | power
 *   power  := atom (("^" | "**") unary)?
 *   atom   := number | name | name "(" expr ("," expr)* ")" | "(" expr ")"
 *
 * Conditionals: `V < -50 ? a : b` is a if V < −50, else b. A comparison exists only as the condition
 * of `?` (there are no boolean values and no `&&`/`||`: nest conditionals instead), so every tree is a
 * number; `?:` binds loosest and nests to the right, `V < -80 ? a : V < -50 ? b : c` as in C. A comparison
 * with NaN is false (`!=` true), as in IEEE 754. Both branches may be computed (the WebAssembly and WGSL
 * backends select lane by lane), so the branch not taken may be non-finite without effect.
 *
 * Names are the membrane potential `V` (mV) and the model's named constants; functions are
 * listed in `FUNCTIONS`. Text is never evaluated: it is parsed into an `Expr` tree, checked,
 * rewritten where a removable singularity is found, and then compiled (JavaScript here; the tree
 * is plain data, so other back ends such as WGSL can compile the same tree).
 */
export type Expr =
  | { readonly type: "num"; readonly value: number }
  | { readonly type: "name"; readonly name: string }
  | { readonly type: "neg"; readonly arg: Expr }
  | { readonly type: "bin"; readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: Expr; readonly right: Expr }
  | { readonly type: "call"; readonly fn: FunctionName; readonly args: readonly Expr[] }
  | {
      /** `left op right ? ifTrue : ifFalse` */
      readonly type: "select";
      readonly op: CompareOp;
      readonly left: Expr;
      readonly right: Expr;
      readonly ifTrue: Expr;
      readonly ifFalse: Expr;
    };

/** The comparisons of a conditional's condition. */
export type CompareOp = "<" | "<=" | ">" | ">=" | "==" | "!=";
export const COMPARE_OPS: readonly CompareOp[] = ["<", "<=", ">", ">=", "==", "!="];

/** a op b, IEEE 754 (false with NaN, except `!=`): the one definition every backend reproduces. */
export function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
}

/** The sub-trees of a node, in the order printers evaluate them. */
export function children(e: Expr): readonly Expr[] {
  switch (e.type) {
    case "num":
    case "name":
      return [];
    case "neg":
      return [e.arg];
    case "bin":
      return [e.left, e.right];
    case "call":
      return e.args;
    case "select":
      return [e.left, e.right, e.ifTrue, e.ifFalse];
  }
}

/** Functions an expression may call, with their arity and JavaScript implementation. */
export const FUNCTIONS = {
  exp: { arity: 1, js: "Math.exp" },
  expm1: { arity: 1, js: "Math.expm1" },
  log: { arity: 1, js: "Math.log" },
  sqrt: { arity: 1, js: "Math.sqrt" },
  tanh: { arity: 1, js: "Math.tanh" },
  cosh: { arity: 1, js: "Math.cosh" },
  sinh: { arity: 1, js: "Math.sinh" },
  abs: { arity: 1, js: "Math.abs" },
  min: { arity: 2, js: "Math.min" },
  max: { arity: 2, js: "Math.max" },
  pow: { arity: 2, js: "Math.pow" },
  /** (eˣ − 1)/x, 1 at x = 0 */
  exprel: { arity: 1, js: "exprel" },
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** The variable every rate expression is a function of: membrane potential in mV. */
export const VOLTAGE = "V";

type Token =
  | { kind: "num"; value: number; at: number }
  | { kind: "name"; name: string; at: number }
  | { kind: "op"; op: string; at: number };

/** The longest expression text accepted (characters): a rate law is a line, not a program. */
export const MAX_EXPR_LENGTH = 2000;
/**
 * The deepest nesting accepted: parentheses, function calls, signs and operators on the way from the
 * root of the tree to its deepest leaf. The textbook rate laws nest 6–10 deep; every printer (JavaScript,
 * WGSL, WebAssembly) and check walks the tree recursively, so depth is bounded before anything walks it.
 */
export const MAX_EXPR_DEPTH = 64;

/** The text quoted in an error: whole when short, else its start (an error stays one readable line). */
const quoted = (text: string): string => JSON.stringify(text.length <= 120 ? text : `${text.slice(0, 100)}…`);

const fail = (text: string, at: number, what: string): InvalidArgumentError =>
  new InvalidArgumentError(`${what} at character ${at + 1} of ${quoted(text)}`);

const tooDeep = (text: string, at: number): InvalidArgumentError =>
  fail(
    text,
    at,
    `expression nests deeper than ${MAX_EXPR_DEPTH} levels (parentheses, function calls, signs and operators; at most ${MAX_EXPR_DEPTH} allowed)`,
  );

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|<=|>=|==|!=|[-+*/^(),<>?:]))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) {
      const at = i + (text.slice(i).length - text.slice(i).trimStart().length);
      throw fail(text, at, `unexpected character ${JSON.stringify(text[at])}`);
    }
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? "").length;
    if (m[1] !== undefined) out.push({ kind: "num", value: Number(m[1]), at });
    else if (m[2] !== undefined) out.push({ kind: "name", name: m[2], at });
    else out.push({ kind: "op", op: m[3] as string, at });
    i = re.lastIndex;
  }
  return out;
}

/** Parses an expression into a tree; throws a one-line error naming the position on bad syntax. */
export function parseExpr(text: string): Expr {
  if (typeof text !== "string") throw new InvalidArgumentError(`expression must be text; got ${typeof text}`);
  if (text.length > MAX_EXPR_LENGTH) {
    throw new InvalidArgumentError(
      `expression is ${text.length} characters long; at most ${MAX_EXPR_LENGTH} are allowed (${quoted(text)})`,
    );
  }
  const tokens = tokenize(text);
  let p = 0;
  // nesting of the parser's own recursion (groups, calls, signs, powers) and depth of the tree built
  let level = 0;
  const depthOf = new WeakMap<Expr, number>();
  const node = <T extends Expr>(e: T, at: number): T => {
    const kids = children(e);
    const d = 1 + Math.max(0, ...kids.map((k) => depthOf.get(k) ?? 1));
    if (d > MAX_EXPR_DEPTH) throw tooDeep(text, at);
    depthOf.set(e, d);
    return e;
  };
  const enter = (at: number) => {
    if (++level > MAX_EXPR_DEPTH) throw tooDeep(text, at);
  };
  const here = () => peek()?.at ?? text.length;
  const peek = () => tokens[p];
  const isOp = (op: string) => {
    const t = tokens[p];
    return t !== undefined && t.kind === "op" && t.op === op;
  };
  const expect = (op: string) => {
    if (!isOp(op)) throw fail(text, peek()?.at ?? text.length, `expected "${op}"`);
    p++;
  };

  const expr = (): Expr => {
    const left = sum();
    const t = peek();
    if (t === undefined || t.kind !== "op" || !(COMPARE_OPS as readonly string[]).includes(t.op)) return left;
    p++;
    const right = sum();
    if (!isOp("?"))
      throw fail(
        text,
        here(),
        `expected "?" after the comparison ${t.op} (a comparison is only the condition of x < y ? a : b, written without parentheses around it)`,
      );
    p++;
    enter(t.at);
    const ifTrue = expr();
    expect(":");
    const ifFalse = expr();
    level--;
    return node({ type: "select", op: t.op as CompareOp, left, right, ifTrue, ifFalse }, t.at);
  };
  const sum = (): Expr => {
    let left = term();
    while (isOp("+") || isOp("-")) {
      const at = here();
      const op = (tokens[p++] as { op: "+" | "-" }).op;
      left = node({ type: "bin", op, left, right: term() }, at);
    }
    return left;
  };
  const term = (): Expr => {
    let left = unary();
    while (isOp("*") || isOp("/")) {
      const at = here();
      const op = (tokens[p++] as { op: "*" | "/" }).op;
      left = node({ type: "bin", op, left, right: unary() }, at);
    }
    return left;
  };
  const unary = (): Expr => {
    const at = here();
    if (isOp("-") || isOp("+")) {
      const minus = isOp("-");
      p++;
      enter(at);
      const arg = unary();
      level--;
      return minus ? node({ type: "neg", arg }, at) : arg;
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (isOp("^") || isOp("**")) {
      const at = here();
      p++;
      enter(at);
      const right = unary();
      level--;
      return node({ type: "bin", op: "^", left: base, right }, at);
    }
    return base;
  };
  const atom = (): Expr => {
    const t = peek();
    if (t === undefined) throw fail(text, text.length, "unexpected end of expression");
    if (t.kind === "num") {
      p++;
      return { type: "num", value: t.value };
    }
    if (t.kind === "name") {
      p++;
      if (!isOp("(")) return { type: "name", name: t.name };
      const fn = FUNCTIONS[t.name as FunctionName];
      if (!fn || !Object.hasOwn(FUNCTIONS, t.name)) {
        throw fail(text, t.at, `unknown function "${t.name}" (allowed: ${Object.keys(FUNCTIONS).join(", ")})`);
      }
      p++;
      enter(t.at);
      const args = [expr()];
      while (isOp(",")) {
        p++;
        args.push(expr());
      }
      expect(")");
      level--;
      if (args.length !== fn.arity)
        throw fail(text, t.at, `${t.name} takes ${fn.arity} argument${fn.arity > 1 ? "s" : ""}, got ${args.length}`);
      return node({ type: "call", fn: t.name as FunctionName, args }, t.at);
    }
    if (t.op === "(") {
      p++;
      enter(t.at);
      const e = expr();
      expect(")");
      level--;
      return e;
    }
    throw fail(text, t.at, `unexpected "${t.op}"`);
  };

  if (tokens.length === 0) throw new InvalidArgumentError("expression is empty");
  const tree = expr();
  const rest = peek();
  if (rest)
    throw fail(text, rest.at, `unexpected ${rest.kind === "op" ? `"${rest.op}"` : rest.kind === "name" ? `"${rest.name}"` : "number"}`);
  return tree;
}

/** The names (other than functions) an expression refers to. */
export function freeNames(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.type) {
    case "name":
      out.add(e.name);
      break;
    case "neg":
      freeNames(e.arg, out);
      break;
    case "bin":
      freeNames(e.left, out);
      freeNames(e.right, out);
      break;
    case "call":
    case "select":
      for (const a of children(e)) freeNames(a, out);
      break;
  }
  return out;
}

/** Replaces named constants by their values and folds constant sub-trees (V stays a name). */
export function bindConstants(e: Expr, constants: Readonly<Record<string, number>>): Expr {
  const fold = (x: Expr): Expr => {
    switch (x.type) {
      case "num":
        return x;
      case "name":
        return x.name !== VOLTAGE && Object.hasOwn(constants, x.name) ? { type: "num", value: constants[x.name] as number } : x;
      case "neg": {
        const a = fold(x.arg);
        return a.type === "num" ? { type: "num", value: -a.value } : { type: "neg", arg: a };
      }
      case "bin": {
        const l = fold(x.left);
        const r = fold(x.right);
        if (l.type === "num" && r.type === "num") return { type: "num", value: evalBin(x.op, l.value, r.value) };
        return { type: "bin", op: x.op, left: l, right: r };
      }
      case "call": {
        const args = x.args.map(fold);
        if (args.every((a) => a.type === "num")) return { type: "num", value: evaluate({ type: "call", fn: x.fn, args }, 0) };
        return { type: "call", fn: x.fn, args };
      }
      case "select": {
        const l = fold(x.left);
        const r = fold(x.right);
        // a condition on numbers only is decided here: the tree keeps the branch taken
        if (l.type === "num" && r.type === "num") return fold(compare(x.op, l.value, r.value) ? x.ifTrue : x.ifFalse);
        return { type: "select", op: x.op, left: l, right: r, ifTrue: fold(x.ifTrue), ifFalse: fold(x.ifFalse) };
      }
    }
  };
  return fold(e);
}

const evalBin = (op: "+" | "-" | "*" | "/" | "^", a: number, b: number): number =>
  op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : op === "/" ? a / b : a ** b;

/** Interprets a tree at V (slow; for checks and constant folding). Unbound names are NaN. */
export function evaluate(e: Expr, V: number): number {
  switch (e.type) {
    case "num":
      return e.value;
    case "name":
      return e.name === VOLTAGE ? V : Number.NaN;
    case "neg":
      return -evaluate(e.arg, V);
    case "bin":
      return evalBin(e.op, evaluate(e.left, V), evaluate(e.right, V));
    case "call": {
      const a = e.args.map((x) => evaluate(x, V));
      if (e.fn === "exprel") return exprel(a[0] as number);
      const f = Math[e.fn as Exclude<FunctionName, "exprel">] as (...x: number[]) => number;
      return f(...a);
    }
    case "select":
      return evaluate(compare(e.op, evaluate(e.left, V), evaluate(e.right, V)) ? e.ifTrue : e.ifFalse, V);
  }
}

/** a·V + b when e is linear in V (after constants are bound; or in the name `v`), else undefined. */
export function linear(e: Expr, v: string = VOLTAGE): { a: number; b: number } | undefined {
  switch (e.type) {
    case "num":
      return { a: 0, b: e.value };
    case "name":
      return e.name === v ? { a: 1, b: 0 } : undefined;
    case "neg": {
      const x = linear(e.arg, v);
      return x && { a: -x.a, b: -x.b };
    }
    case "bin": {
      const l = linear(e.left, v);
      const r = linear(e.right, v);
      if (!l || !r) return undefined;
      if (e.op === "+") return { a: l.a + r.a, b: l.b + r.b };
      if (e.op === "-") return { a: l.a - r.a, b: l.b - r.b };
      if (e.op === "*" && l.a === 0) return { a: l.b * r.a, b: l.b * r.b };
      if (e.op === "*" && r.a === 0) return { a: l.a * r.b, b: l.b * r.b };
      if (e.op === "/" && r.a === 0) return { a: l.a / r.b, b: l.b / r.b };
      return undefined;
    }
    case "call":
    case "select":
      return undefined;
  }
}

const isNum = (e: Expr, v: number) => e.type === "num" && e.value === v;
const isExpOf = (e: Expr): Expr | undefined => (e.type === "call" && e.fn === "exp" ? e.args[0] : undefined);

/**
 * Rewrites the removable singularities N/(1 − e^E) and N/(e^E − 1), where N and E are linear in V
 * and vanish at the same voltage, as c/exprel(E) (finite everywhere, and accurate near the
 * singular voltage through expm1). For N = p·V + q and E = a·V + b with the same root,
 * N = (p/a)·E, and e^E − 1 = E·exprel(E). Other sub-trees are returned unchanged.
 */
export function guardSingularities(e: Expr): Expr {
  const walk = (x: Expr): Expr => {
    switch (x.type) {
      case "num":
      case "name":
        return x;
      case "neg":
        return { type: "neg", arg: walk(x.arg) };
      case "call":
        return { type: "call", fn: x.fn, args: x.args.map(walk) };
      case "select":
        return { type: "select", op: x.op, left: walk(x.left), right: walk(x.right), ifTrue: walk(x.ifTrue), ifFalse: walk(x.ifFalse) };
      case "bin": {
        if (x.op === "/" && x.right.type === "bin" && x.right.op === "-") {
          const d = x.right;
          // 1 − e^E  or  e^E − 1
          const sign = isNum(d.left, 1) && isExpOf(d.right) ? -1 : isExpOf(d.left) && isNum(d.right, 1) ? 1 : 0;
          const E = sign === -1 ? isExpOf(d.right) : sign === 1 ? isExpOf(d.left) : undefined;
          const n = linear(x.left);
          const l = E && linear(E);
          if (E && n && l && n.a !== 0 && l.a !== 0) {
            const rootN = -n.b / n.a;
            const rootE = -l.b / l.a;
            if (Math.abs(rootN - rootE) <= 1e-9 * Math.max(1, Math.abs(rootE))) {
              const c = (sign * n.a) / l.a;
              return { type: "bin", op: "/", left: { type: "num", value: c }, right: { type: "call", fn: "exprel", args: [E] } };
            }
          }
        }
        return { type: "bin", op: x.op, left: walk(x.left), right: walk(x.right) };
      }
    }
  };
  return walk(e);
}

const BINARY_OPS: ReadonlySet<string> = new Set(["+", "-", "*", "/", "^"]);

/** A comparison as JavaScript's operator (checked: one of the language's, so no other text reaches generated code). */
export function jsCompare(op: CompareOp): string {
  if (!(COMPARE_OPS as readonly string[]).includes(op))
    throw new InvalidArgumentError(`unknown comparison ${JSON.stringify(op)} in expression`);
  return op === "==" ? "===" : op === "!=" ? "!==" : op;
}

/**
 * JavaScript source for a tree, as an expression of `V` (functions as in FUNCTIONS[...].js). Defence in
 * depth in front of `new Function`: every constant must be a finite number, the only name V, every
 * operator and function one of the language's (a tree built by hand is checked as strictly as a parsed one).
 */
export function toJs(e: Expr): string {
  switch (e.type) {
    case "num":
      return jsLiteral(e.value, "a constant of a rate expression (after the model's constants are bound)");
    case "name":
      if (e.name !== VOLTAGE) throw new InvalidArgumentError(`unbound name ${JSON.stringify(e.name)} in expression`);
      return "V";
    case "neg":
      return `(-${toJs(e.arg)})`;
    case "bin":
      if (!BINARY_OPS.has(e.op)) throw new InvalidArgumentError(`unknown operator ${JSON.stringify(e.op)} in expression`);
      return e.op === "^" ? `(${toJs(e.left)} ** ${toJs(e.right)})` : `(${toJs(e.left)} ${e.op} ${toJs(e.right)})`;
    case "call": {
      const fn = Object.hasOwn(FUNCTIONS, e.fn) ? FUNCTIONS[e.fn] : undefined;
      if (!fn || !Array.isArray(e.args) || e.args.length !== fn.arity)
        throw new InvalidArgumentError(`unknown function or wrong arity ${JSON.stringify(e.fn)} in expression`);
      return `${fn.js}(${e.args.map(toJs).join(", ")})`;
    }
    case "select":
      return `(${toJs(e.left)} ${jsCompare(e.op)} ${toJs(e.right)} ? ${toJs(e.ifTrue)} : ${toJs(e.ifFalse)})`;
    default:
      throw new InvalidArgumentError(`unknown expression node ${JSON.stringify((e as { type?: unknown }).type)}`);
  }
}

/** Readable text for a tree (round-trips through parseExpr to the same tree). */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case "num":
      return e.value < 0 ? `(${e.value})` : String(e.value);
    case "name":
      return e.name;
    case "neg":
      return `(-${exprToString(e.arg)})`;
    case "bin":
      return `(${exprToString(e.left)} ${e.op} ${exprToString(e.right)})`;
    case "call":
      return `${e.fn}(${e.args.map(exprToString).join(", ")})`;
    case "select":
      return `(${exprToString(e.left)} ${e.op} ${exprToString(e.right)} ? ${exprToString(e.ifTrue)} : ${exprToString(e.ifFalse)})`;
  }
}

/**
 * Compiles a checked tree (only V free) to a JavaScript function of V. The source is generated
 * from the tree, never from user text, so only numbers, V, operators and the listed functions
 * can appear in it.
 */
export function compileExpr(e: Expr): (V: number) => number {
  const body = toJs(e);
  return new Function("exprel", `"use strict"; return function rate(V) { return ${body}; };`)(exprel) as (V: number) => number;
}
