/*
 * exp and expm1 on two f64 lanes, bit-identical to V8's Math.exp and Math.expm1.
 *
 * V8 computes both with its port of fdlibm (Sun Microsystems, 1993: "Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is
 * preserved."; src/base/ieee754.cc). IEEE-754 arithmetic is deterministic, so performing the same
 * operations in the same order gives the same bits: each branch of fdlibm's argument reduction and
 * reconstruction is computed on both lanes and the right one selected per lane. Arguments outside
 * the range where this reconstruction is exact (|x| ≥ 700 in exp, x > 709 in expm1) are flagged
 * (Emitter.flag): the kernel then fails and its caller reruns the checked JavaScript loop, so every
 * result is Math's.
 * test/wasm.test.ts checks millions of arguments bit for bit.
 */

import { type Emitter, fromHighWord, fromWords } from "./emitter.js";
import { Op, Simd } from "./encode.js";

// fdlibm's constants, by their bit patterns (as its source gives them)
const invln2 = fromWords(0x3ff71547, 0x652b82fe);
const ln2Hi = fromWords(0x3fe62e42, 0xfee00000);
const ln2Lo = fromWords(0x3dea39ef, 0x35793c76);
/** exp: R(r²) ≈ 2 + P1·r² + … + P5·r¹⁰ (P1 first). */
const P = [
  fromWords(0x3fc55555, 0x5555553e),
  fromWords(0xbf66c16c, 0x16bebd93),
  fromWords(0x3f11566a, 0xaf25de2c),
  fromWords(0xbebbbd41, 0xc5d26bf1),
  fromWords(0x3e663769, 0x72bea4d0),
] as const;
/** expm1: R1(z) ≈ 1 + Q1·z + … + Q5·z⁵, scaled as in fdlibm (Q1 first). */
const Q = [
  fromWords(0xbfa11111, 0x111110f4),
  fromWords(0x3f5a01a0, 0x19fe5585),
  fromWords(0xbf14ce19, 0x9eaadbb7),
  fromWords(0x3ed0cfca, 0x86e65239),
  fromWords(0xbe8afdb7, 0x6e09c32d),
] as const;
/** |x| > ½ln2 (fdlibm: high word > 0x3FD62E42): reduce the argument. */
const reduceFrom = fromHighWord(0x3fd62e43);

/** 2^52 + 1023: k + this, as a double, holds k + 1023 in its low mantissa bits (|k| < 1023). */
const EXPONENT_MAGIC = 4503599627371519;

/** The double 2^k for integer-valued lanes kf (|k| ≤ 1023): the biased exponent shifted into place. */
function pow2(e: Emitter, kf: number, negate = false): number {
  const magic = e.splat(EXPONENT_MAGIC);
  e.body
    .get(negate ? magic : kf)
    .get(negate ? kf : magic)
    .simd(negate ? Simd.f64x2Sub : Simd.f64x2Add);
  e.body.i32Const(52).simd(Simd.i64x2Shl);
  return e.keep();
}

/** k = (int)(x/ln2 ± ½) where the argument is reduced, 0 elsewhere (as doubles), 2^k, and r = hi − lo. */
function reduction(e: Emitter, x: number, ax: number) {
  const reduce = e.ge(ax, e.splat(reduceFrom));
  // ±½ with the sign of x; the (int) cast truncates toward zero, as f64x2.trunc for |k| < 2^31
  const half = e.or(e.and(x, e.splat(-0)), e.splat(0.5));
  const kf = e.and(e.un(Simd.f64x2Trunc, e.add(e.mul(e.splat(invln2), x), half)), reduce);
  const hi = e.sub(x, e.mul(kf, e.splat(ln2Hi)));
  const lo = e.mul(kf, e.splat(ln2Lo));
  return { kf, twopk: pow2(e, kf), hi, lo, r: e.sub(hi, lo) };
}

const tiny28 = fromHighWord(0x3e300000); // 2^-28: below it fdlibm's exp returns 1 + x
const tiny54 = fromHighWord(0x3c900000); // 2^-54: below it expm1 returns x
const big56 = fromHighWord(0x4043687a); // ≈ 56·ln2: beyond it expm1 of a negative x is −1

