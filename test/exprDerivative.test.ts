import { describe, expect, it } from "vitest";
import { parseExpr } from "../src/models/expr.js";
import { compileDerivative, dexprel } from "../src/models/exprDerivative.js";
import { exprel } from "../src/models/exprel.js";
import { builtinModels } from "../src/models/index.js";
import { lawTree, type RateLaw, rateFunction } from "../src/models/rates.js";

/** dF/dV by Richardson-extrapolated central differences (error ~ h⁶ f⁽⁷⁾; h = 0.01 mV): the reference. */
const fd = (f: (v: number) => number, v: number) => {
  const c = (h: number) => (f(v + h) - f(v - h)) / (2 * h);
  const h = 0.01;
  const d1 = c(h);
  const d2 = c(h / 2);
  const d3 = c(h / 4);
  const r1 = (4 * d2 - d1) / 3;
  const r2 = (4 * d3 - d2) / 3;
  return (16 * r2 - r1) / 15;
};
const vs = Array.from({ length: 33 }, (_, i) => -100 + 5 * i + 0.37);

describe("exact derivatives of rate expression trees", () => {
  const laws: [string, RateLaw, Record<string, number>][] = [];
  for (const [name, m] of Object.entries(builtinModels))
    for (const c of m.channels)
      for (const g of c.gates)
        for (const [k, law] of Object.entries(g))
          if (["alpha", "beta", "inf", "tau"].includes(k) && law)
            laws.push([`${name} ${c.name}.${g.name}.${k}`, law as RateLaw, m.constants ?? {}]);

  it("found the built-in models' rate laws", () => {
    expect(laws.length).toBeGreaterThan(30);
  });
  it.each(laws)("%s: dF/dV equals the extrapolated difference to 1e-7 of its scale on [−100, 60] mV", (_n, law, constants) => {
    const f = rateFunction(law, constants);
    const df = compileDerivative(lawTree(law, constants));
    const scale = Math.max(...vs.map((v) => Math.abs(fd(f, v))), 1e-12);
    for (const v of vs) expect(Math.abs(df(v) - fd(f, v))).toBeLessThan(1e-7 * scale);
  });
  it("exprel's derivative is continuous through 0 (series and closed form meet)", () => {
    for (const x of [-2e-3, -1.0001e-3, -0.9999e-3, 0, 0.9999e-3, 1.0001e-3, 2e-3]) expect(dexprel(x)).toBeCloseTo(fd(exprel, x), 9);
    expect(dexprel(0)).toBe(0.5);
  });
  it("every function and operator of the language", () => {
    const src =
      "exp(V/20) + expm1(V/30) + log(V + 200) + sqrt(V + 150) + tanh(V/15) + cosh(V/40) + sinh(V/50) + abs(V - 3) + min(V, 10) + max(V/2, -20) + pow(V + 120, 1.5) + (V + 130)^0.5 + 2^(V/25) + exprel(V/10) - (-V)/(V*V + 1)";
    const e = parseExpr(src);
    const f = (v: number) => {
      const x = v;
      return (
        Math.exp(x / 20) +
        Math.expm1(x / 30) +
        Math.log(x + 200) +
        Math.sqrt(x + 150) +
        Math.tanh(x / 15) +
        Math.cosh(x / 40) +
        Math.sinh(x / 50) +
        Math.abs(x - 3) +
        Math.min(x, 10) +
        Math.max(x / 2, -20) +
        (x + 120) ** 1.5 +
        (x + 130) ** 0.5 +
        2 ** (x / 25) +
        exprel(x / 10) -
        -x / (x * x + 1)
      );
    };
    const df = compileDerivative(e);
    for (const v of vs) expect(df(v)).toBeCloseTo(fd(f, v), 7);
  });
});
