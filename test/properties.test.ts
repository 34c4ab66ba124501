import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  builtinModels,
  getModel,
  InvalidArgumentError,
  modelParameters,
  parseSweepSpec,
  recordableVariables,
  type SimulationSpecInput,
  simulate,
  spikeTimesOf,
} from "../src/index.js";
import { runSweepBatches, SweepOutput } from "../src/node.js";

// Property tests: few runs of short simulations (the whole file takes seconds); seeds are printed on failure.
const models = Object.keys(builtinModels);
/** Methods with a dt each is stable at for every built-in model (explicit methods get a small one). */
const methods = [
  ["euler", 0.005],
  ["exp-euler", 0.025],
  ["backward-euler", 0.025],
  ["rk4", 0.01],
  ["rk45", 0.025],
] as const;

/** A valid spec: a built-in model, its conductances scaled by 0.5…1.5, a step inside the run, a method at a stable dt. */
const validSpec: fc.Arbitrary<SimulationSpecInput> = fc
  .record({
    model: fc.constantFrom(...models),
    method: fc.constantFrom(...methods),
    duration_ms: fc.integer({ min: 5, max: 30 }),
    scale: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
    celsius: fc.double({ min: 5, max: 25, noNaN: true }),
    amplitude: fc.double({ min: -5, max: 20, noNaN: true }),
    window: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1.5, noNaN: true })),
    every: fc.integer({ min: 1, max: 8 }),
    extra: fc.subarray([1, 2, 3, 4, 5, 6]),
  })
  .map(({ model, method: [method, dt_ms], duration_ms, scale, celsius, amplitude, window: [a, b], every, extra }) => {
    const params = modelParameters(getModel(model));
    const parameters: Record<string, number> = {};
    for (const p of params) if (/^g/.test(p.name)) parameters[p.name] = p.value * scale;
    if (params.some((p) => p.name === "celsius")) parameters.celsius = celsius;
    const start_ms = a * duration_ms;
    const vars = recordableVariables(model);
    return {
      model,
      method,
      dt_ms,
      duration_ms,
      parameters,
      stimulus: { amplitude_uA_per_cm2: amplitude, start_ms, stop_ms: start_ms + b * duration_ms },
      record: { variables: ["V", ...extra.map((k) => vars[k % vars.length] as string)], sample_ms: every * dt_ms },
    };
  });

