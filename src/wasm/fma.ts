/**
 * Whether the fast-math kernel may use a fused multiply–add: WebAssembly's relaxed SIMD
 * `f64x2.relaxed_madd` (a·b + c), which an engine may compute fused (one rounding) or not. V8 fuses it
 * where the CPU has FMA3 (x64) and always on arm64; the kernel uses it only where a probe shows it
 * fused, so that a machine's fast-math results are the same from run to run.
 *
 * Relaxed SIMD is on by default in Chrome ≥ 114, Firefox ≥ 145 and Node ≥ 22 (V8 ≥ 11.4); Node 20 has it
 * behind V8's `--experimental-wasm-relaxed-simd`, which the CLI and `spikelab/node` set (nodeFlags.ts).
 * `SPIKELAB_FMA=0` turns it off (the fast-math kernel then multiplies and adds separately, as before).
 * The exact kernel never uses it: fusing changes the last bit.
 */

/** f64x2.relaxed_madd's opcode (after the 0xfd prefix) and relaxed_nmadd's (c − a·b). */
export const RELAXED_MADD = 0x107;
export const RELAXED_NMADD = 0x108;

/**
 * A module exporting fma(a, b, c) = f64x2.extract_lane 0 (relaxed_madd(splat a, splat b, splat c)):
 * (func (param f64 f64 f64) (result f64) …).
 */
const probe = Uint8Array.of(
  ...[0, 97, 115, 109, 1, 0, 0, 0], // magic, version
  ...[1, 8, 1, 0x60, 3, 0x7c, 0x7c, 0x7c, 1, 0x7c], // type: (f64 f64 f64) → f64
  ...[3, 2, 1, 0], // one function of type 0
  ...[7, 7, 1, 3, 102, 109, 97, 0, 0], // export "fma"
  ...[10, 22, 1, 20, 0], // code: one body of 20 bytes, no locals
  ...[0x20, 0, 0xfd, 0x14, 0x20, 1, 0xfd, 0x14, 0x20, 2, 0xfd, 0x14], // three f64x2.splat
  ...[0xfd, 0x87, 0x02, 0xfd, 0x21, 0, 0x0b], // relaxed_madd, extract_lane 0, end
);

let fused: boolean | undefined;

/**
 * True where this engine validates relaxed SIMD and computes relaxed_madd fused: (1 + 2⁻³⁰)(1 − 2⁻³⁰) − 1
 * is −2⁻⁶⁰ fused and 0 when the product is rounded first. Probed once, on first use (after the CLI has
 * set its V8 flags).
 */
export function fusedMultiplyAdd(): boolean {
  if (fused === undefined) {
    fused = false;
    try {
      if (!(typeof process !== "undefined" && process.env?.SPIKELAB_FMA === "0") && WebAssembly.validate(probe)) {
        const { fma } = new WebAssembly.Instance(new WebAssembly.Module(probe)).exports as {
          fma: (a: number, b: number, c: number) => number;
        };
        fused = fma(1 + 2 ** -30, 1 - 2 ** -30, -1) === -(2 ** -60);
      }
    } catch {
      fused = false;
    }
  }
  return fused;
}
