import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fiCurve, LAB_FI, linspace, type SimulationSpecInput, simulate } from "../src/index.js";
import { exprel } from "../src/models/exprel.js";
import { builtinModels, compileModel, type Expr, parseExpr, resolveModel } from "../src/models/index.js";
import { stepProgram } from "../src/program/build.js";
import { SpikeDetector } from "../src/record/spikes.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";
import { Emitter, fromHighWord, outlined } from "../src/wasm/emitter.js";
import { assemble, FunctionBody, I32, type ModuleParts, Op, Simd, V128 } from "../src/wasm/encode.js";
import { FastExps } from "../src/wasm/fastExps.js";
import { fusedMultiplyAdd } from "../src/wasm/fma.js";
import { exactReciprocal, wasmEulerKernel } from "../src/wasm/kernel.js";
import { wasmSimdAvailable } from "../src/wasm/run.js";
import { expm1V, exprelV, expV, fastExprelV, fastExpV } from "../src/wasm/simdMath.js";

/**
 * A module applying one lane-wise function to an array of doubles, and its unhandled-lane flags;
 * `extra`: more functions of the module (indices 1, 2 …) that `emit` may call.
 */
function laneFunction(emit: (e: Emitter, x: number) => number, fast = false, extra: ModuleParts["functions"] = [], fused = false) {
  const body = new FunctionBody([I32]);
  const e = new Emitter(body, fast, {}, fused);
  const i = e.i32();
  body.i32Const(0).set(i);
  body.op(Op.loop, 0x40);
  body.get(i).simdMem(Simd.load);
  const x = e.keep();
  body.i64x2Const(0, 0).set(e.unhandled); // flags per pair here, not accumulated
  const y = emit(e, x);
  body.get(i).get(y).simdMem(Simd.store, 0);
  body.get(i).i32Const(16).op(Op.i32Add).get(e.unhandled).simdMem(Simd.store, 0);
  body.get(i).i32Const(32).op(Op.i32Add).tee(i).get(0).op(Op.i32LtS, Op.brIf).u32(0);
  body.op(Op.end);
  const memory = new WebAssembly.Memory({ initial: 400 });
  const instance = new WebAssembly.Instance(
    new WebAssembly.Module(assemble({ memoryPages: 400, functions: [{ name: "run", body, results: [] }, ...extra] })),
    { env: { memory } },
  );
  const run = instance.exports.run as (bytes: number) => void;
  const f64 = new Float64Array(memory.buffer);
  const flags = new BigInt64Array(memory.buffer);
  /** f(x) for each x (pairs of inputs), and whether each lane was flagged. */
  return (xs: readonly number[]) => {
    const pairs = Math.ceil(xs.length / 2);
    for (let p = 0; p < pairs; p++) {
      f64[4 * p] = xs[2 * p] as number;
      f64[4 * p + 1] = (xs[2 * p + 1] ?? xs[2 * p]) as number;
    }
    run(pairs * 32);
    return xs.map((_, j) => ({ y: f64[4 * (j >> 1) + (j & 1)] as number, flagged: flags[4 * (j >> 1) + 2 + (j & 1)] !== 0n }));
  };
}

/** Equal as doubles, −0 ≠ +0, every NaN alike (JavaScript cannot tell NaN payloads apart). */
const same = (a: number, b: number) => Object.is(a, b);

/** Arguments at every boundary of fdlibm's branches, both signs, and their neighbours. */
function edgeArguments(): number[] {
  const bounds = [
    0,
    Number.MIN_VALUE,
    2 ** -60,
    fromHighWord(0x3c900000),
    fromHighWord(0x3e300000),
    1e-6,
    fromHighWord(0x3fd62e42),
    fromHighWord(0x3fd62e43),
    0.5 * Math.LN2,
    0.25,
    1,
    1.5 * Math.LN2,
    fromHighWord(0x3ff0a2b2),
    20 * Math.LN2,
    56 * Math.LN2,
    fromHighWord(0x4043687a),
    699.9,
    // beyond the inline range: these lanes must be flagged (and the caller reruns them in JavaScript)
    700,
    709,
    710,
    745.2,
    1000,
    Number.MAX_VALUE,
    Number.POSITIVE_INFINITY,
  ];
  const out: number[] = [Number.NaN];
  for (const b of bounds) {
    for (const x of [b, b * (1 + Number.EPSILON), b * (1 - Number.EPSILON / 2)]) out.push(x, -x);
  }
  for (let k = -60; k <= 60; k++) out.push(k * Math.LN2, (k + 0.5) * Math.LN2, (k - 0.5) * Math.LN2);
  return out;
}