describe("properties", () => {
  it("any valid spec runs and gives finite traces and spike times inside the run", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const r = simulate(spec);
        for (const rows of Object.values(r.traces)) for (const row of rows) expect(row.every(Number.isFinite)).toBe(true);
        expect(r.t_ms.every(Number.isFinite)).toBe(true);
        for (const t of r.spikes.t_ms) expect(t >= 0 && t <= (spec.duration_ms as number)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  /** One way to break a valid spec. */
  const breakers: [string, (s: SimulationSpecInput) => unknown][] = [
    ["dt_ms -1", (s) => ({ ...s, dt_ms: -1 })],
    ["dt_ms NaN", (s) => ({ ...s, dt_ms: Number.NaN })],
    ["dt_ms as a string", (s) => ({ ...s, dt_ms: "0.025" })],
    ["dt_ms > duration", (s) => ({ ...s, dt_ms: (s.duration_ms as number) * 2 })],
    ["dt_ms not dividing the duration", (s) => ({ ...s, dt_ms: (s.duration_ms as number) / 2.5 + 1e-7 })],
    ["duration_ms Infinity", (s) => ({ ...s, duration_ms: Number.POSITIVE_INFINITY })],
    ["duration_ms 0", (s) => ({ ...s, duration_ms: 0 })],
    ["unknown method", (s) => ({ ...s, method: "rk5" })],
    ["unknown model", (s) => ({ ...s, model: "hh" })],
    ["model null", (s) => ({ ...s, model: null })],
    ["unknown parameter", (s) => ({ ...s, parameters: { gFoo: 1 } })],
    ["negative conductance", (s) => ({ ...s, parameters: { gL: -0.1 } })],
    ["parameter NaN", (s) => ({ ...s, parameters: { gL: Number.NaN } })],
    ["temperature 500 °C", (s) => ({ ...s, model: "hh1952", parameters: { celsius: 500 } })],
    [
      "start after the end",
      (s) => ({ ...s, stimulus: { amplitude_uA_per_cm2: 1, start_ms: (s.duration_ms as number) + 1, stop_ms: 1e3 } }),
    ],
    ["stop before start", (s) => ({ ...s, stimulus: { amplitude_uA_per_cm2: 1, start_ms: 2, stop_ms: 1 } })],
    ["amplitude Infinity", (s) => ({ ...s, stimulus: { amplitude_uA_per_cm2: Number.POSITIVE_INFINITY, start_ms: 0, stop_ms: 1 } })],
    ["unknown variable", (s) => ({ ...s, record: { variables: ["Q"] } })],
    ["sample_ms not a multiple of dt", (s) => ({ ...s, record: { sample_ms: (s.dt_ms as number) * 1.5 } })],
    ["neuron index out of range", (s) => ({ ...s, record: { neurons: [3] } })],
    ["misspelt field", (s) => ({ ...s, dt: 0.1 })],
    ["rtol 2", (s) => ({ ...s, rtol: 2 })],
    [
      "per-neuron arrays of different lengths",
      (s) => ({ ...s, parameters: { gL: [0.3, 0.3] }, stimulus: { amplitude_uA_per_cm2: [1, 2, 3], start_ms: 0, stop_ms: 1 } }),
    ],
    ["a recording over the memory limit", (s) => ({ ...s, memory_limit_MiB: 1e-4 })],
    ["not an object", () => 42],
  ];

  it("any broken spec is refused with a one-line InvalidArgumentError before it runs", () => {
    fc.assert(
      fc.property(validSpec, fc.constantFrom(...breakers), (spec, [what, breakIt]) => {
        let error: unknown;
        try {
          simulate(breakIt(spec) as SimulationSpecInput);
        } catch (e) {
          error = e;
        }
        expect(error, what).toBeInstanceOf(InvalidArgumentError);
        const message = (error as Error).message;
        expect(message, what).not.toMatch(/\n|undefined|\[object Object\]/);
        expect(message.length, what).toBeGreaterThan(10);
      }),
      { numRuns: 100 },
    );
  });

  it("Euler: each neuron of a batch fires exactly the spikes it fires alone", () => {
    const neuron = fc.record({
      amplitude: fc.double({ min: 0, max: 15, noNaN: true }),
      gNa: fc.double({ min: 80, max: 160, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(neuron, { minLength: 2, maxLength: 5 }), (ns) => {
        const base = { model: "lab", dt_ms: 0.025, duration_ms: 40, record: { variables: [] } };
        const batch = simulate({
          ...base,
          parameters: { gNa: ns.map((x) => x.gNa) },
          stimulus: { amplitude_uA_per_cm2: ns.map((x) => x.amplitude), start_ms: 5, stop_ms: 35 },
        });
        ns.forEach((x, i) => {
          const alone = simulate({
            ...base,
            parameters: { gNa: x.gNa },
            stimulus: { amplitude_uA_per_cm2: x.amplitude, start_ms: 5, stop_ms: 35 },
          });
          expect(Array.from(spikeTimesOf(batch.spikes, i))).toEqual(Array.from(alone.spikes.t_ms));
        });
      }),
      { numRuns: 10 },
    );
  });

  // The SIGKILL test in sweep.test.ts kills a real process once; this cuts the results file at random
  // bytes (any moment a kill could leave behind) and checks that resuming gives the uninterrupted file.
  it("a sweep file cut at any byte and resumed equals the uninterrupted sweep", async () => {
    const spec = parseSweepSpec({
      model: "lab",
      dt_ms: 0.025,
      duration_ms: 30,
      start_ms: 5,
      stop_ms: 30,
      axes: [
        { name: "gNa", values: [100, 140] },
        { name: "amplitude", values: [0, 2, 4, 6, 8, 10] },
      ],
      batch_size: 3,
    });
    const dir = mkdtempSync(join(tmpdir(), "spikelab-prop-"));
    const run = async (path: string, resume: boolean) => {
      const out = new SweepOutput(path, spec, { resume, overwrite: !resume });
      await runSweepBatches(spec, { workers: 1, done: out.done, onBatch: (b) => out.append(b) });
      return out;
    };
    const whole = join(dir, "whole.csv");
    const unfinished = await run(whole, false);
    const appended = readFileSync(whole, "utf8"); // as the file stands before finish(): batches in completion order
    unfinished.finish();
    const expected = readFileSync(whole, "utf8");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: appended.length }), async (cut) => {
        const path = join(dir, `cut-${cut}.csv`);
        // writes the spec beside it, as a started sweep does; close() lets go of its lock (a killed one leaves a stale lock, taken over)
        (await run(path, false)).close();
        writeFileSync(path, appended.slice(0, cut));
        (await run(path, true)).finish();
        expect(readFileSync(path, "utf8")).toBe(expected);
      }),
      { numRuns: 12 },
    );
  });
});
