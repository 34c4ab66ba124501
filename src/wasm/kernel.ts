import type { CompiledModel } from "../models/compile.js";
import { type Expr, freeNames } from "../models/expr.js";
import { stepProgram } from "../program/build.js";
import { DT, type StepProgram } from "../program/types.js";
import { Emitter, outlined } from "./emitter.js";
import { assemble, F64, FunctionBody, I32, type ModuleParts, Op, Simd, V128 } from "./encode.js";
import { affine, emitAffine, FastExps } from "./fastExps.js";
import { BLOCK_STEPS } from "./pairs.js";
import { expm1V, exprelV, expV } from "./simdMath.js";

/**
 * A step program (src/program/) lowered to WebAssembly SIMD: two neurons per 128-bit lane pair,
 * every intermediate value a local, exp/expm1/exprel bit-identical to Math's (simdMath.ts). It
 * performs exactly the floating-point operations of the reference evaluator and the JavaScript
 * printer, lane by lane (test/wasm.test.ts and test/backends.test.ts check the results bit for bit).
 * It knows no model and no method: any step program whose functions it has compiles.
 *
 * The exported `run(p0, p1, k0, k1, stride, onBase, recBase, dt, threshold)` advances neuron
 * pairs [p0, p1) through steps [k0, k1) (step-major, so consecutive pairs overlap in the CPU),
 * with current j of neuron i at step k = on[j·ON_STRIDE + k − k0] ? amplitude[i] : 0. It records
 * every upward threshold crossing as (neuron i32, step i32, V before f64, V after f64) at recBase,
 * and returns the number of records, or −1 when any state left the program's bounds (or a lane met
 * an argument the inline functions do not reproduce) so that the caller reruns the checked loop.
 *
 * Memory: arrays of `stride` bytes (one f64 per neuron, padded to an even count) from byte 0, in
 * the order of `arrays` (the state, the program's parameters, the amplitude).
 */
export interface WasmKernel {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The arrays in memory order, by name: "y0".. (the state), the program's parameters ("Cm", "g0"…), "amp". */
  readonly arrays: readonly string[];
}

/** Why a model cannot be compiled to the WebAssembly kernel (it then runs on the JavaScript one). */
export class Unsupported extends Error {}

/** The flags of one current are ON_STRIDE bytes apart (the most steps one call may advance). */
export const ON_STRIDE = BLOCK_STEPS;

const isOne = (x: Expr) => x.type === "num" && x.value === 1;

/** Whether 1/c is exactly a double (c = ±2^k, 2^−k neither overflowing nor subnormal): then y/c = y·(1/c) for every y. */
export function exactReciprocal(c: number): boolean {
  const bits = new BigUint64Array(new Float64Array([c]).buffer)[0] as bigint;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  return (bits & 0xfffffffffffffn) === 0n && exponent >= 1 && exponent <= 2045;
}

/** The fast-math kernel's plan of shared exponentials, by its emitter (wasmKernel sets it before emitting). */
const plans = new WeakMap<Emitter, FastExps>();
const fastExps = (e: Emitter): FastExps => plans.get(e) as FastExps;

