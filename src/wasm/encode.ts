/**
 * A minimal WebAssembly binary writer: just what the generated kernels need (one memory import,
 * functions with locals, exports; scalar and 128-bit SIMD instructions).
 * Opcodes follow the WebAssembly 2.0 core specification (SIMD: the 0xfd-prefixed table).
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F64 | typeof V128;

/** Scalar opcodes used by the kernels. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load8u: 0x2d,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Const: 0x41,
  i32Eqz: 0x45,
  f64Eq: 0x61,
  i32LtS: 0x48,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32And: 0x71,
  i32Shl: 0x74,
  i32WrapI64: 0xa7,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const Simd = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  i8x16Shuffle: 0x0d,
  i64x2ExtractLane: 0x1d,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2Eq: 0x47,
  f64x2Ne: 0x48,
  f64x2Lt: 0x49,
  f64x2Gt: 0x4a,
  f64x2Le: 0x4b,
  f64x2Ge: 0x4c,
  not: 0x4d,
  and: 0x4e,
  or: 0x50,
  bitselect: 0x52,
  anyTrue: 0x53,
  i8x16Bitmask: 0x64,
  i64x2AllTrue: 0xc3,
  i64x2Eq: 0xd6,
  i64x2Shl: 0xcb,
  f64x2Trunc: 0x7a,
  f64x2Nearest: 0x94,
  f64x2Abs: 0xec,
  f64x2Neg: 0xed,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
  f64x2Min: 0xf4,
  f64x2Max: 0xf5,
} as const;

const f64Bytes = new Float64Array(1);
const f64View = new Uint8Array(f64Bytes.buffer);

/** A growable byte sequence with LEB128 and IEEE-754 writers. */
export class Bytes {
  readonly out: number[] = [];

  byte(...b: number[]): this {
    for (const x of b) this.out.push(x & 0xff);
    return this;
  }

  u32(v: number): this {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.out.push(b);
    } while (x !== 0);
    return this;
  }

  i32(v: number): this {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.out.push(b);
        return this;
      }
      this.out.push(b | 0x80);
    }
  }

  f64(v: number): this {
    f64Bytes[0] = v;
    for (const b of f64View) this.out.push(b);
    return this;
  }

  /** A v128 holding v in both f64 lanes. */
  f64x2Const(v: number): this {
    return this.byte(0xfd).u32(Simd.const).f64(v).f64(v);
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    for (const x of b) this.out.push(x);
    return this;
  }

  append(b: Bytes | readonly number[]): this {
    const src = b instanceof Bytes ? b.out : b;
    for (let i = 0; i < src.length; i++) this.out.push(src[i] as number);
    return this;
  }

  get length(): number {
    return this.out.length;
  }
}

/** A function body under construction: typed locals (parameters first) and its instructions. */
export class FunctionBody extends Bytes {
  private readonly localTypes: ValType[] = [];
  /** Instructions placed before all others (constants hoisted out of loops). */
  readonly prologue = new Bytes();

  constructor(readonly params: readonly ValType[]) {
    super();
  }

  /** A new local of the given type; returns its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  op(...codes: number[]): this {
    return this.byte(...codes);
  }

  simd(code: number): this {
    return this.byte(0xfd).u32(code);
  }

  /** i32.trunc_sat_f64_s: toward zero, saturating (no trap on NaN or overflow). */
  i32TruncSatF64s(): this {
    return this.byte(0xfc).u32(2);
  }

  get(i: number): this {
    return this.byte(Op.localGet).u32(i);
  }

  set(i: number): this {
    return this.byte(Op.localSet).u32(i);
  }

  tee(i: number): this {
    return this.byte(Op.localTee).u32(i);
  }

  i32Const(v: number): this {
    return this.byte(Op.i32Const).i32(v);
  }

  /** A v128 holding the 64-bit integer `hi·2³² + lo` in both lanes. */
  i64x2Const(hi: number, lo = 0): this {
    this.simd(Simd.const);
    for (let lane = 0; lane < 2; lane++) {
      for (const w of [lo, hi]) this.byte(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
    }
    return this;
  }

  /** A memory access with natural alignment hint `align` (log2 bytes) and a constant offset. */
  mem(code: number, align: number, offset = 0): this {
    return this.byte(code).u32(align).u32(offset);
  }

  simdMem(code: number, offset = 0): this {
    return this.simd(code).u32(4).u32(offset);
  }

  /** The encoded body: locals (run-length encoded) then the code and `end`. */
  encode(): Bytes {
    const groups: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = groups.at(-1);
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const b = new Bytes().u32(groups.length);
    for (const [count, type] of groups) b.u32(count).byte(type);
    b.append(this.prologue).append(this).byte(Op.end);
    return b;
  }
}

export interface ModuleParts {
  /** The memory, imported as env.memory (minimum pages). */
  readonly memoryPages: number;
  readonly functions: readonly { readonly name: string; readonly body: FunctionBody; readonly results: readonly ValType[] }[];
}

const section = (id: number, content: Bytes): Bytes => new Bytes().byte(id).u32(content.length).append(content);

/** Assembles a module: types, the env.memory import, functions, exports, code. */
export function assemble(parts: ModuleParts): Uint8Array<ArrayBuffer> {
  const sigs: string[] = [];
  const typeOf = (params: readonly ValType[], results: readonly ValType[]): number => {
    const key = `${params.join(",")}>${results.join(",")}`;
    let i = sigs.indexOf(key);
    if (i < 0) i = sigs.push(key) - 1;
    return i;
  };
  const funcTypes = parts.functions.map((f) => typeOf(f.body.params, f.results));

  const types = new Bytes().u32(sigs.length);
  for (const key of sigs) {
    const [p, r] = key.split(">").map((s) => (s ? s.split(",").map(Number) : []));
    types
      .byte(0x60)
      .u32((p as number[]).length)
      .byte(...(p as number[]))
      .u32((r as number[]).length)
      .byte(...(r as number[]));
  }
  const imports = new Bytes().u32(1);
  imports.name("env").name("memory").byte(0x02, 0x00).u32(parts.memoryPages);
  const funcs = new Bytes().u32(funcTypes.length);
  for (const t of funcTypes) funcs.u32(t);
  const exports = new Bytes().u32(parts.functions.length);
  parts.functions.forEach((f, i) => {
    exports.name(f.name).byte(0x00).u32(i);
  });
  const code = new Bytes().u32(parts.functions.length);
  for (const f of parts.functions) {
    const body = f.body.encode();
    code.u32(body.length).append(body);
  }
  const module = new Bytes()
    .byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
    .append(section(1, types))
    .append(section(2, imports))
    .append(section(3, funcs))
    .append(section(7, exports))
    .append(section(10, code));
  return Uint8Array.from(module.out);
}
