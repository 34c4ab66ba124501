import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hh1952 } from "../models/hh1952.js";
import { lab } from "../models/lab.js";
import type { RateLaw } from "../models/rates.js";
import type { GateDefinition, NeuronModel } from "../models/types.js";
import { firstStepAtOrAfter, packJob, stepPosition } from "./job.js";
import { shortestF32 } from "./sweep.js";
import { EXPREL_SERIES, EXPREL_SERIES_BELOW, gateKinetics, generateKernel, rateToWgsl } from "./wgsl.js";

describe("the WGSL generator", () => {
  it("writes each standard rate form, expLinear through the guarded exprel", () => {
    const law = (form: string) => ({ form, rate: 1.28, midpoint_mV: -54, scale_mV: 4 }) as RateLaw;
    expect(rateToWgsl(law("exp"), "V")).toBe("1.28 * exp((V - (-54.0)) / 4.0)");
    expect(rateToWgsl(law("sigmoid"), "V")).toBe("1.28 / (1.0 + exp(-(V - (-54.0)) / 4.0))");
    expect(rateToWgsl(law("expLinear"), "V")).toBe("1.28 / exprel(-(V - (-54.0)) / 4.0)");
  });

  it("refuses a rate form it does not handle yet in one line that names it", () => {
    const expr = { form: "expr", expr: "0.1*V" } as unknown as RateLaw;
    expect(() => rateToWgsl(expr, "V")).toThrow(/^the GPU backend cannot compile rate form "expr" to WGSL yet .*--backend cpu$/);
  });

  it("refuses gate kinds it does not handle yet (instantaneous, x∞/τ) instead of compiling them wrongly", () => {
    const m = lab.channels[0]?.gates[0] as GateDefinition;
    const instantaneous = { ...m, instantaneous: true } as GateDefinition;
    const { alpha, beta } = m as unknown as { alpha: RateLaw; beta: RateLaw };
    const infTau = { name: "w", power: 1, inf: alpha, tau: beta } as unknown as GateDefinition;
    expect(() => gateKinetics(instantaneous, "V", undefined)).toThrow(/cannot compile gate "m".*instantaneous/);
    expect(() => gateKinetics(infTau, "V", undefined)).toThrow(/cannot compile gate "w"/);
  });

  it("generates a kernel per method, with the temperature factor only for models that have one", () => {
    const none = new Set<string>();
    expect(generateKernel({ model: hh1952, method: "euler", perNeuron: none }).code).toContain(
      "let phi: f32 = pow(3.0, (p_celsius - 6.3) / 10.0);",
    );
    expect(generateKernel({ model: lab, method: "euler", perNeuron: none }).code).not.toContain("phi:");
    expect(generateKernel({ model: lab, method: "exp-euler", perNeuron: none }).code).toContain("phi1(-bV * dt)");
    expect(() => generateKernel({ model: lab, method: "rk4" as "euler", perNeuron: none })).toThrow(
      /runs methods euler, exp-euler; got "rk4"/,
    );
  });

  it("reads per-neuron inputs from columns and the rest from run-wide constants", () => {
    const k = generateKernel({ model: lab, method: "euler", perNeuron: new Set(["gNa", "amplitude"]) });
    expect(k.columns).toEqual(["gNa", "amplitude"]);
    expect(k.code).toContain("let p_gNa: f32 = cols[0u * ctl.n + i];");
    expect(k.code).toContain(`let p_gK: f32 = consts[${k.consts.indexOf("gK")}];`);
  });

  it("its exprel series equals (eˣ − 1)/x to 1e-9 relative where it is used (|x| < 0.5)", () => {
    const series = (x: number) => EXPREL_SERIES.reduceRight((acc, c) => c + x * acc, 0);
    for (let x = -EXPREL_SERIES_BELOW; x <= EXPREL_SERIES_BELOW; x += 1e-3) {
      const exact = x === 0 ? 1 : Math.expm1(x) / x;
      expect(Math.abs(series(x) - exact) / exact).toBeLessThan(1e-9);
    }
  });

  it("throws for models whose fields it does not know, e.g. a V0 found at rest", () => {
    const rest = { ...lab, v0_mV: "rest" } as unknown as NeuronModel;
    expect(() => generateKernel({ model: rest, method: "euler", perNeuron: new Set() })).toThrow(/numeric v0_mV/);
  });
});