/** Emits an expression on two lanes, its names looked up by `v`; returns the local holding it. */
function emitExpr(e: Emitter, x: Expr, v: (name: string) => number): number {
  if (e.fast && (x.type === "bin" || x.type === "neg")) {
    const f = affine(x);
    if (f) return emitAffine(e, v(f.name), f);
  }
  switch (x.type) {
    case "num":
      return e.splat(x.value);
    case "name":
      return v(x.name);
    case "neg":
      return e.neg(emitExpr(e, x.arg, v));
    case "bin": {
      if (x.op === "^") throw new Unsupported("the power operator");
      // exact rewrites (the same result for every operand): 1·y = y·1 = y, y / 2^k = y·2^−k
      if (x.op === "*" && isOne(x.left)) return emitExpr(e, x.right, v);
      if (x.op === "*" && isOne(x.right)) return emitExpr(e, x.left, v);
      const a = emitExpr(e, x.left, v);
      if (x.op === "/" && x.right.type === "num" && exactReciprocal(x.right.value)) return e.mul(a, e.splat(1 / x.right.value));
      // fast math: a division by a constant becomes a multiplication by its reciprocal, and
      // a / exprel(u) becomes a·u / expm1(u) (one division fewer)
      if (e.fast && x.op === "/" && x.right.type === "num" && x.right.value !== 0) return e.mul(a, e.splat(1 / x.right.value));
      if (e.fast && x.op === "/" && x.right.type === "call" && x.right.fn === "exprel") {
        const u = x.right.args[0] as Expr;
        return fastExps(e).emit(e, "exprel", u, () => emitExpr(e, u, v), v, a);
      }
      // fast math: a ± b·c is contracted to one multiply–add (fused where the kernel is, see Emitter.fused)
      if (
        e.fast &&
        (x.op === "+" || x.op === "-") &&
        x.right.type === "bin" &&
        x.right.op === "*" &&
        !isOne(x.right.left) &&
        !isOne(x.right.right)
      ) {
        const m = emitExpr(e, x.right.left, v);
        const n = emitExpr(e, x.right.right, v);
        return x.op === "+" ? e.fma(m, n, a) : e.fnma(m, n, a);
      }
      const b = emitExpr(e, x.right, v);
      return x.op === "+" ? e.add(a, b) : x.op === "-" ? e.sub(a, b) : x.op === "*" ? e.mul(a, b) : e.div(a, b);
    }
    case "call": {
      if (e.fast && (x.fn === "exp" || x.fn === "expm1" || x.fn === "exprel")) {
        const u = x.args[0] as Expr;
        return fastExps(e).emit(e, x.fn, u, () => emitExpr(e, u, v), v);
      }
      const args = x.args.map((a) => emitExpr(e, a, v));
      const [a, b] = args as [number, number];
      switch (x.fn) {
        case "exp":
          return expV(e, a);
        case "expm1":
          return expm1V(e, a);
        case "exprel":
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
    case "select": {
      // both branches on both lanes, then v128.bitselect by the comparison's lane mask; a branch's
      // unhandled lanes (exp of ≥ 700, say) count only where that branch is selected, so the branch
      // not taken may overflow or divide by zero without sending the batch to the checked loop
      const l = emitExpr(e, x.left, v);
      const r = emitExpr(e, x.right, v);
      const ops: Record<string, (a: number, b: number) => number> = {
        "<": e.lt,
        "<=": e.le,
        ">": e.gt,
        ">=": e.ge,
        "==": e.eq,
        "!=": e.ne,
      };
      const compare = Object.hasOwn(ops, x.op) ? ops[x.op] : undefined;
      if (!compare) throw new Unsupported(`the comparison ${JSON.stringify(x.op)}`);
      const mask = compare(l, r);
      const t = e.apart(() => emitExpr(e, x.ifTrue, v));
      const f = e.apart(() => emitExpr(e, x.ifFalse, v));
      e.flag(e.select(mask, t.unhandled, f.unhandled));
      return e.select(mask, t.value, f.value);
    }
  }
}

/**
 * The kernel of forward Euler for a compiled model (see wasmKernel); `phi[k]` says whether state
 * gate k has a rate factor (as KernelInputs.phi ≠ null); `fast` generates fast-math code (see
 * Emitter, and the program's fast form of the gate derivative); `outline` calls a second function
 * for exprel instead of inlining it at each use (smaller, faster to compile, a little slower to
 * run; the same numbers); `fused`: see wasmKernel. Throws Unsupported for a model outside what it compiles.
 */
export function wasmEulerKernel(
  compiled: CompiledModel,
  phi: readonly boolean[],
  fast = false,
  outline = false,
  fused = false,
): WasmKernel {
  return wasmKernel(stepProgram(compiled, "euler", { phi, fast }), fast, outline, [], fused);
}

/**
 * Lowers a step program to the kernel described above. `uniform`: the arrays ("Cm", "g1"…, "amp")
 * that hold one value for every neuron of the batch: the kernel reads them once a call, and
 * computes the intermediate values that depend on nothing else (and dt and constants) once a call,
 * or once a step where they depend on the current too (a uniform amplitude), instead of once per
 * neuron pair and step — the same operations on the same values, so the same bits. `fused` (fast
 * math only): multiply–adds fused (relaxed SIMD, see fma.ts; the caller checks the engine fuses them).
 */
export function wasmKernel(
  program: StepProgram,
  fast = false,
  outline = false,
  uniform: readonly string[] = [],
  fused = false,
): WasmKernel {
  const S = program.state.length;
  const arrays = [...Array.from({ length: S }, (_, j) => `y${j}`), ...program.params, "amp"];
  const at = (name: string) => arrays.indexOf(name);

  // run(p0, p1, k0, k1, stride, onBase, recBase, dt, threshold) -> records | -1
  const body = new FunctionBody([I32, I32, I32, I32, I32, I32, I32, F64, F64]);
  const [P0, P1, K0, K1, STRIDE, ON, REC, DT_, TH] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
  const e = new Emitter(body, fast, outline ? { exprel: 1 } : {}, fused);
  const b = body;

  // where each name is computed: 0 once a call, 1 once a step, 2 once per neuron pair and step
  const ampUniform = uniform.includes("amp");
  const level = new Map<string, number>([[DT, 0]]);
  for (const name of program.params) level.set(name, uniform.includes(name) ? 0 : 2);
  for (const c of program.currents) level.set(c.name, ampUniform ? 1 : 2);
  const levelOf = (x: Expr) => Math.max(0, ...[...freeNames(x)].map((n) => level.get(n) ?? 2));
  let lets = program.step.lets;
  if (fast) {
    // fast math: a division by a value computed once a call becomes a multiplication by its reciprocal
    const reciprocals: { name: string; expr: Expr }[] = [];
    const over = (x: Expr): Expr => {
      if (x.type === "bin" && x.op === "/" && x.right.type === "name" && level.get(x.right.name) === 0 && levelOf(x.left) > 0) {
        const name = `1/${x.right.name}`;
        if (!level.has(name)) {
          level.set(name, 0);
          reciprocals.push({ name, expr: { type: "bin", op: "/", left: { type: "num", value: 1 }, right: x.right } });
        }
        return { type: "bin", op: "*", left: over(x.left), right: { type: "name", name } };
      }
      return x.type === "bin" ? { ...x, left: over(x.left), right: over(x.right) } : x;
    };
    lets = lets.map((l) => ({ name: l.name, expr: over(l.expr) }));
    lets = [...reciprocals, ...lets];
  }
  for (const l of lets) level.set(l.name, levelOf(l.expr));
  if (fast) plans.set(e, new FastExps([...lets.map((l) => l.expr), ...program.step.out]));
  const used = new Set<string>();
  for (const x of [...lets.map((l) => l.expr), ...program.step.out]) freeNames(x, used);

  // per-array byte offsets j·stride, lane-pair constants, the running record pointer and state flag
  const offset = arrays.map((_, j) => {
    const l = e.i32();
    b.i32Const(j).get(STRIDE).op(Op.i32Mul).set(l);
    return l;
  });
  b.get(DT_).simd(Simd.f64x2Splat);
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
  const onAt = e.i32();
  const base = e.i32();
  b.get(K0).set(k);
  /** Loads array `name` at the pair `base` holds (the first pair where `base` is undefined). */
  const load = (name: string, at0 = false): number => {
    if (!at0) b.get(base);
    b.get(offset[at(name)] as number);
    if (!at0) b.op(Op.i32Add);
    b.simdMem(Simd.load);
    return e.keep();
  };
  const store = (name: string, value: number) => {
    b.get(base)
      .get(offset[at(name)] as number)
      .op(Op.i32Add)
      .get(value)
      .simdMem(Simd.store);
  };
  // names: dt, the uniform parameters, then each let in the loop of its level; per pair the state and
  // (on first use) the other parameters and the currents
  const env = new Map<string, number>([[DT, dt]]);
  for (const name of program.params) if (level.get(name) === 0 && used.has(name)) env.set(name, load(name, true));
  const ampOnce = ampUniform ? load("amp", true) : undefined;
  let amp: number | undefined;
  const flags = new Map<string, number>();
  const lookup = (name: string): number => {
    let l = env.get(name);
    if (l !== undefined) return l;
    const flag = flags.get(name);
    if (flag !== undefined) {
      amp ??= ampOnce ?? load("amp");
      b.get(amp).get(zero).get(flag).op(Op.select);
      l = e.keep();
    } else if (program.params.includes(name)) l = load(name);
    else throw new Unsupported(`unbound name ${name}`);
    env.set(name, l);
    return l;
  };
  const emitLets = (at: number) => {
    for (const l of lets) if (level.get(l.name) === at) env.set(l.name, emitExpr(e, l.expr, lookup));
  };
  emitLets(0);

  b.op(Op.loop, 0x40); // steps
  b.get(ON).get(k).get(K0).op(Op.i32Sub, Op.i32Add).set(onAt);
  // whether each current is on at this step
  program.currents.forEach((c, j) => {
    if (!used.has(c.name)) return;
    const flag = e.i32();
    b.get(onAt)
      .mem(Op.i32Load8u, 0, j * ON_STRIDE)
      .set(flag);
    flags.set(c.name, flag);
  });
  if (ampUniform) {
    for (const c of program.currents) if (used.has(c.name)) lookup(c.name);
    emitLets(1);
  }
  b.get(P0).set(p);
  b.op(Op.loop, 0x40); // neuron pairs
  b.get(p).i32Const(4).op(Op.i32Shl).set(base);
  const ys = program.state.map((_, j) => load(`y${j}`));
  program.state.forEach((s, j) => {
    env.set(s, ys[j] as number);
  });
  emitLets(2);
  const next = program.step.out.map((x) => emitExpr(e, x, lookup));
  const v = ys[0] as number;
  const vNew = next[0] as number;
  // store, bounds check, spike detection
  const { vAbsBelow, gateAbove, gateBelow, concAbsBelow } = program.bounds;
  let good = e.lt(e.abs(vNew), e.splat(vAbsBelow));
  next.forEach((x, j) => {
    store(`y${j}`, x);
    if (j > 0 && j <= program.gateCount) good = e.and(good, e.and(e.gt(x, e.splat(gateAbove)), e.lt(x, e.splat(gateBelow))));
    else if (j > program.gateCount) good = e.and(good, e.lt(e.abs(x), e.splat(concAbsBelow)));
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