/** Lane-wise Math.exp(x). Lanes with |x| ≥ 700 (results near overflow or subnormal) are flagged. */
export function expV(e: Emitter, x: number): number {
  const ax = e.abs(x);
  const { twopk, hi, lo, r } = reduction(e, x, ax);
  const t = e.mul(r, r);
  // c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5))))
  let p = e.mul(t, e.splat(P[4]));
  for (const coefficient of [P[3], P[2], P[1]]) p = e.mul(t, e.add(e.splat(coefficient), p));
  const c = e.sub(r, e.mul(t, e.add(e.splat(P[0]), p)));
  // q = (r·c)/(c − 2); fdlibm's (r·c)/(2 − c) for k ≠ 0 is exactly −q, and its k = 0 result
  // 1 − (q − r) is what 1 − ((lo + q) − hi)·2^k gives for k = 0 (lo = 0, hi = r, 2^k = 1) exactly
  const q = e.div(e.mul(r, c), e.sub(c, e.splat(2)));
  const out = e.mul(e.sub(e.splat(1), e.sub(e.add(lo, q), hi)), twopk);
  // fdlibm's early returns: 1 + x for |x| < 2^-28; V8 returns e itself for x = 1
  const tiny = e.lt(ax, e.splat(tiny28));
  const isOne = e.eq(x, e.splat(1));
  e.ifAny(e.or(tiny, isOne), () => {
    e.assignWhere(tiny, e.add(e.splat(1), x), out);
    e.assignWhere(isOne, e.splat(Math.E), out);
  });
  e.flag(e.ge(ax, e.splat(700)));
  return out;
}

/**
 * Lane-wise Math.expm1(x). fdlibm picks one of six reconstructions by k; when both lanes share
 * k (nearly always: neighbouring neurons sit at similar potentials) a jump table runs only that
 * one, else all are computed and selected lane by lane. Lanes with x > 709 are flagged.
 */
