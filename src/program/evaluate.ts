import type { Expr, FunctionName } from "../models/expr.js";
import { exprel } from "../models/exprel.js";
import type { Block } from "./types.js";

type Env = Map<string, number>;

const FNS: Readonly<Record<FunctionName, (...x: number[]) => number>> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  cosh: Math.cosh,
  sinh: Math.sinh,
  abs: Math.abs,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
  exprel,
};

/** The value of a tree with its names taken from env (the reference evaluator's arithmetic: f64, in the tree's order). */
export function evaluateExpr(e: Expr, env: Env): number {
  switch (e.type) {
    case "num":
      return e.value;
    case "name": {
      const v = env.get(e.name);
      if (v === undefined) throw new Error(`step program: unbound name "${e.name}"`);
      return v;
    }
    case "neg":
      return -evaluateExpr(e.arg, env);
    case "bin": {
      const a = evaluateExpr(e.left, env);
      const b = evaluateExpr(e.right, env);
      return e.op === "+" ? a + b : e.op === "-" ? a - b : e.op === "*" ? a * b : e.op === "/" ? a / b : a ** b;
    }
    case "call":
      return FNS[e.fn](...e.args.map((a) => evaluateExpr(a, env)));
  }
}

/** A block's outputs for one neuron whose inputs (state, parameters, currents, dt) are in env; its lets are added to env. */
export function evaluateBlock(block: Block, env: Env): number[] {
  for (const l of block.lets) env.set(l.name, evaluateExpr(l.expr, env));
  return block.out.map((e) => evaluateExpr(e, env));
}

/** Per-neuron inputs of a block over a batch: each name's array (one value per neuron), or one number for all. */
export type Inputs = Readonly<Record<string, ArrayLike<number> | number>>;

/**
 * The reference evaluator: interprets a block neuron by neuron. State names read y[k·n + i]
 * (variable-major, `state` in order); outputs go to out[j·n + i] (out may be y: every output is
 * computed from the values before the block). Slow, and the definition of what the printers compute.
 */
export function evaluateBatch(block: Block, state: readonly string[], n: number, y: Float64Array, inputs: Inputs, out: Float64Array): void {
  const env: Env = new Map();
  const results: number[][] = [];
  for (let i = 0; i < n; i++) {
    env.clear();
    state.forEach((s, k) => {
      env.set(s, y[k * n + i] as number);
    });
    for (const [name, v] of Object.entries(inputs)) env.set(name, typeof v === "number" ? v : (v[i] as number));
    results.push(evaluateBlock(block, env));
  }
  results.forEach((r, i) => {
    r.forEach((x, j) => {
      out[j * n + i] = x;
    });
  });
}
