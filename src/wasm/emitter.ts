import { FunctionBody, I32, Op, Simd, V128, type ValType } from "./encode.js";
import { RELAXED_MADD, RELAXED_NMADD } from "./fma.js";

/**
 * SSA-style helpers over a function body: every value is a local, every helper emits the
 * instruction(s) and returns the local holding the result. TurboFan turns the locals into
 * registers, so this costs nothing at run time and keeps the generators readable.
 */
export class Emitter {
  /** The local holding each hoisted f64x2 constant, by value (−0 apart: a Map keys it as 0). */
  private readonly constants = new Map<number, number>();
  private negativeZero: number | undefined;
  /**
   * Lanes that met an argument the inline code does not reproduce exactly (|x| ≥ 700 in exp, say):
   * the kernel then reports failure and the caller reruns the checked JavaScript loop.
   */
  readonly unhandled: number;

  /**
   * @param fast fast-math code: polynomial exp/expm1 and reciprocal multiplication instead of the
   *   bit-identical operations (the `fast_math` option).
   * @param outline functions of the module to call instead of inlining (by routine: its function
   *   index); `used` is set when a call is emitted.
   * @param fused fast math only: `fma`/`fnma` emit relaxed SIMD's fused multiply–add (fma.ts) instead
   *   of a multiplication and an addition.
   */
  constructor(
    readonly body: FunctionBody,
    readonly fast = false,
    readonly outline: { exprel?: number; used?: boolean } = {},
    readonly fused = false,
  ) {
    if (fused && !fast) throw new Error("fused multiply–adds are for fast-math kernels only");
    this.unhandled = body.local(V128);
  }

  /** How many `apart` branches are being emitted (values computed in one are not shared outside it). */
  inBranch = 0;

  /** Marks the lanes of `mask` as unhandled. */
  flag(mask: number): void {
    this.body.get(this.unhandled).get(mask).simd(Simd.or).set(this.unhandled);
  }

  /** A new local set to both lanes v in the prologue (outside every loop). */
  private hoist(v: number): number {
    const l = this.body.local(V128);
    this.body.prologue.f64x2Const(v).byte(Op.localSet).u32(l);
    return l;
  }

  /** Stores what is on the stack into a new local of `type`. */
  keep(type: ValType = V128): number {
    const l = this.body.local(type);
    this.body.set(l);
    return l;
  }

  /** Both lanes v (a hoisted constant, one local per value). */
  splat(v: number): number {
    if (Object.is(v, -0)) {
      this.negativeZero ??= this.hoist(v);
      return this.negativeZero;
    }
    let l = this.constants.get(v);
    if (l === undefined) {
      l = this.hoist(v);
      this.constants.set(v, l);
    }
    return l;
  }

  /** A new v128 local (zero until set). */
  keepNew(): number {
    return this.body.local(V128);
  }

  un(op: number, a: number): number {
    this.body.get(a).simd(op);
    return this.keep();
  }

  bin(op: number, a: number, b: number): number {
    this.body.get(a).get(b).simd(op);
    return this.keep();
  }

  add = (a: number, b: number) => this.bin(Simd.f64x2Add, a, b);
  sub = (a: number, b: number) => this.bin(Simd.f64x2Sub, a, b);
  mul = (a: number, b: number) => this.bin(Simd.f64x2Mul, a, b);
  div = (a: number, b: number) => this.bin(Simd.f64x2Div, a, b);
  /** a·b + c: fused (one rounding) in a fused kernel, else a·b rounded, then + c. */
  fma = (a: number, b: number, c: number): number => {
    if (!this.fused) return this.add(this.mul(a, b), c);
    this.body.get(a).get(b).get(c).simd(RELAXED_MADD);
    return this.keep();
  };
  /** c − a·b: fused in a fused kernel, else c − (a·b rounded). */
  fnma = (a: number, b: number, c: number): number => {
    if (!this.fused) return this.sub(c, this.mul(a, b));
    this.body.get(a).get(b).get(c).simd(RELAXED_NMADD);
    return this.keep();
  };
  and = (a: number, b: number) => this.bin(Simd.and, a, b);
  or = (a: number, b: number) => this.bin(Simd.or, a, b);
  neg = (a: number) => this.un(Simd.f64x2Neg, a);
  abs = (a: number) => this.un(Simd.f64x2Abs, a);
  lt = (a: number, b: number) => this.bin(Simd.f64x2Lt, a, b);
  le = (a: number, b: number) => this.bin(Simd.f64x2Le, a, b);
  ge = (a: number, b: number) => this.bin(Simd.f64x2Ge, a, b);
  gt = (a: number, b: number) => this.bin(Simd.f64x2Gt, a, b);
  eq = (a: number, b: number) => this.bin(Simd.f64x2Eq, a, b);
  ne = (a: number, b: number) => this.bin(Simd.f64x2Ne, a, b);

  /**
   * Emits `branch()` with its unhandled lanes (see `unhandled`) kept apart; returns (its value, those lanes),
   * leaving `unhandled` as it was before. A conditional then counts only the lanes of the branch it selects.
   */
  apart(branch: () => number): { value: number; unhandled: number } {
    const saved = this.keepNew();
    this.body.get(this.unhandled).set(saved);
    this.body.i64x2Const(0, 0).set(this.unhandled);
    this.inBranch++;
    const value = branch();
    this.inBranch--;
    const flags = this.keepNew();
    this.body.get(this.unhandled).set(flags).get(saved).set(this.unhandled);
    return { value, unhandled: flags };
  }

  /** Lane-wise `mask ? a : b` (mask lanes all ones or all zeros). */
  select(mask: number, a: number, b: number): number {
    this.body.get(a).get(b).get(mask).simd(Simd.bitselect);
    return this.keep();
  }

  /** into ← mask ? value : into, lane-wise. */
  assignWhere(mask: number, value: number, into: number): void {
    this.body.get(value).get(into).get(mask).simd(Simd.bitselect).set(into);
  }

  /** `if (any lane of mask) { then() }`. */
  ifAny(mask: number, then: () => void): void {
    this.body.get(mask).simd(Simd.anyTrue).op(Op.if, 0x40);
    then();
    this.body.op(Op.end);
  }

  /**
   * Calls function `index` of the module, which takes one v128 and returns (value, unhandled lanes)
   * (see `outlined`); the lanes it flags are flagged here too. Returns the local holding the value.
   */
  call(index: number, arg: number): number {
    this.body.get(arg).op(Op.call).u32(index);
    this.body.get(this.unhandled).simd(Simd.or).set(this.unhandled);
    return this.keep();
  }

  /** A scalar i32 local. */
  i32(): number {
    return this.body.local(I32);
  }
}

/**
 * A function v128 → (v128, v128 unhandled lanes) computing `f` on its argument: for a routine the
 * kernel would otherwise inline several times (Emitter.call calls it).
 */
export function outlined(f: (e: Emitter, x: number) => number): FunctionBody {
  const body = new FunctionBody([V128]);
  const e = new Emitter(body);
  const r = f(e, 0);
  body.get(r).get(e.unhandled);
  return body;
}

/** The double whose bit pattern is hi·2³² + lo (fdlibm's constants are given so, exactly). */
export function fromWords(hi: number, lo: number): number {
  const u = new Uint32Array([lo >>> 0, hi >>> 0]);
  return new Float64Array(u.buffer)[0] as number;
}

/** The double whose bit pattern is hi·2³² (for thresholds on fdlibm's high word: |x| ≥ this ⟺ hx ≥ hi). */
export const fromHighWord = (hi: number): number => fromWords(hi, 0);
