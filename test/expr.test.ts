import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileExpr, evaluate, exprToString, guardSingularities, parseExpr, rateFunction } from "../src/index.js";

const at = (text: string, V: number) => compileExpr(guardSingularities(parseExpr(text)))(V);

describe("the expression parser", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ^ 2", -4],
    ["2 ** -1", 0.5],
    ["8 / 4 / 2", 1],
    ["10 - 4 - 3", 3],
    ["max(1, min(5, 3)) + abs(-2)", 5],
    ["1.5e2 + .5", 150.5],
    ["exprel(0)", 1],
  ])("%s = %d", (text, value) => expect(at(text, 0)).toBe(value));

  it("reads V and applies the functions: tanh, cosh, exp, log, sqrt", () => {
    expect(at("0.5*(1 + tanh((V + 1.2)/18)) + cosh(V/60) + exp(V) * log(sqrt(V*V))", 2)).toBeCloseTo(
      0.5 * (1 + Math.tanh(3.2 / 18)) + Math.cosh(2 / 60) + Math.exp(2) * Math.log(2),
      14,
    );
  });

  it("prints a tree that parses back to the same tree", () => {
    const t = parseExpr("-0.1*(V+35)/(exp(-0.1*(V+35))-1) + 2^-V");
    expect(parseExpr(exprToString(t))).toEqual(t);
  });

  it.each([
    ["1 +", "unexpected end of expression"],
    ["(V + 1", 'expected ")"'],
    ["V V", 'unexpected "V"'],
    ["foo(V)", 'unknown function "foo"'],
    ["max(V)", "max takes 2 arguments, got 1"],
    ["process.exit(1)", 'unexpected character "."'],
    ["V; 1", 'unexpected character ";"'],
    ["constructor(V)", 'unknown function "constructor"'],
    ["", "expression is empty"],
  ])("rejects %j: %s", (text, message) => expect(() => parseExpr(text)).toThrow(message));

  it("never evaluates text: names other than V are data until bound, and unbound ones are refused", () => {
    expect(() => rateFunction({ form: "expr", expr: "globalThis * V" })).toThrow('unbound name "globalThis"');
  });
});

describe("removable singularities", () => {
  const textbook = (V: number) => (0.32 * (V + 54)) / (1 - Math.exp(-(V + 54) / 4));

  it("x/(1 − e^(−x/k)) is rewritten through exprel: finite and continuous at the singular voltage", () => {
    const f = rateFunction({ form: "expr", expr: "0.32*(V+54)/(1-exp(-(V+54)/4))" });
    expect(Number.isNaN(textbook(-54))).toBe(true);
    expect(f(-54)).toBeCloseTo(0.32 * 4, 14);
    expect(Math.abs(f(-54 + 1e-7) - f(-54)) / f(-54)).toBeLessThan(1e-7);
  });

  it("the rewrite equals the textbook formula to 1e-12 relative away from the singular voltage", () => {
    const f = rateFunction({ form: "expr", expr: "0.32*(V+54)/(1-exp(-(V+54)/4))" });
    for (let V = -120; V <= 60; V += 0.37) {
      if (Math.abs(V + 54) < 0.01) continue;
      expect(Math.abs(f(V) - textbook(V)) / textbook(V), `V = ${V}`).toBeLessThan(1e-12);
    }
  });

  it("finds the pattern in both orientations, with constants and scaled numerators (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -80, max: 20, noNaN: true }),
        fc.double({ min: 1, max: 30, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.boolean(),
        (v0, k, c, flip) => {
          const text = flip ? `${c}*(V - v0)/(exp((V - v0)/k) - 1)` : `-${c}*(v0 - V)/(1 - exp(-(V - v0)/k))`;
          const f = rateFunction({ form: "expr", expr: text }, { v0, k });
          const limit = c * k;
          return Math.abs(f(v0) - limit) <= 1e-9 * limit && Number.isFinite(f(v0 + 1e-9));
        },
      ),
    );
  });

  it("leaves a quotient alone when numerator and exponent vanish at different voltages", () => {
    const e = guardSingularities(parseExpr("(V + 50)/(1 - exp(-(V + 54)/4))"));
    expect(JSON.stringify(e)).not.toContain("exprel");
    expect(evaluate(e, -50)).toBe(0);
  });
});