function randomArguments(count: number): number[] {
  // a fixed-seed LCG: uniform over several scales, so every k-branch is hit many times
  let s = 12345;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    return (s >>> 0) / 2 ** 32;
  };
  const scales = [1e-7, 1e-3, 0.5, 2, 10, 40, 300];
  return Array.from({ length: count }, (_, i) => (rand() - 0.5) * 2 * (scales[i % scales.length] as number));
}

describe.runIf(wasmSimdAvailable)("WebAssembly SIMD exp, expm1, exprel", () => {
  // exprel also as the short-run kernel has it: a function called, its flags returned to the caller
  const called: ModuleParts["functions"] = [{ name: "exprel", body: outlined(exprelV), results: [V128, V128] }];
  const cases: [string, (e: Emitter, x: number) => number, (x: number) => number, (x: number) => boolean, ModuleParts["functions"]?][] = [
    ["exp", expV, Math.exp, (x) => Math.abs(x) >= 700],
    ["expm1", expm1V, Math.expm1, (x) => x > 709],
    ["exprel", exprelV, exprel, (x) => x > 709],
    ["exprel (called)", (e, x) => e.call(1, x), exprel, (x) => x > 709, called],
  ];
  for (const [name, emit, reference, flaggedWhere, extra] of cases) {
    it(`${name} equals V8's bit for bit on 1,400,000 arguments and every branch boundary`, () => {
      const f = laneFunction(emit, false, extra);
      const xs = [...edgeArguments(), ...randomArguments(1_400_000)];
      const got = f(xs);
      let compared = 0;
      const wrong: string[] = [];
      const misflagged: number[] = [];
      xs.forEach((x, j) => {
        const g = got[j] as { y: number; flagged: boolean };
        const partner = xs[j ^ 1] ?? x;
        if (g.flagged !== flaggedWhere(x) && misflagged.length < 5) misflagged.push(x);
        // a flagged lane is rerun by the caller; its partner in the same pair may be anything too
        if (flaggedWhere(x) || flaggedWhere(partner)) return;
        compared++;
        if (!same(g.y, reference(x)) && wrong.length < 5) wrong.push(`${name}(${x}) = ${g.y}, Math gives ${reference(x)}`);
      });
      expect(misflagged).toEqual([]);
      expect(wrong).toEqual([]);
      expect(compared).toBeGreaterThan(1_390_000);
    });
  }

  it("exp and expm1 agree with V8 on arbitrary doubles of moderate size (property)", () => {
    const fe = laneFunction(expV);
    const fm = laneFunction(expm1V);
    fc.assert(
      fc.property(fc.double({ min: -690, max: 690, noNaN: true }), fc.double({ min: -690, max: 690, noNaN: true }), (a, b) => {
        const [ea, eb] = fe([a, b]) as unknown as [{ y: number }, { y: number }];
        const [ma, mb] = fm([a, b]) as unknown as [{ y: number }, { y: number }];
        return same(ea.y, Math.exp(a)) && same(eb.y, Math.exp(b)) && same(ma.y, Math.expm1(a)) && same(mb.y, Math.expm1(b));
      }),
      { numRuns: 20_000 },
    );
  });
});

/** |a − b| in units in the last place of b. */
const ulps = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / 2 ** (Math.floor(Math.log2(Math.abs(b))) - 52));

/** Whether this engine fuses relaxed SIMD's multiply–add (test/setup.ts switches relaxed SIMD on for Node 20). */
const fusable = wasmSimdAvailable && fusedMultiplyAdd();

