/**
 * Conditionals in the expression language (`x < y ? a : b`, src/models/expr.ts): parsed, printed and
 * compiled by every backend. The reference evaluator, the JavaScript printer and the WebAssembly SIMD
 * kernel (f64x2 comparisons + v128.bitselect, both branches computed) must agree bit for bit on a model
 * with piecewise rates, including branches that overflow or divide by zero where they are not selected.
 * The WGSL printer's `select(f, t, cond)` is read back as JavaScript and compared with the CPU's rate here;
 * test/gpu.browser.e2e.ts runs the same model's WGSL on SwiftShader against the CPU.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exprToWgsl, generateKernel, rateToWgsl } from "../src/gpu/wgsl.js";
import { neuromlChannels } from "../src/index.js";
import { bindConstants, compileExpr, type Expr, evaluate, exprToString, MAX_EXPR_DEPTH, parseExpr, toJs } from "../src/models/expr.js";
import { nmodlToModel } from "../src/models/nmodl/index.js";
import { exprel, type RateLaw, rateFunction } from "../src/models/rates.js";
import type { NeuronModel } from "../src/models/types.js";
import { BOUNDS } from "../src/program/bounds.js";
import { evaluateExpr } from "../src/program/evaluate.js";
import { blockSource } from "../src/program/js.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { type MembraneSystem, membraneSystem } from "../src/system/membrane.js";
import { wasmKernel } from "../src/wasm/kernel.js";
import { wasmSimdAvailable } from "../src/wasm/run.js";
import { selectedOverflow, unselectedOverflow } from "./helpers/piecewise.js";
import { fusedRun, stepwise } from "./helpers/stepwise.js";

describe("the conditional x < y ? a : b", () => {
  it("parses with the loosest precedence, nests to the right, and prints text that parses to the same tree", () => {
    const e = parseExpr("V < -50 ? 1 + 2*V : V >= 0 ? 3 : -V");
    expect(e).toMatchObject({ type: "select", op: "<", ifFalse: { type: "select", op: ">=" } });
    expect(exprToString(e)).toBe("(V < (-50) ? (1 + (2 * V)) : (V >= 0 ? 3 : (-V)))");
    expect(parseExpr(exprToString(e))).toEqual(e);
    const f = compileExpr(e);
    expect([f(-60), f(-50), f(-1), f(0), f(7)]).toEqual([-119, 50, 1, 3, 3]);
    // a condition in the true branch nests too (as in C)
    expect(evaluate(parseExpr("V > 0 ? V > 10 ? 1 : 2 : 3"), 5)).toBe(2);
  });

  it("compares as IEEE 754 in every comparison (NaN: false, but != true)", () => {
    for (const op of ["<", "<=", ">", ">=", "==", "!="]) {
      const e = parseExpr(`V ${op} 1 ? 10 : 20`);
      const expected = (V: number) => ({ "<": V < 1, "<=": V <= 1, ">": V > 1, ">=": V >= 1, "==": V === 1, "!=": V !== 1 })[op] as boolean;
      for (const V of [0, 1, 2, Number.NaN]) {
        const want = expected(V) ? 10 : 20;
        expect([evaluate(e, V), compileExpr(e)(V), evaluateExpr(e, new Map([["V", V]]))]).toEqual([want, want, want]);
      }
    }
  });

  it("decides a condition on constants when they are bound (only the branch taken is kept)", () => {
    expect(bindConstants(parseExpr("k < 2 ? V : 1/0"), { k: 1 })).toEqual({ type: "name", name: "V" });
    expect(bindConstants(parseExpr("k < 2 ? V : 2*V"), { k: 3 })).toEqual(parseExpr("2*V"));
  });

  it("refuses a comparison that is not the condition of ?:, with a one-line error naming the position", () => {
    expect(() => parseExpr("V < 1")).toThrow(/expected "\?" after the comparison < .* at character 6 of "V < 1"/);
    expect(() => parseExpr("V < 1 ? 2")).toThrow(/expected ":" at character 10/);
    expect(() => parseExpr("(V < 1) ? 1 : 2")).toThrow(/written without parentheses around it\) at character 7/);
    expect(() => parseExpr("V < 1 < 2 ? 1 : 2")).toThrow(/expected "\?" after the comparison </);
    expect(() => parseExpr("V ? 1 : 2")).toThrow(/unexpected "\?" at character 3/);
    expect(() => parseExpr("V = 1 ? 1 : 2")).toThrow(/unexpected character "=" at character 3/);
  });

  it("counts nested conditionals against the nesting limit", () => {
    const nested = (k: number) => `${"V < 0 ? 1 : ".repeat(k)}0`;
    expect(() => parseExpr(nested(MAX_EXPR_DEPTH - 1))).not.toThrow();
    expect(() => parseExpr(nested(MAX_EXPR_DEPTH + 1))).toThrow(`expression nests deeper than ${MAX_EXPR_DEPTH} levels`);
  });

  it("keeps the code generators' guards: a hand-built comparison other than the six is refused by every printer", () => {
    const bad = {
      type: "select",
      op: "<0||alert(1)||",
      left: { type: "name", name: "V" },
      right: { type: "num", value: 0 },
      ifTrue: { type: "num", value: 1 },
      ifFalse: { type: "num", value: 2 },
    } as unknown as Expr;
    expect(() => toJs(bad)).toThrow(/unknown comparison "<0\|\|alert\(1\)\|\|"/);
    expect(() => exprToWgsl(bad, "V")).toThrow(/unknown comparison/);
    expect(() => blockSource({ lets: [], out: [bad] }, ["V"], [], [])).toThrow(/unknown comparison/);
    const program = {
      method: "euler",
      state: ["V"],
      params: [],
      currents: [],
      step: { lets: [], out: [bad] },
      init: { lets: [], out: [{ type: "num", value: 0 } as Expr] },
      bounds: BOUNDS,
      gateCount: 0,
    };
    expect(() => wasmKernel(program)).toThrow(/the comparison "<0\|\|alert\(1\)\|\|"/);
  });
});

const METHODS = ["euler", "exp-euler", "backward-euler", "rk4"] as const;
const dt = 0.02;
const steps = 3000;
const amps = [0, 8, 20];
const system = (model: NeuronModel, kernel: "compiled" | "declarative"): MembraneSystem =>
  membraneSystem({ model, n: amps.length, stimulus: stepCurrent({ amplitude: amps, start: 5.01, stop: 49.99 }, amps.length), kernel });

describe.each(METHODS)("hh1952 with piecewise rates, %s", (method) => {
  const reference = stepwise(system(unselectedOverflow, "declarative"), method, steps, dt);

  it("the printed JavaScript equals the reference evaluator bit for bit (state and spikes)", () => {
    expect(reference.t.length, "the protocol reaches firing").toBeGreaterThan(3);
    expect(reference.y.every(Number.isFinite)).toBe(true);
    expect(stepwise(system(unselectedOverflow, "compiled"), method, steps, dt)).toEqual(reference);
  });

  it.runIf(wasmSimdAvailable)("the WebAssembly kernel equals it bit for bit, the unselected branch's overflow not counted", () => {
    const { ok, result } = fusedRun(system(unselectedOverflow, "compiled"), method, steps, dt);
    expect(ok, "the kernel kept the batch (no lane flagged)").toBe(true);
    expect(result).toEqual(reference);
  });

  it.runIf(wasmSimdAvailable)("the kernel still declines a batch where the selected branch leaves its inline exp's range", () => {
    expect(fusedRun(system(selectedOverflow, "compiled"), method, steps, dt).ok).toBe(false);
  });
});

describe("the WGSL printer's select", () => {
  it("prints select(f, t, cond), which read back as JavaScript is the CPU's rate function", () => {
    const laws = [
      ...(unselectedOverflow.channels[0]?.gates ?? []).flatMap((g) => Object.values(g)),
      ...(unselectedOverflow.channels[1]?.gates ?? []).flatMap((g) => Object.values(g)),
    ].filter((l): l is RateLaw => (l as RateLaw)?.form === "expr");
    expect(laws).toHaveLength(3);
    const h = rateToWgsl(laws[1] as RateLaw, "V");
    expect(h).toBe(
      "select(select((0.075 * exp(((-(V + 65.0)) / 20.0))), 0.0, V == (-1000.0)), (0.07 * exp(((-(V + 65.0)) / 20.0))), V < (-70.0))",
    );
    const helpers = { exprel, exp: Math.exp, select: (f: number, t: number, c: boolean) => (c ? t : f) };
    for (const l of laws) {
      const js = new Function(...Object.keys(helpers), `return (V) => ${rateToWgsl(l, "V")};`)(...Object.values(helpers)) as (
        v: number,
      ) => number;
      const cpu = rateFunction(l);
      for (let v = -100; v <= 60; v += 0.37) expect(js(v)).toBe(cpu(v));
      for (const v of [-70, -50, -1000]) expect(js(v)).toBe(cpu(v));
    }
  });

  it("compiles the piecewise model for every GPU method", () => {
    for (const method of METHODS) {
      const code = generateKernel({ model: unselectedOverflow, method, perNeuron: new Set() }).code;
      expect(code).toContain("select(select(select((0.12 * exp(");
    }
  });
});

describe("NeuroML's ConditionalDerivedVariable as a conditional", () => {
  // the same channel, Hay's K_Pst, from its NeuroML 2 file (OSB; a Case "V .lt. ( -60 )") and from its .mod file
  // (if (v < -50) after v = v + 10): the two imports give the same x∞ and effective τ = τ/rate_factor
  const fixture = (p: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url)), "utf8");
  const nml = neuromlChannels([{ name: "HayEtAl2011/K_Pst.channel.nml", text: fixture("neuroml/HayEtAl2011/K_Pst.channel.nml") }])[0];
  const mod = nmodlToModel({ file: "K_Pst.mod", text: fixture("nmodl/hay2011/K_Pst.mod") }).channels[0];

  it("imports K_Pst's piecewise m τ and agrees with the NMODL import on both sides of −60 mV (to the files' rounding of qt)", () => {
    expect(nml?.gates.map((g) => g.name)).toEqual(["m", "h"]);
    type Gate = { tau?: RateLaw; inf?: RateLaw; rate_factor?: number };
    const [nm, nh] = (nml?.gates ?? []) as unknown as Gate[];
    const [mm, mh] = (mod?.gates ?? []) as unknown as Gate[];
    expect(nm?.tau).toMatchObject({ form: "expr", expr: expect.stringMatching(/< 0 \?/) });
    let worst = 0;
    for (const [n, m] of [
      [nm, mm],
      [nh, mh],
    ] as const) {
      const tn = rateFunction(n?.tau as RateLaw);
      const tm = rateFunction(m?.tau as RateLaw);
      const inN = rateFunction(n?.inf as RateLaw);
      const inM = rateFunction(m?.inf as RateLaw);
      for (let V = -100; V <= 50; V += 0.25) {
        const a = tn(V) / (n?.rate_factor ?? 1);
        const b = tm(V) / (m?.rate_factor ?? 1);
        worst = Math.max(worst, Math.abs(a - b) / b, Math.abs(inN(V) - inM(V)));
      }
    }
    // measured 4.8e-10: the NeuroML file's q10 2.95288264 against the .mod's 2.3^1.3 = 2.952882641…
    console.log(`K_Pst NeuroML vs NMODL: worst ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-8);
  });
});
