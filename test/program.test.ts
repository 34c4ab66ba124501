import { describe, expect, it } from "vitest";
import { builtinModels, compileModel, freeNames } from "../src/models/index.js";
import { BOUNDS } from "../src/program/bounds.js";
import { PROGRAM_METHODS, stepProgram } from "../src/program/build.js";
import { DT, type StepProgram } from "../src/program/types.js";

const programs = Object.values(builtinModels).flatMap((model) =>
  PROGRAM_METHODS.map((method) => [model.name, method, stepProgram(compileModel(model), method)] as [string, string, StepProgram]),
);

describe.each(programs)("the step program of %s with %s", (_model, _method, p) => {
  it("defines every name before its use: state, parameters, dt, currents, then each let once", () => {
    const known = new Set([...p.state, ...p.params, DT, ...p.currents.map((c) => c.name)]);
    for (const l of p.step.lets) {
      for (const name of freeNames(l.expr)) expect(known.has(name), `${l.name} uses ${name}`).toBe(true);
      expect(known.has(l.name), `${l.name} is defined once`).toBe(false);
      known.add(l.name);
    }
    for (const e of p.step.out) for (const name of freeNames(e)) expect(known.has(name), `an update uses ${name}`).toBe(true);
    expect(p.step.out.length).toBe(p.state.length);
  });

  it("starts from V0 and the parameters only", () => {
    const known = new Set([...p.params, "V0"]);
    for (const l of p.init.lets) {
      for (const name of freeNames(l.expr)) expect(known.has(name), `${l.name} uses ${name}`).toBe(true);
      known.add(l.name);
    }
    expect(p.init.out[0]).toEqual({ type: "name", name: "V0" });
    expect(p.init.out.length).toBe(p.state.length);
  });

  it("carries the one set of divergence bounds", () => {
    expect(p.bounds).toBe(BOUNDS);
  });
});

it("samples each method's currents where its recipe needs them", () => {
  const at = (method: string) => stepProgram(compileModel(builtinModels.lab as never), method).currents.map((c) => c.at);
  expect(at("euler")).toEqual(["start"]);
  expect(at("exp-euler")).toEqual(["start"]);
  expect(at("backward-euler")).toEqual(["half"]);
  expect(at("rk4")).toEqual(["start", "half", "end"]);
});

it("names an unknown method and lists the known ones", () => {
  expect(() => stepProgram(compileModel(builtinModels.lab as never), "rk45")).toThrow(
    /method \(step program\) must be one of derivatives, euler, exp-euler, backward-euler, rk4; got "rk45"/,
  );
});