describe.runIf(wasmSimdAvailable).each([
  // bounds measured on these arguments: exp 1 ulp (96.5 % bit-identical), expm1 2 (95.8 %), exprel 2 (96.3 %)
  { fused: false, bounds: [1, 2, 2] },
  // fused multiply–adds (where this engine fuses them): exp 1 ulp (96.5 %), expm1 2 (95.6 %), exprel 2 (96.0 %)
  ...(fusable ? [{ fused: true, bounds: [1, 2, 2] }] : []),
])("fast-math exp, expm1, exprel (the fast_math kernel), fused: $fused", ({ fused, bounds }) => {
  const cases: [string, (e: Emitter, x: number) => number, (x: number) => number][] = [
    ["exp", (e, x) => fastExpV(e, x, false), Math.exp],
    ["expm1", (e, x) => fastExpV(e, x, true), Math.expm1],
    ["exprel", fastExprelV, exprel],
  ];
  cases.forEach(([name, emit, reference], c) => {
    const bound = bounds[c] as number;
    it(`${name} is within ${bound} ulp of V8's on 1,400,000 arguments (|x| < 700)`, () => {
      const xs = [...edgeArguments(), ...randomArguments(1_400_000)].filter((x) => Math.abs(x) < 700 && !Number.isNaN(x));
      const got = laneFunction(emit, true, [], fused)(xs);
      let worst = 0;
      let exact = 0;
      xs.forEach((x, j) => {
        const u = ulps((got[j] as { y: number }).y, reference(x));
        worst = Math.max(worst, u);
        if (u === 0) exact++;
      });
      expect(worst).toBeLessThanOrEqual(bound);
      expect(exact / xs.length).toBeGreaterThan(0.9);
    });
  });
});

describe.runIf(wasmSimdAvailable)("fast math's shared exponentials (src/wasm/fastExps.ts)", () => {
  it("derives one plain exp a step from an exponential at the same slope in each Hodgkin–Huxley-type model, none in Morris–Lecar", () => {
    const derived = (model: string, method: string) => {
      const p = stepProgram(compileModel(resolveModel(model)), method, { fast: true });
      return new FastExps([...p.step.lets.map((l) => l.expr), ...p.step.out]).derivedCount;
    };
    // the lab: βh = 4/(1 + e^(−(V+27)/5)) from αn's exprel(−(V+52)/5); HH 1952: βh from αm; RK4: once a stage
    for (const model of ["lab", "hh1952", "traub-miles", "wang-buzsaki", "connor-stevens"]) {
      expect([model, derived(model, "euler"), derived(model, "rk4")]).toEqual([model, 1, 4]);
    }
    expect(derived("morris-lecar", "euler")).toBe(0); // tanh and cosh laws: no exponential of a shared slope
  });

  for (const fused of [false, ...(fusable ? [true] : [])]) {
    it(`e^(−(V+27)/5) derived from expm1(−(V+52)/5): relative error within 2^−52·(3 + 2|t|) on 400,000 voltages, flagged from |u| ≥ 695 (fused: ${fused})`, () => {
      const base = parseExpr("exprel(-(V + 52) / 5)");
      const target = parseExpr("exp(-(V + 27) / 5)");
      const plan = new FastExps([base, target]);
      expect(plan.derivedCount).toBe(1);
      const argOf = (x: Expr) => (x.type === "call" ? (x.args[0] as Expr) : x);
      const f = laneFunction(
        (e, V) => {
          const lookup = () => V;
          plan.emit(e, "exprel", argOf(base), () => V, lookup);
          return plan.emit(e, "exp", argOf(target), () => V, lookup);
        },
        true,
        [],
        fused,
      );
      // V = −27 − 5t with t = k·2^−20: the argument t is exact, so Math.exp(t) is the true value within 1 ulp
      const ts = Array.from({ length: 400_000 }, (_, i) => Math.round((-60 + 80 * ((i * 0.6180339887498949) % 1)) * 2 ** 20) / 2 ** 20);
      const got = f(ts.map((t) => -27 - 5 * t));
      let worst = 0;
      ts.forEach((t, j) => {
        const ref = Math.exp(t);
        // 3 ulp for the base's parts, e^5 and the product; |t|: the argument a·V + b as one multiply–add (rounded constants)
        worst = Math.max(worst, Math.abs((got[j] as { y: number }).y / ref - 1) / 2 ** -52 / (3 + 2 * Math.abs(t)));
      });
      expect(worst).toBeLessThanOrEqual(1);
      // u = −(V+52)/5 is −695 at V = 3423 and 695 at V = −3527: the base is flagged 5 sooner than 700, so
      // e^(u + 5) never overflows unflagged (worst measured: 0.43 of the bound)
      const edge = f([3422.9, 3423.1, -3526.9, -3527.1]).map((r) => r.flagged);
      expect(edge).toEqual([false, true, false, true]);
    });
  }
});

