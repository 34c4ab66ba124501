import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { connorStevens } from "../models/connorStevens.js";
import { parseExpr } from "../models/expr.js";
import { hh1952 } from "../models/hh1952.js";
import { builtinModels, stateNames } from "../models/index.js";
import { lab } from "../models/lab.js";
import { morrisLecar } from "../models/morrisLecar.js";
import { defaultV0 } from "../models/parameters.js";
import { exprel, type RateLaw, rateFunction } from "../models/rates.js";
import { wangBuzsaki } from "../models/wangBuzsaki.js";
import { sampleTime } from "../program/runners.js";
import { stepCurrent } from "../stimulus/step.js";
import { membraneSystem } from "../system/membrane.js";
import { firstSampleAtOrAfter, firstStepAtOrAfter, packJob, stepPosition } from "./job.js";
import { shortestF32 } from "./sweep.js";
import { EXPREL_SERIES, EXPREL_SERIES_BELOW, exprToWgsl, GPU_METHODS, generateKernel, kernelInputs, rateToWgsl } from "./wgsl.js";

describe("the WGSL generator", () => {
  it("writes each standard rate form as its tree (rates.ts lawTree), expLinear through the guarded exprel", () => {
    const law = (form: string) => ({ form, rate: 1.28, midpoint_mV: -54, scale_mV: 4 }) as RateLaw;
    expect(rateToWgsl(law("exp"), "V")).toBe("(1.28 * exp(((V - (-54.0)) / 4.0)))");
    expect(rateToWgsl(law("sigmoid"), "V")).toBe("(1.28 / (1.0 + exp(((-(V - (-54.0))) / 4.0))))");
    expect(rateToWgsl(law("expLinear"), "V")).toBe("(1.28 / exprel(((-(V - (-54.0))) / 4.0)))");
  });

  it("writes an expr law as the CPU's guarded tree: constants bound, the removable singularity through exprel, float literals only", () => {
    const cs = (connorStevens.channels[0] as { gates: readonly { alpha?: RateLaw }[] }).gates[0]?.alpha as RateLaw;
    expect(rateToWgsl(cs, "V")).toBe("(3.8 / exprel(((-0.1) * (V + 29.7))))");
    const ml = morrisLecar.channels[0]?.gates[0] as { inf: RateLaw };
    expect(rateToWgsl(ml.inf, "V", morrisLecar.constants)).toBe("(0.5 * (1.0 + tanh_g(((V - (-1.2)) / 18.0))))");
    expect(exprToWgsl(parseExpr("1/3 + V^2 - V^-1 + V^0.5 + pow(V, 3) + 2^V"), "V")).toBe(
      "((((((1.0 / 3.0) + ipow2(V)) - (1.0 / V)) + pow_g(V, 0.5)) + ipow3(V)) + pow_g(2.0, V))",
    );
    expect(() => rateToWgsl({ form: "expr", expr: "V*1e39" }, "V")).toThrow(/cannot write 1e\+39 as an f32 literal/);
  });

  // The generated expression is also JavaScript once the prelude's helpers are defined: evaluated in
  // f64 it must be the CPU's rate function, so the translation (not f32) is what this checks.
  it("every expr law of every built-in model, read back as JavaScript, is the CPU's rate function (V in [-100, 60] mV)", () => {
    const helpers = {
      exprel,
      expm1_g: (x: number) => x * exprel(x),
      tanh_g: (x: number) => Math.tanh(Math.min(15, Math.max(-15, x))),
      ipow2: (x: number) => x * x,
      ipow3: (x: number) => x * x * x,
      ipow4: (x: number) => x * x * (x * x),
      pow_g: (x: number, y: number) => x ** y,
      exp: Math.exp,
      log: Math.log,
      sqrt: Math.sqrt,
      cosh: Math.cosh,
      sinh: Math.sinh,
      abs: Math.abs,
      min: Math.min,
      max: Math.max,
    };
    let laws = 0;
    let worst = 0;
    for (const model of Object.values(builtinModels)) {
      for (const gate of model.channels.flatMap((c) => c.gates)) {
        for (const law of Object.values(gate as unknown as Record<string, RateLaw>).filter((l) => (l as RateLaw)?.form === "expr")) {
          const wgsl = rateToWgsl(law, "V", model.constants);
          const js = new Function(...Object.keys(helpers), `return (V) => ${wgsl};`)(...Object.values(helpers)) as (v: number) => number;
          const cpu = rateFunction(law, model.constants);
          for (let v = -100; v <= 60; v += 0.37) {
            const rel = Math.abs(js(v) - cpu(v)) / Math.max(Math.abs(cpu(v)), 1e-300);
            worst = Math.max(worst, rel);
          }
          laws++;
        }
      }
    }
    expect(laws).toBeGreaterThan(20);
    // measured: 2.2e-16 at worst (the CPU's exprel uses expm1, the kernel's series or exp − 1)
    expect(worst).toBeLessThan(1e-12);
  });

  it("compiles every built-in model for every method; instantaneous gates are no state variables", () => {
    for (const model of Object.values(builtinModels)) {
      for (const method of GPU_METHODS) {
        const k = generateKernel({ model, method, perNeuron: new Set() });
        expect(k.stateNames).toEqual(stateNames(model));
      }
    }
    const wb = generateKernel({ model: wangBuzsaki, method: "euler", perNeuron: new Set() });
    expect(wb.stateNames).toEqual(["V", "h", "n"]);
    expect(wb.code).toContain("let l_q0_0: f32 = (l_qa0_0 / (l_qa0_0 + ");
    expect(wb.code).toContain("let l_dv0: f32 = (c_I - ((p_gNa * ((1.0 * ((l_q0_0 * l_q0_0) * l_q0_0)) * x_h)) * (V - p_ENa)));");
  });

  it("writes an x∞/τ gate as the CPU does: (x∞ − x)·φ/τ for Euler, α = x∞·φ/τ and α + β for exp-euler", () => {
    const euler = generateKernel({ model: morrisLecar, method: "euler", perNeuron: new Set() }).code;
    expect(euler).toContain("let l_d0: f32 = (((0.5 * (1.0 + tanh_g(((V - 2.0) / 30.0)))) - x_w) / (1.0 / (0.04 * cosh(");
    const exp = generateKernel({ model: morrisLecar, method: "exp-euler", perNeuron: new Set() }).code;
    expect(exp).toContain("let l_r0: f32 = (1.0 / (1.0 / (0.04 * cosh(");
    expect(exp).toContain("let l_b0: f32 = ((1.0 - l_i0) * l_r0);");
  });

  it("binds the run's constants into the code, as the CPU binds them", () => {
    const k = generateKernel({ model: morrisLecar, method: "euler", perNeuron: new Set(), constants: { phi: 0.08 } });
    expect(k.code).toContain("(0.08 * cosh(");
    expect(k.code).not.toContain("(0.04 * cosh(");
    expect(k.consts).not.toContain("phi");
  });

  it("reads each scaled gate's rate factor as an input (temperature, rate_factor), never for unscaled gates", () => {
    expect(kernelInputs(hh1952).filter((x) => x.startsWith("phi_"))).toEqual(["phi_m", "phi_h", "phi_n"]);
    expect(kernelInputs(wangBuzsaki).filter((x) => x.startsWith("phi_"))).toEqual(["phi_h", "phi_n"]);
    expect(kernelInputs(lab).filter((x) => x.startsWith("phi_"))).toEqual([]);
    expect(generateKernel({ model: lab, method: "euler", perNeuron: new Set() }).code).not.toContain("p_phi");
  });

  it("generates a kernel per method", () => {
    const none = new Set<string>();
    expect(generateKernel({ model: hh1952, method: "euler", perNeuron: none }).code).toContain("let l_a0: f32 = ((1.0 / exprel(");
    expect(generateKernel({ model: hh1952, method: "euler", perNeuron: none }).code).toContain(") * p_phi_m);");
    expect(generateKernel({ model: lab, method: "exp-euler", perNeuron: none }).code).toContain("exprel(((-l_bV) * dt))");
    expect(generateKernel({ model: lab, method: "rk4", perNeuron: none }).code).toContain(
      "let c_Ie: f32 = select(0.0, p_amplitude, k >= p_kOnEnd",
    );
    expect(() => generateKernel({ model: lab, method: "rk45" as "euler", perNeuron: none })).toThrow(
      /runs methods euler, exp-euler, backward-euler, rk4; got "rk45"/,
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

  it.each(["half", "end"] as const)(
    "switches a current sampled at the %s of the step on exactly where the CPU's sample time ≥ start",
    (at) => {
      fc.assert(
        fc.property(fc.constantFrom(...dts), fc.double({ min: -5, max: 500, noNaN: true }), fc.integer({ min: -3, max: 3 }), (dt, t, j) => {
          const k = firstSampleAtOrAfter(t, dt, at) + j;
          if (k < 0) return;
          expect(sampleTime(at, k * dt, dt) >= t, `dt ${dt}, t ${t}, k ${k}`).toBe(j >= 0 || (k === 0 && sampleTime(at, 0, dt) >= t));
        }),
      );
    },
  );

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
    expect(() => packJob({ ...base, method: "rk45" })).toThrow(
      /method \(GPU backend\) must be one of euler, exp-euler, backward-euler, rk4; got "rk45"/,
    );
  });
  it('finds V0 "rest" per neuron on the CPU in f64, as the membrane system does', () => {
    const gNa = [20, 35, 50];
    const p = packJob({ model: "wang-buzsaki", ...base, parameters: { gNa } });
    const cpu = membraneSystem({
      model: wangBuzsaki,
      n: 3,
      stimulus: stepCurrent({ amplitude: 0, start: 0, stop: 0 }, 3),
      parameters: { gNa },
    });
    expect(Array.from(p.columns.get("V0") as Float64Array)).toEqual(Array.from(cpu.parameters.get("V0") as Float64Array));
    expect(packJob({ model: "wang-buzsaki", ...base }).uniform.get("V0")).toBe(defaultV0(wangBuzsaki));
    expect(packJob({ model: "wang-buzsaki", ...base, parameters: { V0: -70 } }).uniform.get("V0")).toBe(-70);
  });
  it("computes each gate's rate factor per neuron in f64 where celsius varies", () => {
    const p = packJob({ model: "hh1952", ...base, parameters: { celsius: [6.3, 16.3] } });
    expect(Array.from(p.columns.get("phi_m") as Float64Array)).toEqual([1, 3]);
    expect(packJob({ model: "wang-buzsaki", ...base }).uniform.get("phi_h")).toBe(5);
  });
  it("takes a model constant as one value per run, as the CPU does", () => {
    expect(packJob({ model: "morris-lecar", ...base, parameters: { phi: [0.05, 0.05] } }).constants.phi).toBe(0.05);
    expect(() => packJob({ model: "morris-lecar", ...base, parameters: { phi: [0.04, 0.05] } })).toThrow(
      /parameter phi \(a model constant\) must be one value for all neurons of a run/,
    );
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
