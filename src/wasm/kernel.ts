import { type CompiledModel, isRatesGate } from "../models/compile.js";
import { type Expr, VOLTAGE } from "../models/expr.js";
import { type RateLaw, rateExpr } from "../models/rates.js";
import type { GateDefinition } from "../models/types.js";
import { Emitter, outlined } from "./emitter.js";
import { assemble, F64, FunctionBody, I32, type ModuleParts, Op, Simd, V128 } from "./encode.js";
import { expm1V, exprelV, expV, fastExprelV, fastExpV, fastOverExprelV } from "./simdMath.js";

/**
 * A model's forward Euler step compiled to WebAssembly SIMD: two neurons per 128-bit lane pair,
 * every rate law inlined, exp/expm1 bit-identical to Math's (simdMath.ts). It performs exactly the
 * floating-point operations of the JavaScript kernel (system/kernel.ts) and so of the declarative
 * model, lane by lane; test/wasm.test.ts checks the results bit for bit.
 *
 * The exported `run(p0, p1, k0, k1, stride, onBase, recBase, dt, threshold)` advances neuron
 * pairs [p0, p1) through steps [k0, k1) (step-major, so consecutive pairs overlap in the CPU),
 * with the step current of neuron i = on[k − k0] ? amplitude[i] : 0. It records every upward
 * threshold crossing as (neuron i32, step i32, V before f64, V after f64) at recBase, and returns
 * the number of records, or −1 when any state left the physical range (|V| ≥ 1000 mV, a gate
 * outside (−0.5, 1.5), not finite) so that the caller reruns the checked loop for the error.
 *
 * Memory: arrays of `stride` bytes (one f64 per neuron, padded to an even count) from byte 0, in
 * the order of `arrays` (state V and gates, Cm, g and E per channel, rate factors, amplitude).
 */
export interface WasmKernel {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The arrays in memory order, by name: "y0".., "cm", "g0".., "e0".., "phi0".., "amp". */
  readonly arrays: readonly string[];
}

/** Why a model cannot be compiled to the WebAssembly kernel (it then runs on the JavaScript one). */
export class Unsupported extends Error {}

const num = (value: number): Expr => ({ type: "num", value });
const V: Expr = { type: "name", name: VOLTAGE };

/** A rate law as the expression tree whose operations rates.ts's rateJs performs, in its order. */
export function lawTree(law: RateLaw, constants: Readonly<Record<string, number>>): Expr {
  if (law.form === "expr") return rateExpr(law, constants);
  const u: Expr = { type: "bin", op: "-", left: V, right: num(law.midpoint_mV) };
  const scaled = (x: Expr): Expr => ({ type: "bin", op: "/", left: x, right: num(law.scale_mV) });
  const rate = num(law.rate);
  switch (law.form) {
    case "exp":
      return { type: "bin", op: "*", left: rate, right: { type: "call", fn: "exp", args: [scaled(u)] } };
    case "sigmoid": {
      const e: Expr = { type: "call", fn: "exp", args: [scaled({ type: "neg", arg: u })] };
      return { type: "bin", op: "/", left: rate, right: { type: "bin", op: "+", left: num(1), right: e } };
    }
    case "expLinear":
      return { type: "bin", op: "/", left: rate, right: { type: "call", fn: "exprel", args: [scaled({ type: "neg", arg: u })] } };
  }
}

/** Emits an expression of V on two lanes; returns the local holding it. */
function emitExpr(e: Emitter, x: Expr, v: number): number {
  switch (x.type) {
    case "num":
      return e.splat(x.value);
    case "name":
      if (x.name !== VOLTAGE) throw new Unsupported(`unbound name ${x.name}`);
      return v;
    case "neg":
      return e.neg(emitExpr(e, x.arg, v));
    case "bin": {
      if (x.op === "^") throw new Unsupported("the power operator");
      const a = emitExpr(e, x.left, v);
      // fast math: a division by a constant becomes a multiplication by its reciprocal, and
      // a / exprel(u) becomes a·u / expm1(u) (one division fewer)
      if (e.fast && x.op === "/" && x.right.type === "num" && x.right.value !== 0) return e.mul(a, e.splat(1 / x.right.value));
      if (e.fast && x.op === "/" && x.right.type === "call" && x.right.fn === "exprel") {
        return fastOverExprelV(e, a, emitExpr(e, x.right.args[0] as Expr, v));
      }
      const b = emitExpr(e, x.right, v);
      return x.op === "+" ? e.add(a, b) : x.op === "-" ? e.sub(a, b) : x.op === "*" ? e.mul(a, b) : e.div(a, b);
    }
    case "call": {
      const args = x.args.map((a) => emitExpr(e, a, v));
      const [a, b] = args as [number, number];
      switch (x.fn) {
        case "exp":
          return e.fast ? fastExpV(e, a, false) : expV(e, a);
        case "expm1":
          return e.fast ? fastExpV(e, a, true) : expm1V(e, a);
        case "exprel":
          if (e.fast) return fastExprelV(e, a);
          if (e.outline.exprel === undefined) return exprelV(e, a);
          e.outline.used = true;
          return e.call(e.outline.exprel, a);
        case "sqrt":
          return e.un(Simd.f64x2Sqrt, a);
        case "abs":
          return e.abs(a);
        case "min":
          return e.bin(Simd.f64x2Min, a, b);
        case "max":
          return e.bin(Simd.f64x2Max, a, b);
        default:
          throw new Unsupported(`the function ${x.fn}`);
      }
    }
  }
}