describe.runIf(fusable)("fused multiply–adds in the fast-math kernel", () => {
  it("are relaxed SIMD's f64x2.relaxed_madd/nmadd where fused, and absent otherwise", () => {
    const lab = compileModel(resolveModel("lab"));
    const count = (bytes: Uint8Array) => {
      let n = 0;
      for (let i = 0; i + 2 < bytes.length; i++)
        if (bytes[i] === 0xfd && (bytes[i + 1] === 0x87 || bytes[i + 1] === 0x88) && bytes[i + 2] === 0x02) n++;
      return n;
    };
    expect(count(wasmEulerKernel(lab, [], true, false, true).bytes)).toBeGreaterThan(60);
    expect(count(wasmEulerKernel(lab, [], true, false, false).bytes)).toBe(0);
    expect(count(wasmEulerKernel(lab, [], false).bytes)).toBe(0);
    expect(() => wasmEulerKernel(lab, [], false, false, true)).toThrow(/fast-math kernels only/);
  });
});

describe("exactReciprocal (y/c printed as y·(1/c) in the exact kernel)", () => {
  it("holds for ±2^k whose reciprocal is a normal double, and for nothing else", () => {
    for (const c of [1, 2, 4, -4, 0.25, -0.5, 2 ** 1000, 2 ** -1000]) expect([c, exactReciprocal(c)]).toEqual([c, true]);
    for (const c of [3, -5, 18, 40, 0.1, 0, -0, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 1023, 2 ** -1074])
      expect([c, exactReciprocal(c)]).toEqual([c, false]);
    // where it holds, the two are the same double for every y (here: many)
    for (const c of [4, -0.5, 2 ** -20])
      for (const y of [...randomArguments(2000), 5e-324, -1.7976931348623157e308]) expect(Object.is(y / c, y * (1 / c))).toBe(true);
  });
});

/** The exact kernel's two forms: exprel inlined at each use (long runs), or called (short runs). */
type KernelForm = "inline" | "outlined";
const forms: KernelForm[] = ["inline", "outlined"];

/** Runs a batch both ways: the fused WebAssembly run, and step by step through the JavaScript kernel. */
function bothWays(
  model: string,
  n: number,
  steps: number,
  amplitudes: Float64Array,
  dt = 0.025,
  parameters: Record<string, number | number[]> = {},
  form: KernelForm = "inline",
) {
  const system = membraneSystem({
    model: resolveModel(model),
    n,
    stimulus: stepCurrent({ amplitude: amplitudes, start: 10, stop: steps * dt * 0.8 }, n),
    parameters,
  });
  // a run of known, short length gets the outlined kernel; one of unknown length the inline one
  const fused = system.fusedEuler?.(false, form === "outlined" ? steps : undefined);
  const y1 = system.initialState();
  const s1 = new SpikeDetector(n, 0);
  const ok = fused?.run(y1, steps, dt, 0, (i, t) => s1.record(i, t));
  const y2 = system.initialState();
  const s2 = new SpikeDetector(n, 0);
  for (let k = 0; k < steps; k++) {
    s2.before(y2);
    system.eulerStep?.(k * dt, dt, y2);
    s2.after(k * dt, dt, y2);
  }
  return { fused, ok, y1, y2, spikes1: s1.result(), spikes2: s2.result() };
}