describe("the stimulus window of a GPU job, computed in f64", () => {
  const dts = [0.1, 0.05, 0.025, 0.02, 0.01, 0.0125, 0.003];
  it("switches on at exactly the steps k where the CPU's k·dt ≥ start holds", () => {
    fc.assert(
      fc.property(fc.constantFrom(...dts), fc.double({ min: -5, max: 500, noNaN: true }), fc.integer({ min: -3, max: 3 }), (dt, t, j) => {
        const k = firstStepAtOrAfter(t, dt) + j;
        if (k < 0) return;
        expect(k * dt >= t, `dt ${dt}, t ${t}, k ${k}`).toBe(j >= 0);
      }),
    );
  });

  it("splits t/dt into a whole step and a fraction in [0, 1)", () => {
    for (const [t, dt] of [
      [50, 0.025],
      [10.0125, 0.025],
      [0, 0.1],
    ] as const) {
      const [k, f] = stepPosition(t, dt);
      expect(Number.isInteger(k) && f >= 0 && f < 1).toBe(true);
      expect(k + f).toBeCloseTo(t / dt, 9);
    }
  });
});

describe("a GPU job is validated at the edge", () => {
  const base = { dt_ms: 0.025, duration_ms: 200 };
  it("names an unknown parameter and lists the model's", () => {
    expect(() => packJob({ ...base, parameters: { gCa: 1 } })).toThrow(/parameter name for model "lab" must be one of Cm, V0, gNa/);
  });
  it("names the neuron whose value is out of range", () => {
    expect(() => packJob({ ...base, parameters: { gNa: [50, -1] } })).toThrow(
      /parameter gNa \(mS\/cm2\) \(neuron 1\) must be a finite number in \[0, 100000\]; got -1/,
    );
  });
  it("rejects per-neuron arrays of different lengths", () => {
    expect(() =>
      packJob({ ...base, parameters: { gNa: [50, 60] }, stimulus: { amplitude_uA_per_cm2: [1, 2, 3], start_ms: 0, stop_ms: 1 } }),
    ).toThrow(/stimulus.amplitude_uA_per_cm2 \(one value per neuron\) must be 2 values; got "3 values"/);
  });
  it("rejects methods the GPU does not run", () => {
    expect(() => packJob({ ...base, method: "rk45" })).toThrow(/method \(GPU backend\) must be one of euler, exp-euler; got "rk45"/);
  });
  it("keeps uniform values run-wide and varying ones per neuron", () => {
    const p = packJob({
      ...base,
      parameters: { gNa: [50, 60], gK: 12 },
      stimulus: { amplitude_uA_per_cm2: 3, start_ms: 50, stop_ms: 200 },
    });
    expect([...p.perNeuron]).toEqual(["gNa"]);
    expect(p.uniform.get("gK")).toBe(12);
    expect(p.uniform.get("kOn")).toBe(2000);
    expect(p.uniform.get("kOff")).toBe(8000);
    expect(p.n).toBe(2);
  });
});

describe("f32 values in tables", () => {
  it("are written with the fewest digits that read back as the same f32", () => {
    const x = Math.fround(3.9302938);
    expect(shortestF32(x)).toBe(3.9302938);
    expect(Math.fround(shortestF32(x))).toBe(x);
    for (let i = 0; i < 1000; i++) {
      const v = Math.fround(Math.exp(i / 37) / 7);
      expect(Math.fround(shortestF32(v))).toBe(v);
    }
    expect(shortestF32(Number.NaN)).toBeNaN();
  });
});
