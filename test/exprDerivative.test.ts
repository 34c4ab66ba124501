import { describe, expect, it } from "vitest";
import { parseExpr } from "../src/models/expr.js";
import { compileDerivative, compilePartial, dexprel } from "../src/models/exprDerivative.js";
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
  it("partials in V and in a second name (a pool's cai): each equals the difference in that name alone; wrt −1 is F itself", () => {
    // Hay's SK_E2 z∞ (Hill 4.8, Kd 0.43 µM) times a V-dependent factor, and a Nernst-like log: both names in one tree
    const e = parseExpr("exp(-V/30) * cai^4.8/(cai^4.8 + 0.00043^4.8) + 12.5*log(2/cai)/(1 + exp(-(V + 20)/5))");
    const F = compilePartial(e, ["V", "cai"], -1);
    const dV = compilePartial(e, ["V", "cai"], 0);
    const dc = compilePartial(e, ["V", "cai"], 1);
    const ref = (v: number, c: number) =>
      Math.exp(-v / 30) * (c ** 4.8 / (c ** 4.8 + 0.00043 ** 4.8)) + (12.5 * Math.log(2 / c)) / (1 + Math.exp(-(v + 20) / 5));
    for (const v of [-80, -40.3, 0, 25])
      for (const c of [5e-5, 4.3e-4, 2e-3]) {
        expect(F(v, c)).toBeCloseTo(ref(v, c), 12);
        expect(Math.abs(dV(v, c) - fd((x) => ref(x, c), v))).toBeLessThan(1e-8 * Math.max(1, Math.abs(dV(v, c))));
        const h = 1e-3 * c;
        const dcRef = (ref(v, c + h) - ref(v, c - h)) / (2 * h);
        expect(Math.abs(dc(v, c) - dcRef)).toBeLessThan(1e-5 * Math.abs(dcRef));
      }
    expect(() => compilePartial(e, ["V"], 0)).toThrow(/unbound name cai/);
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
  it("a conditional: the selected branch's derivative (the other may be non-finite), one-sided at the switch", () => {
    const e = parseExpr("V < -50 ? 2*exp(V/10) : V >= 1000 ? exp(V*V) : 3*V + 1/(V - V + 1)");
    const df = compileDerivative(e);
    for (const v of vs) expect(df(v)).toBeCloseTo(v < -50 ? 0.2 * Math.exp(v / 10) : 3, 12);
    expect(df(-50)).toBe(3);
    expect(compileDerivative(parseExpr("V < 0 ? 1 : 2"))(5)).toBe(0);
  });
});