/** x^p as kernel.ts writes it (powers 1…4 unrolled; others are not compiled). */
function power(e: Emitter, x: number, p: number): number {
  if (p === 1) return x;
  if (p === 2) return e.mul(x, x);
  if (p === 3) return e.mul(e.mul(x, x), x);
  if (p === 4) return e.mul(e.mul(x, x), e.mul(x, x));
  throw new Unsupported(`gate power ${p}`);
}

/**
 * Generates the kernel of a compiled model; `phi[k]` says whether state gate k has a rate factor
 * (as KernelInputs.phi ≠ null); `fast` generates fast-math code (see Emitter); `outline` calls a
 * second function for exprel instead of inlining it at each use (smaller, faster to compile, a
 * little slower to run; the same numbers). Throws Unsupported for a model outside what it compiles.
 */
export function wasmEulerKernel(compiled: CompiledModel, phi: readonly boolean[], fast = false, outline = false): WasmKernel {
  const constants = compiled.constants;
  const defs = new Map<string, GateDefinition>();
  for (const c of compiled.model.channels) for (const g of c.gates) defs.set(g.name, g);
  const stateGates = compiled.gates.filter((g) => !g.instantaneous);
  const G = stateGates.length;
  const arrays = [
    ...Array.from({ length: G + 1 }, (_, j) => `y${j}`),
    "cm",
    ...compiled.channels.map((_, c) => `g${c}`),
    ...compiled.channels.map((_, c) => `e${c}`),
    ...stateGates.flatMap((_, k) => (phi[k] ? [`phi${k}`] : [])),
    "amp",
  ];
  const at = (name: string) => arrays.indexOf(name);

  // run(p0, p1, k0, k1, stride, onBase, recBase, dt, threshold) -> records | -1
  const body = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, F64, F64]);
  const [P0, P1, K0, K1, STRIDE, ON, REC, DT, TH] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
  const e = new Emitter(body, fast, outline ? { exprel: 1 } : {});
  const b = body;

  // per-array byte offsets j·stride, lane-pair constants, the running record pointer and state flag
  const offset = arrays.map((_, j) => {
    const l = e.i32();
    b.i32Const(j).get(STRIDE).op(Op.i32Mul).set(l);
    return l;
  });
  b.get(DT).simd(Simd.f64x2Splat);
  const dt = e.keep();
  b.get(TH).simd(Simd.f64x2Splat);
  const th = e.keep();
  const zero = e.splat(0);
  b.i64x2Const(-1, -1);
  const ok = e.keep(); // mutable: not a hoisted constant
  const rec = e.i32();
  b.get(REC).set(rec);
  const k = e.i32();
  const p = e.i32();
  const on = e.i32();
  b.get(K0).set(k);

  b.op(Op.loop, 0x40); // steps
  b.get(ON).get(k).get(K0).op(Op.i32Sub, Op.i32Add).mem(Op.i32Load8u, 0).set(on);
  b.get(P0).set(p);
  b.op(Op.loop, 0x40); // neuron pairs
  const base = e.i32();
  b.get(p).i32Const(4).op(Op.i32Shl).set(base);
  const load = (name: string): number => {
    b.get(base)
      .get(offset[at(name)] as number)
      .op(Op.i32Add)
      .simdMem(Simd.load);
    return e.keep();
  };
  const store = (name: string, value: number) => {
    b.get(base)
      .get(offset[at(name)] as number)
      .op(Op.i32Add)
      .get(value)
      .simdMem(Simd.store);
  };
  const v = load("y0");
  const xs = stateGates.map((_, j) => load(`y${j + 1}`));
  // gate derivatives, as kernel.ts writes them
  const ds = stateGates.map((gate, j) => {
    const def = defs.get(gate.name) as GateDefinition;
    const f = phi[j] ? load(`phi${j}`) : undefined;
    const x = xs[j] as number;
    if (isRatesGate(def)) {
      let a = emitExpr(e, lawTree(def.alpha, constants), v);
      let bb = emitExpr(e, lawTree(def.beta, constants), v);
      if (f !== undefined) {
        a = e.mul(a, f);
        bb = e.mul(bb, f);
      }
      const sum = e.add(a, bb);
      // −(1/τ)(x − x∞), τ = 1/(α+β), x∞ = α/(α+β); fast math: α − (α+β)·x, the same in exact arithmetic
      if (e.fast) return e.sub(a, e.mul(sum, x));
      const one = e.splat(1);
      return e.mul(e.neg(e.div(one, e.div(one, sum))), e.sub(x, e.div(a, sum)));
    }
    const inf = emitExpr(e, lawTree(def.inf, constants), v);
    const tau = emitExpr(e, lawTree(def.tau as RateLaw, constants), v);
    return e.div(e.mul(e.sub(inf, x), f ?? e.splat(1)), tau);
  });
  // the membrane equation: I − Σ g·Π x^p·(V − E), over Cm
  const amp = load("amp");
  b.get(amp).get(zero).get(on).op(Op.select);
  let dv = e.keep();
  compiled.channels.forEach((c, ci) => {
    let open = e.splat(1);
    c.gates.forEach((gate) => {
      let factor: number;
      if (!gate.instantaneous) factor = power(e, xs[stateGates.indexOf(gate)] as number, gate.power);
      else {
        const def = defs.get(gate.name) as GateDefinition;
        let q: number;
        if (isRatesGate(def)) {
          const qa = emitExpr(e, lawTree(def.alpha, constants), v);
          q = e.div(qa, e.add(qa, emitExpr(e, lawTree(def.beta, constants), v)));
        } else q = emitExpr(e, lawTree(def.inf, constants), v);
        factor = power(e, q, gate.power);
      }
      open = e.mul(open, factor);
    });
    dv = e.sub(dv, e.mul(e.mul(load(`g${ci}`), open), e.sub(v, load(`e${ci}`))));
  });
  const dV = e.div(dv, load("cm"));
  // Euler update, range check, spike detection
  const vNew = e.add(v, e.mul(dt, dV));
  store("y0", vNew);
  let good = e.lt(e.abs(vNew), e.splat(1000));
  stateGates.forEach((_, j) => {
    const xNew = e.add(xs[j] as number, e.mul(dt, ds[j] as number));
    store(`y${j + 1}`, xNew);
    good = e.and(good, e.and(e.gt(xNew, e.splat(-0.5)), e.lt(xNew, e.splat(1.5))));
  });
  b.get(ok).get(good).simd(Simd.and).set(ok);
  const crossed = e.and(e.lt(v, th), e.ge(vNew, th));
  const mask = e.i32();
  b.get(crossed).simd(Simd.i8x16Bitmask).tee(mask).op(Op.if, 0x40);
  for (let lane = 0; lane < 2; lane++) {
    b.get(mask)
      .i32Const(1 << (8 * lane))
      .op(Op.i32And)
      .op(Op.if, 0x40);
    // neuron 2p + lane, step k, V before and after
    b.get(rec).get(p).i32Const(1).op(Op.i32Shl).i32Const(lane).op(Op.i32Add).mem(Op.i32Store, 2, 0);
    b.get(rec).get(k).mem(Op.i32Store, 2, 4);
    b.get(rec).get(v).simd(Simd.f64x2ExtractLane).byte(lane).mem(Op.f64Store, 3, 8);
    b.get(rec).get(vNew).simd(Simd.f64x2ExtractLane).byte(lane).mem(Op.f64Store, 3, 16);
    b.get(rec).i32Const(24).op(Op.i32Add).set(rec);
    b.op(Op.end);
  }
  b.op(Op.end);
  // next pair, next step
  b.get(p).i32Const(1).op(Op.i32Add).tee(p).get(P1).op(Op.i32LtS, Op.brIf).u32(0);
  b.op(Op.end);
  b.get(k).i32Const(1).op(Op.i32Add).tee(k).get(K1).op(Op.i32LtS, Op.brIf).u32(0);
  b.op(Op.end);
  // −1 if any state left the range, else the number of records
  b.get(ok).simd(Simd.i64x2AllTrue).get(e.unhandled).simd(Simd.anyTrue).op(Op.i32Eqz, Op.i32And);
  b.op(Op.i32Eqz, Op.if, 0x40).i32Const(-1).op(Op.return, Op.end);
  b.get(rec).get(REC).op(Op.i32Sub).i32Const(24);
  b.op(Op.i32DivS);
  const functions: ModuleParts["functions"][number][] = [{ name: "run", body, results: [I32] }];
  if (e.outline.used) functions.push({ name: "exprel", body: outlined(exprelV), results: [V128, V128] });
  const bytes = assemble({ memoryPages: 1, functions });
  return { bytes, arrays };
}
