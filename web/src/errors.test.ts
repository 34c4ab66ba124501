import { describe, expect, it } from "vitest";
import { fiCurve, simulate } from "../../src/index.js";
import { errorField } from "./errors.js";

const messageOf = (f: () => unknown): [string, string] => {
  try {
    f();
  } catch (e) {
    return [(e as Error).name, (e as Error).message];
  }
  throw new Error("expected an error");
};
const run = {
  model: "lab",
  stimulus: { type: "step" as const, amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
  duration_ms: 50,
  dt_ms: 0.025,
};

describe("the control a library error belongs to", () => {
  it.each([
    ["dt_ms", { dt_ms: 0 }],
    ["dt_ms", { dt_ms: 0.03 }],
    ["dt_ms", { dt_ms: 0.5 }], // diverges: the advice is about dt
    ["duration_ms", { duration_ms: -1 }],
    ["stimulus.stop_ms", { stimulus: { ...run.stimulus, stop_ms: 5 } }],
    ["stimulus.start_ms", { stimulus: { ...run.stimulus, start_ms: 60, stop_ms: 70 } }],
    ["method", { method: "rk5" }],
    ["model", { model: "squid" }],
    ["param:gNa", { parameters: { gNa: -1 } }],
    ["param:gXx", { parameters: { gXx: 1 } }],
  ] as const)("%s ← simulate(%j)", (field, change) => {
    const [name, message] = messageOf(() => simulate({ ...run, ...change }));
    expect(errorField(name, message)).toBe(field);
  });

  it("an f–I sweep with no amplitudes is about the amplitudes", () => {
    const [name, message] = messageOf(() => fiCurve({ amplitudes: [], start_ms: 0, stop_ms: 1, duration_ms: 1, dt_ms: 0.1 }));
    expect(errorField(name, message)).toBe("amplitudes");
  });
});
