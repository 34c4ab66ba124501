import { describe, expect, it } from "vitest";
import { compileExpr, type Expr, InvalidArgumentError, parseExpr, rateFunction, toJs } from "../src/index.js";
import { MAX_EXPR_DEPTH, MAX_EXPR_LENGTH } from "../src/models/expr.js";
import { rateJs } from "../src/models/rates.js";

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
};

describe("the expression parser's limits", () => {
  it(`accepts ${MAX_EXPR_DEPTH} nested calls and refuses one more, saying what is allowed`, () => {
    const nest = (n: number) => `${"abs(".repeat(n)}V${")".repeat(n)}`;
    expect(compileExpr(parseExpr(nest(MAX_EXPR_DEPTH - 1)))(-3)).toBe(3);
    const m = refusal(() => parseExpr(nest(MAX_EXPR_DEPTH + 1)));
    expect(m).toMatch(`nests deeper than ${MAX_EXPR_DEPTH} levels`);
    expect(m).toMatch(`at most ${MAX_EXPR_DEPTH} allowed`);
  });

  it.each([
    ["2,000 nested exp(", `${"exp(".repeat(2000)}V${")".repeat(2000)}`],
    ["1,000 nested parentheses", `${"(".repeat(1000)}V${")".repeat(1000)}`],
    ["1,500 signs", `${"-".repeat(1500)}V`],
    ["a power tower of 600", `${"V^".repeat(600)}V`],
    ["a sum of 700 terms (deep without any parenthesis)", Array(700).fill("V").join("+")],
  ])("refuses %s with a message, not a stack overflow", (_what, text) => {
    expect(refusal(() => parseExpr(text))).toMatch(/nests deeper than 64 levels|characters long/);
  });

  it(`refuses text longer than ${MAX_EXPR_LENGTH} characters, quoting only its start`, () => {
    const text = `V${" + 1".repeat(MAX_EXPR_LENGTH)}`;
    const m = refusal(() => parseExpr(text));
    expect(m).toMatch(`is ${text.length} characters long; at most ${MAX_EXPR_LENGTH} are allowed`);
    expect(m.length).toBeLessThan(300);
    expect(m).not.toMatch("\n");
  });

  it("keeps the textbook rate laws well inside the limits", () => {
    expect(() => parseExpr("0.32*(V - Vt)/(1 - exp(-(V - Vt)/4))")).not.toThrow();
  });
});

describe("code generation refuses anything but finite numbers and the language's own names", () => {
  const num = (value: unknown): Expr => ({ type: "num", value }) as unknown as Expr;
  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string of code", "0); globalThis.pwned = 1; (0"],
    ["an object", { toString: () => "1" }],
  ])("a constant that is %s", (_what, value) => {
    expect(refusal(() => toJs({ type: "bin", op: "+", left: { type: "name", name: "V" }, right: num(value) }))).toMatch(
      "must be a finite number to be compiled",
    );
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it("an operator, function or name outside the language", () => {
    const V: Expr = { type: "name", name: "V" };
    expect(refusal(() => toJs({ type: "bin", op: ";process.exit(1);" as "+", left: V, right: V }))).toMatch("unknown operator");
    expect(refusal(() => toJs({ type: "call", fn: "constructor" as "exp", args: [V] }))).toMatch("unknown function");
    expect(refusal(() => toJs({ type: "name", name: "process" }))).toMatch('unbound name "process"');
  });

  it("a standard rate law whose numbers are not finite numbers (a model object that bypassed the schema)", () => {
    const law = { form: "exp", rate: "1)+globalThis.pwned2=(1", midpoint_mV: -65, scale_mV: 18 } as unknown as Parameters<typeof rateJs>[0];
    expect(refusal(() => rateJs(law))).toMatch("the rate of a exp rate law must be a finite number to be compiled; got string");
    expect(refusal(() => rateJs({ form: "sigmoid", rate: 1, midpoint_mV: Number.NaN, scale_mV: 1 }))).toMatch("midpoint_mV");
    expect((globalThis as { pwned2?: number }).pwned2).toBeUndefined();
  });

  it("a constant folded to Infinity (1e400 reads as Infinity)", () => {
    expect(refusal(() => rateFunction({ form: "expr", expr: "V + 1e400" }))).toMatch(
      "must be a finite number to be compiled; got Infinity",
    );
  });
});