export function expm1V(e: Emitter, x: number): number {
  const b = e.body;
  const ax = e.abs(x);
  const { kf, twopk, hi, lo, r } = reduction(e, x, ax);
  const c = e.sub(e.sub(hi, r), lo);
  const hfx = e.mul(e.splat(0.5), r);
  const hxs = e.mul(r, hfx);
  // r1 = 1 + hxs·(Q1 + hxs·(Q2 + hxs·(Q3 + hxs·(Q4 + hxs·Q5))))
  let p = e.mul(hxs, e.splat(Q[4]));
  for (const coefficient of [Q[3], Q[2], Q[1]]) p = e.mul(hxs, e.add(e.splat(coefficient), p));
  const one = e.splat(1);
  const r1 = e.add(one, e.mul(hxs, e.add(e.splat(Q[0]), p)));
  const t = e.sub(e.splat(3), e.mul(r1, hfx));
  const ee = e.mul(hxs, e.div(e.sub(r1, t), e.sub(e.splat(6), e.mul(r, t))));
  const tiny = e.lt(ax, e.splat(tiny54));
  const big = e.ge(ax, e.splat(big56));
  e.flag(e.gt(x, e.splat(709)));

  // the six reconstructions (k = 0, −1, 1, k ≤ −2 or > 56, 2 ≤ k < 20, 20 ≤ k ≤ 56)
  const e2 = () => e.sub(e.sub(e.mul(r, e.sub(ee, c)), c), hxs);
  const classes: ((e2: number) => number)[] = [
    () => e.sub(r, e.sub(e.mul(r, ee), hxs)),
    (f) => e.sub(e.mul(e.splat(0.5), e.sub(r, f)), e.splat(0.5)),
    (f) =>
      e.select(e.lt(r, e.splat(-0.25)), e.mul(e.splat(-2), e.sub(f, e.add(r, e.splat(0.5)))), e.add(one, e.mul(e.splat(2), e.sub(r, f)))),
    (f) => e.sub(e.mul(e.sub(one, e.sub(f, r)), twopk), one),
    (f) => e.mul(e.sub(e.sub(one, pow2(e, kf, true)), e.sub(f, r)), twopk),
    (f) => e.mul(e.add(e.sub(r, e.add(f, pow2(e, kf, true))), one), twopk),
  ];
  const out = e.keepNew();
  // jump-table index: k + 56 when both lanes share k and neither is tiny or beyond 56·ln2, else out
  // of range. kf + 2^52 + 56 holds k + 56 in its low bits; a tiny or big lane sets all its bits; lanes
  // that differ set lane 0's bits (all ones: −1, past the table), so lane 0's low 32 bits are the index.
  const idx = e.i32();
  const biased = e.or(e.add(kf, e.splat(2 ** 52 + 56)), e.or(tiny, big));
  b.get(biased).get(biased).simd(Simd.i8x16Shuffle).byte(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
  b.get(biased).simd(Simd.i64x2Eq).simd(Simd.not).get(biased).simd(Simd.or);
  b.simd(Simd.i64x2ExtractLane).byte(0).op(Op.i32WrapI64).set(idx);
  const classOf = (k: number) => (k === 0 ? 0 : k === -1 ? 1 : k === 1 ? 2 : k <= -2 ? 3 : k < 20 ? 4 : 5);
  b.op(Op.block, 0x40); // done: depth 7 from the innermost
  b.op(Op.block, 0x40); // general
  for (let j = 5; j >= 0; j--) b.op(Op.block, 0x40);
  b.get(idx).op(Op.brTable).u32(113);
  for (let k = -56; k <= 56; k++) b.u32(classOf(k));
  b.u32(6);
  classes.forEach((compute, j) => {
    b.op(Op.end);
    b.get(compute(j === 0 ? -1 : e2())).set(out);
    b.op(Op.br).u32(6 - j);
  });
  b.op(Op.end);
  // general: every reconstruction, selected per lane; then fdlibm's early returns
  const f = e2();
  const [k0, km1, kp1, kLow, kMid, kHigh] = classes.map((compute) => compute(f)) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  e.body.get(e.select(e.lt(kf, e.splat(20)), kMid, kHigh)).set(out);
  e.assignWhere(e.or(e.le(kf, e.splat(-2)), e.gt(kf, e.splat(56))), kLow, out);
  e.assignWhere(e.eq(kf, one), kp1, out);
  e.assignWhere(e.eq(kf, e.splat(-1)), km1, out);
  e.assignWhere(e.eq(kf, e.splat(0)), k0, out);
  e.assignWhere(tiny, x, out);
  e.assignWhere(e.and(big, e.lt(x, e.splat(0))), e.splat(-1), out);
  b.op(Op.end);
  return out;
}

/** Lane-wise exprel(x) = |x| < 1e-6 ? 1 + x/2 + x²/6 : expm1(x)/x, as models/exprel.ts. */
export function exprelV(e: Emitter, x: number, expm1: (e: Emitter, x: number) => number = expm1V): number {
  const out = e.div(expm1(e, x), x);
  const small = e.lt(e.abs(x), e.splat(1e-6));
  e.ifAny(small, () => {
    e.assignWhere(small, e.add(e.add(e.splat(1), e.div(x, e.splat(2))), e.div(e.mul(x, x), e.splat(6))), out);
  });
  return out;
}

/**
 * P(r) ≈ (eʳ − 1 − r)/r² on |r| ≤ ½ln2, constant term first: the degree-10 Chebyshev interpolant (close
 * to minimax; |error| ≤ 1.4e-18) that scripts/fast-exp-coefficients.py derives and prints, each
 * coefficient rounded to a double. It replaced the degree-11 Taylor series (1/2!, …, 1/13!).
 */
const FAST_P = [
  0.5, 0.1666666666666667, 0.04166666666666667, 0.008333333333326141, 0.0013888888888883752, 0.00019841269874800493, 2.4801587325533363e-5,
  2.7557255425746435e-6, 2.7557273661348637e-7, 2.510520637395701e-8, 2.0914679376583935e-9,
] as const;

/**
 * Σ c[i]·rⁱ by Estrin's scheme (pairs c[2j] + c[2j+1]·r, then pairs of those with r², r⁴, …): the
 * dependency chain is log₂ of Horner's (4 multiply–add levels instead of 10 for degree 10), which
 * matters where the kernel waits on latency; `r2` is r².
 */
function estrin(e: Emitter, c: readonly number[], r: number, r2: number): number {
  let terms = Array.from({ length: Math.ceil(c.length / 2) }, (_, j) => {
    const hi = c[2 * j + 1];
    const lo = e.splat(c[2 * j] as number);
    return hi === undefined ? lo : e.fma(e.splat(hi), r, lo);
  });
  let power = r2;
  while (terms.length > 1) {
    const p = power;
    terms = Array.from({ length: Math.ceil(terms.length / 2) }, (_, j) => {
      const hi = terms[2 * j + 1];
      const lo = terms[2 * j] as number;
      return hi === undefined ? lo : e.fma(hi, p, lo);
    });
    if (terms.length > 1) power = e.mul(power, power);
  }
  return terms[0] as number;
}

/** A fast-math exponential's parts (fastExpParts): eˣ − 1 = em1·2^k + (2^k − 1), eˣ = em1·2^k + 2^k; `x` its argument. */
export interface FastExpParts {
  readonly x: number;
  readonly em1: number;
  readonly twopk: number;
}

/**
 * The parts of a fast-math exp or expm1 on two lanes (the `fast_math` kernel): Cody–Waite reduction to
 * |r| ≤ ½ln2 with k = round(x/ln2), expm1(r) = r + r²·P(r) with P the polynomial FAST_P (by Estrin's
 * scheme), and 2^k; no division, no branch, no select. Lanes with |x| ≥ `flagFrom` (700, as in expV;
 * less where other exponentials are derived from this one, see fastExps.ts) are flagged. In a fused kernel
 * (Emitter.fused) the reduction and each of the polynomial's multiply–adds are fused.
 */
export function fastExpParts(e: Emitter, x: number, flagFrom = 700): FastExpParts {
  const kf = e.un(Simd.f64x2Nearest, e.mul(x, e.splat(invln2)));
  const r = e.fnma(kf, e.splat(ln2Lo), e.fnma(kf, e.splat(ln2Hi), x));
  const r2 = e.mul(r, r);
  const em1 = e.fma(r2, estrin(e, FAST_P, r, r2), r);
  const twopk = pow2(e, kf);
  e.flag(e.ge(e.abs(x), e.splat(flagFrom)));
  return { x, em1, twopk };
}

/**
 * eˣ (or eˣ − 1) from its parts: em1·2^k + 2^k (+ (2^k − 1)): the product is exact (a power of two), so
 * one rounding, in the sum; 2^k − 1 is computed beside the polynomial, off its chain. Within 1 ulp (exp)
 * and 2 ulp (expm1) of Math's (test/wasm.test.ts measures it); not bit-identical.
 */
export function fastExpOf(e: Emitter, p: FastExpParts, minusOne: boolean): number {
  return e.fma(p.em1, p.twopk, minusOne ? e.sub(p.twopk, e.splat(1)) : p.twopk);
}

/** Fast-math exp or expm1 on two lanes: fastExpOf(fastExpParts(x)). */
export function fastExpV(e: Emitter, x: number, minusOne: boolean): number {
  return fastExpOf(e, fastExpParts(e, x), minusOne);
}

/** Fast-math exprel: exprelV over the fast-math expm1 (of `parts` when given: x's, computed before). */
export const fastExprelV = (e: Emitter, x: number, parts?: FastExpParts): number =>
  exprelV(e, x, (e2, y) => fastExpOf(e2, parts ?? fastExpParts(e2, y), true));

/** Fast-math a / exprel(u) = a·u / expm1(u), and a over exprel's series for |u| < 1e-6 (`parts`: as fastExprelV). */
export function fastOverExprelV(e: Emitter, a: number, u: number, parts?: FastExpParts): number {
  const out = e.div(e.mul(a, u), fastExpOf(e, parts ?? fastExpParts(e, u), true));
  const small = e.lt(e.abs(u), e.splat(1e-6));
  e.ifAny(small, () => {
    e.assignWhere(small, e.div(a, e.add(e.add(e.splat(1), e.div(u, e.splat(2))), e.div(e.mul(u, u), e.splat(6)))), out);
  });
  return out;
}
