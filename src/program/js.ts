import { InvalidArgumentError } from "../errors.js";
import type { Expr } from "../models/expr.js";
import { FUNCTIONS, jsCompare } from "../models/expr.js";
import { exprel } from "../models/exprel.js";
import { jsLiteral } from "../models/literal.js";
import type { Block } from "./types.js";

/**
 * The JavaScript printer of a block: one straight-line loop over the neurons of a batch, every
 * intermediate value a local, the same floating-point operations in the same order as the
 * reference evaluator (evaluate.ts), so the two agree bit for bit. The source is generated from the
 * step program (numbers, names it declares, the expression language's functions), never from user text.
 *
 * The compiled function is `(y, out, dt, ...currents)`: state read from y[k·n + i], outputs written
 * to out[j·n + i] (out may be y), per-neuron parameters bound when it is made (`params`, in the
 * order given), currents one array per name.
 */
export type BlockFunction = (y: Float64Array, out: Float64Array, dt: number, ...currents: Float64Array[]) => void;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A program name as a local (checked: a plain identifier, so no text reaches the generated code). */
const local = (name: string) => {
  if (!IDENT.test(name)) throw new InvalidArgumentError(`a step program name must be a plain identifier; got ${JSON.stringify(name)}`);
  return `$${name}`;
};
const BINARY_OPS: ReadonlySet<string> = new Set(["+", "-", "*", "/", "^"]);

function print(e: Expr, params: ReadonlySet<string>): string {
  switch (e.type) {
    case "num":
      return jsLiteral(e.value, "a constant of a step program");
    case "name":
      return params.has(e.name) ? `p_${local(e.name).slice(1)}[i]` : local(e.name);
    case "neg":
      return `(-${print(e.arg, params)})`;
    case "bin":
      if (!BINARY_OPS.has(e.op)) throw new InvalidArgumentError(`unknown operator ${JSON.stringify(e.op)} in a step program`);
      return `(${print(e.left, params)} ${e.op === "^" ? "**" : e.op} ${print(e.right, params)})`;
    case "call": {
      const fn = Object.hasOwn(FUNCTIONS, e.fn) ? FUNCTIONS[e.fn] : undefined;
      if (!fn || e.args.length !== fn.arity) throw new InvalidArgumentError(`unknown function ${JSON.stringify(e.fn)} in a step program`);
      return `${fn.js}(${e.args.map((a) => print(a, params)).join(", ")})`;
    }
    case "select":
      return `(${print(e.left, params)} ${jsCompare(e.op)} ${print(e.right, params)} ? ${print(e.ifTrue, params)} : ${print(e.ifFalse, params)})`;
    default:
      throw new InvalidArgumentError(`unknown expression node ${JSON.stringify((e as { type?: unknown }).type)} in a step program`);
  }
}

/** The source of a block's loop (see BlockFunction), for inspection, caching and kernel keys. */
export function blockSource(block: Block, state: readonly string[], params: readonly string[], currents: readonly string[]): string {
  const p = new Set(params);
  const lines = [
    ...state.map((s, k) => `const ${local(s)} = y[${k === 0 ? "i" : `${k} * n + i`}];`),
    ...currents.map((c) => `const ${local(c)} = c_${c}[i];`),
    ...block.lets.map((l) => `const ${local(l.name)} = ${print(l.expr, p)};`),
    // every output first into a local: out may be y
    ...block.out.map((e, j) => `const o${j} = ${print(e, p)};`),
    ...block.out.map((_, j) => `out[${j === 0 ? "i" : `${j} * n + i`}] = o${j};`),
  ];
  return `"use strict";
return function step(y, out, $dt, ${currents.map((c) => `c_${c}`).join(", ")}) {
  for (let i = 0; i < n; i++) {
${lines.map((l) => `    ${l}`).join("\n")}
  }
};`;
}

type Factory = (...args: unknown[]) => BlockFunction;
const factories = new Map<string, Factory>();

/** Compiles a block for n neurons with its parameters' arrays (by name). */
export function compileBlock(
  block: Block,
  state: readonly string[],
  params: readonly string[],
  currents: readonly string[],
  n: number,
  values: (name: string) => Float64Array,
): BlockFunction {
  const source = blockSource(block, state, params, currents);
  // one compiled factory per distinct source and parameter list (the factory's arguments, in order: two
  // models may print the same loop from different parameter lists): every batch of a sweep re-uses the same machine code
  const key = `${params.join(",")}\n${source}`;
  let make = factories.get(key);
  if (!make) {
    make = new Function("n", "exprel", ...params.map((p) => `p_${local(p).slice(1)}`), source) as Factory;
    factories.set(key, make);
  }
  return make(n, exprel, ...params.map(values));
}