describe.runIf(wasmSimdAvailable)("the fused WebAssembly Euler kernel", () => {
  const supported = ["lab", "hh1952", "passive", "traub-miles", "wang-buzsaki"];

  it("compiles the built-in models whose functions it has, and declines the others (they run in JavaScript)", () => {
    for (const name of Object.keys(builtinModels)) {
      const system = membraneSystem({ model: resolveModel(name), n: 2, stimulus: stepCurrent({ amplitude: 1, start: 0, stop: 1 }, 2) });
      expect([name, system.fusedEuler?.() !== undefined]).toEqual([name, supported.includes(name)]);
    }
  });

  it("gives a short run the kernel that calls exprel, smaller than the inline one", () => {
    const compiled = compileModel(resolveModel("lab"));
    const phi = compiled.gates.map(() => false);
    const inline = wasmEulerKernel(compiled, phi, false, false).bytes;
    const outlined = wasmEulerKernel(compiled, phi, false, true).bytes;
    const exports = (b: Uint8Array<ArrayBuffer>) => WebAssembly.Module.exports(new WebAssembly.Module(b)).map((x) => x.name);
    expect(exports(inline)).toEqual(["run"]);
    expect(exports(outlined)).toEqual(["run", "exprel"]);
    // measured: 9,552 and 5,673 bytes (three exprel uses: αm, βm, αn)
    expect(outlined.length).toBeLessThan(0.7 * inline.length);
    const system = membraneSystem({ model: resolveModel("lab"), n: 51, stimulus: stepCurrent({ amplitude: 1, start: 0, stop: 1 }, 51) });
    expect(system.fusedEuler?.(false, 8000)).not.toBe(system.fusedEuler?.(false));
    expect(system.fusedEuler?.(false, 8000)).toBe(system.fusedEuler?.(false, 4000));
  });

  for (const [model, form] of supported.flatMap((m) => forms.map((f) => [m, f] as const))) {
    it(`${model}, ${form} kernel: state and spikes equal the JavaScript kernel's bit for bit (101 neurons, odd: a padding lane)`, () => {
      const amps = linspace(0, 25, 101);
      const r = bothWays(model, 101, 3000, amps, 0.025, {}, form);
      expect(r.ok).toBe(true);
      expect(r.fused?.sharedSteps).toBe(400); // the step starts at 10 ms: the quiet prefix computed once
      expect(Array.from(r.y1)).toEqual(Array.from(r.y2));
      expect(r.spikes2.t_ms.length).toBeGreaterThan(model === "passive" ? -1 : 50);
      expect(Array.from(r.spikes1.neuron)).toEqual(Array.from(r.spikes2.neuron));
      expect(Array.from(r.spikes1.t_ms)).toEqual(Array.from(r.spikes2.t_ms));
    });
  }

  it.each(forms)(
    "per-neuron parameters (gNa, gK, Cm, temperature, V0) give the JavaScript kernel's numbers bit for bit (%s kernel)",
    (form) => {
      const n = 40;
      const spread = (from: number, to: number) => Array.from(linspace(from, to, n));
      for (const [model, parameters] of [
        ["lab", { gNa: spread(30, 80), gK: spread(5, 15), Cm: spread(0.8, 1.2), V0: spread(-70, -60) }],
        ["hh1952", { celsius: spread(6.3, 20), gNa: spread(100, 140) }],
      ] as const) {
        const r = bothWays(model, n, 2000, linspace(2, 20, n), 0.02, parameters, form);
        expect(r.ok).toBe(true);
        expect(r.spikes2.t_ms.length).toBeGreaterThan(40);
        expect(Array.from(r.y1)).toEqual(Array.from(r.y2));
        expect(Array.from(r.spikes1.t_ms)).toEqual(Array.from(r.spikes2.t_ms));
      }
    },
  );

  it("computes the quiet prefix once only for neurons alike but for the amplitude, spikes in it included", () => {
    // EL = −50 mV: the lab neuron fires by itself, 7 spikes in 100 ms, so the prefix has spikes
    const amps = linspace(0, 10, 7);
    const alike = bothWays("lab", 7, 4000, amps, 0.025, { EL: -50 });
    expect(alike.fused?.sharedSteps).toBe(400);
    expect(alike.spikes2.t_ms.filter((t) => t < 10).length).toBeGreaterThanOrEqual(7);
    expect(Array.from(alike.spikes1.neuron)).toEqual(Array.from(alike.spikes2.neuron));
    expect(Array.from(alike.spikes1.t_ms)).toEqual(Array.from(alike.spikes2.t_ms));
    expect(Array.from(alike.y1)).toEqual(Array.from(alike.y2));
    // one neuron's leak differs in its last bit: nothing is shared
    const el = Array.from({ length: 7 }, (_, i) => (i === 6 ? -50 * (1 + Number.EPSILON) : -50));
    const unlike = bothWays("lab", 7, 4000, amps, 0.025, { EL: el });
    expect(unlike.fused?.sharedSteps).toBe(0);
    expect(Array.from(unlike.spikes1.t_ms)).toEqual(Array.from(unlike.spikes2.t_ms));
  });

  it.each(forms)(
    "keeps the step-by-step loop's spike order across several neuron tiles and step blocks (1,100 neurons, %s kernel)",
    (form) => {
      const r = bothWays("lab", 1100, 1200, linspace(2, 40, 1100), 0.025, {}, form);
      expect(r.ok).toBe(true);
      expect(r.spikes2.t_ms.length).toBeGreaterThan(2000);
      expect(Array.from(r.spikes1.neuron)).toEqual(Array.from(r.spikes2.neuron));
      expect(Array.from(r.spikes1.t_ms)).toEqual(Array.from(r.spikes2.t_ms));
      expect(Array.from(r.y1)).toEqual(Array.from(r.y2));
    },
  );

  it("reports a run that leaves the physical range, and simulate then gives the checked loop's error", () => {
    // forward Euler at dt 0.2 ms is unstable for the lab model (stable up to ≈ 0.082 ms)
    for (const form of forms) expect(bothWays("lab", 3, 200, Float64Array.of(5, 10, 20), 0.2, {}, form).ok).toBe(false);
    const spec: SimulationSpecInput = {
      model: "lab",
      dt_ms: 0.2,
      duration_ms: 40,
      stimulus: { type: "step", amplitude_uA_per_cm2: [5, 10, 20], start_ms: 10, stop_ms: 32 },
      record: { variables: [] },
    };
    const traced = () => simulate({ ...spec, record: { variables: ["V"] } });
    const spikesOnly = () => simulate(spec);
    expect(traced).toThrow(/simulation diverged at t = /);
    expect(spikesOnly).toThrow(/simulation diverged at t = /);
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message(spikesOnly)).toBe(message(traced));
  });

  for (const model of supported) {
    it(`${model}, fast math: the same spike counts as the exact kernel, spike times within 1e-9 ms (200 ms, 101 neurons)`, () => {
      const n = 101;
      const system = membraneSystem({
        model: resolveModel(model),
        n,
        stimulus: stepCurrent({ amplitude: linspace(0, 25, n), start: 10, stop: 160 }, n),
      });
      const run = (fast: boolean) => {
        const y = system.initialState();
        const s = new SpikeDetector(n, 0);
        expect(system.fusedEuler?.(fast)?.run(y, 8000, 0.025, 0, (i, t) => s.record(i, t))).toBe(true);
        return { y, spikes: s.result() };
      };
      const exact = run(false);
      const fast = run(true);
      expect(Array.from(fast.spikes.count)).toEqual(Array.from(exact.spikes.count));
      expect(Array.from(fast.spikes.neuron)).toEqual(Array.from(exact.spikes.neuron));
      // measured: at most 1.3e-11 ms (wang-buzsaki) and 1.3e-12 mV at the end, over the five models
      fast.spikes.t_ms.forEach((t, j) => {
        expect(Math.abs(t - (exact.spikes.t_ms[j] as number))).toBeLessThan(1e-9);
      });
      for (let i = 0; i < n; i++) expect(Math.abs((fast.y[i] as number) - (exact.y[i] as number))).toBeLessThan(1e-9);
    });
  }

  it("fast math gives the lab's 51 f–I counts", () => {
    const amplitudes = linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps);
    expect(fiCurve({ amplitudes, ...LAB_FI, fast_math: true }).spike_counts).toEqual(fiCurve({ amplitudes, ...LAB_FI }).spike_counts);
  });

  it("gives the lab's 51 f–I counts through fiCurve, as the step-by-step loop does", () => {
    const fused = fiCurve({ amplitudes: linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps), ...LAB_FI });
    const stepwise = simulate({
      model: "lab",
      dt_ms: LAB_FI.dt_ms,
      duration_ms: LAB_FI.duration_ms,
      stimulus: { type: "step", amplitude_uA_per_cm2: Array.from(linspace(0, 10, 51)), start_ms: 50, stop_ms: 200 },
      record: { variables: ["V"], neurons: [0] }, // a trace: the step-by-step loop
    });
    expect(fused.spike_counts).toEqual(Array.from(stepwise.spikes.count));
  });
});
