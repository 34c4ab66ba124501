import { describe, expect, it } from "vitest";
import { MAX_DATA_DEPTH, parseDataText } from "../src/dataText.js";
import {
  builtinModels,
  compileExpr,
  DivergenceError,
  type Expr,
  InvalidArgumentError,
  parseExpr,
  parseSweepSpec,
  rateFunction,
  runBatch,
  simulate,
  toJs,
} from "../src/index.js";
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

describe("input data: nesting and prototype keys", () => {
  const nested = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
  it(`accepts ${MAX_DATA_DEPTH} levels and refuses ${MAX_DATA_DEPTH + 1}, in JSON and YAML`, () => {
    expect(parseDataText(nested(MAX_DATA_DEPTH), "json", "f")).toBeDefined();
    expect(parseDataText(nested(MAX_DATA_DEPTH), "yaml", "f")).toBeDefined();
    for (const format of ["json", "yaml"] as const) {
      expect(refusal(() => parseDataText(nested(MAX_DATA_DEPTH + 1), format, "f"))).toBe(
        `f nests objects and arrays deeper than ${MAX_DATA_DEPTH} levels; at most ${MAX_DATA_DEPTH} are allowed`,
      );
    }
  });

  it("counts YAML flow brackets inside quotes as text, not nesting", () => {
    expect(parseDataText(`title: "${"[".repeat(100)}"\nnote: '${"{".repeat(100)}'\n`, "yaml", "f")).toEqual({
      title: "[".repeat(100),
      note: "{".repeat(100),
    });
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses a %s key anywhere, naming its path", (key) => {
    expect(refusal(() => parseDataText(`{"a": [{"${key}": 1}]}`, "json", "spec.json"))).toBe(
      `spec.json: key a[0].${key} is not allowed (the keys __proto__, constructor and prototype are refused)`,
    );
  });

  it("refuses a __proto__ parameter given to the library (not silently dropped)", () => {
    const parameters = JSON.parse('{"__proto__": {"gNa": 1}}');
    expect(refusal(() => simulate({ model: "lab", parameters, duration_ms: 1, dt_ms: 0.025 }))).toMatch(
      /parameters.* has a key "__proto__", which is not allowed/,
    );
  });
});

describe("a model object with a mistyped field names the inner field", () => {
  const lab = () => JSON.parse(JSON.stringify(builtinModels.lab));
  it("a field that is not in the format", () => {
    const m = lab();
    m.channels[0].gates[1].powr = 3;
    expect(refusal(() => simulate({ model: m, duration_ms: 1, dt_ms: 0.025 }))).toBe(
      'model.channels.0.gates.1 has no field "powr" (a misspelt name?)',
    );
  });
  it("a field of the wrong type", () => {
    const m = lab();
    m.channels[2].eRev_mV = "-65";
    expect(refusal(() => simulate({ model: m, duration_ms: 1, dt_ms: 0.025 }))).toBe(
      'model.channels.2.eRev_mV must be a finite number of mV or "nernst"; got "-65"',
    );
  });
});

describe("a diverging sweep point", () => {
  it("is named by its grid index and axis values, and details.neuron is the grid index", () => {
    const spec = parseSweepSpec({
      dt_ms: 0.1,
      duration_ms: 200,
      start_ms: 50,
      stop_ms: 200,
      axes: [
        { name: "gNa", values: [40, 200] },
        { name: "amplitude", values: [0, 5] },
      ],
    });
    let error: unknown;
    try {
      runBatch(spec, [1, 3]); // grid point 3 (gNa 200, 5 µA/cm²) is neuron 1 of this batch, and diverges first
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(
      /^simulation diverged at t = [\d.]+ ms at sweep point 3 \(gNa = 200, amplitude_uA_per_cm2 = 5\): V = /,
    );
    expect((error as DivergenceError).details?.neuron).toBe(3);
  });
});
