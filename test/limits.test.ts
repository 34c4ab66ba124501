import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fiCurve, linspace, ResourceLimitError, simulate } from "../src/index.js";
import { count, DEFAULT_MAX_NEURON_STEPS, MAX_POINTS } from "../src/limits.js";
import { checkWorkers, runSweepBatches } from "../src/node.js";
import { parseRange } from "../src/sweep/grid.js";
import { checkSweepSize } from "../src/sweep/size.js";
import { parseSweepSpec } from "../src/sweep/spec.js";

// The library's entry points refuse requests too large to run before allocating anything, with the
// same one-line messages the CLI prints (test/hostileInputs.test.ts runs the CLI).

const lab = { model: "lab", stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 }, duration_ms: 50, dt_ms: 0.025 } as const;
const sweepSpec = { dt_ms: 0.025, duration_ms: 200, start_ms: 50, stop_ms: 200, axes: [{ name: "amplitude", values: [1, 2] }] };

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("nothing thrown");
};

describe("limits of the library's entry points", () => {
  it("simulate refuses more neuron-steps than max_neuron_steps (default 1e11), spikes-only runs included", () => {
    const e = thrown(() => simulate({ ...lab, duration_ms: 1e12, record: { variables: [] } }));
    expect(e).toBeInstanceOf(ResourceLimitError);
    expect(e.message).toBe(
      "duration_ms / dt_ms (--duration-ms 1000000000000 / --dt-ms 0.025) × 1 neuron = 4e13 neuron-steps, more than the limit of 1e11 (about 4.3 h of one core); shorten the run, use a larger dt or fewer neurons, or raise the limit (max_neuron_steps, --max-neuron-steps)",
    );
    expect(DEFAULT_MAX_NEURON_STEPS).toBe(1e11);
  });

  it("simulate counts every neuron of a batch, and a raised max_neuron_steps lets the run go", () => {
    const batch = { ...lab, stimulus: { ...lab.stimulus, amplitude_uA_per_cm2: [1, 2, 3] }, record: { variables: [] } };
    expect(thrown(() => simulate({ ...batch, max_neuron_steps: 5999 })).message).toMatch(
      /× 3 neurons = 6000 neuron-steps, more than the limit of 5999/,
    );
    expect(simulate({ ...batch, max_neuron_steps: 6000 }).spikes.count).toHaveLength(3);
  });

  it("fiCurve passes its max_neuron_steps on", () => {
    const o = { amplitudes: linspace(0, 10, 4), start_ms: 50, stop_ms: 200, duration_ms: 200, dt_ms: 0.025 };
    expect(thrown(() => fiCurve({ ...o, max_neuron_steps: 1000 }))).toBeInstanceOf(ResourceLimitError);
    expect(fiCurve({ ...o, max_neuron_steps: 32000 }).spike_counts).toHaveLength(4);
  });

  it("a sweep's grid is the product of all its axes, checked against maxPoints and the hard 2^24", () => {
    const spec = parseSweepSpec({
      ...sweepSpec,
      axes: [
        { name: "gNa", values: Array.from(linspace(40, 80, 1000)) },
        { name: "amplitude", values: Array.from(linspace(0, 10, 1001)) },
      ],
    });
    expect(thrown(() => checkSweepSize(spec, { maxPoints: 1e5 })).message).toBe(
      "the grid gNa (1000 values) × amplitude (1001 values) = 1.001e6 grid points, more than the limit of 100000; use coarser or fewer axis values, or raise the limit (--max-points, up to 16777216)",
    );
    expect(() => checkSweepSize(spec, { maxPoints: 1e6, maxNeuronSteps: 1e12 })).toThrow(
      /1\.001e6 grid points, more than the limit of 1e6/,
    );
    expect(() => checkSweepSize(spec, { maxPoints: 2e6, maxNeuronSteps: 1e12 })).not.toThrow();
    expect(thrown(() => checkSweepSize(spec, { maxPoints: 2e6, maxNeuronSteps: 1e9 })).message).toMatch(
      /^1\.001e6 grid points × 8000 steps \(--duration-ms 200 \/ --dt-ms 0\.025\) = 8\.008e9 neuron-steps, more than the limit of 1e9/,
    );
    expect(MAX_POINTS).toBe(2 ** 24);
  });

  it("runSweepBatches refuses too many neuron-steps and more workers than 4 × the cores, before starting any", async () => {
    await expect(runSweepBatches(sweepSpec, { workers: 1, maxNeuronSteps: 15_999 })).rejects.toThrow(
      /2 grid points × 8000 steps .* = 16000 neuron-steps/,
    );
    const max = 4 * availableParallelism();
    await expect(runSweepBatches(sweepSpec, { workers: max + 1 })).rejects.toThrow(
      `workers (--workers) must be a whole number in [1, ${max}] (4 × this machine's ${availableParallelism()} cores); got ${max + 1}`,
    );
    expect(checkWorkers(max)).toBe(max);
  });

  it("parseRange counts a range before making its values, and refuses more than 2^24", () => {
    expect(() => parseRange("--amplitude", "0:1:1e-9")).toThrow(`--amplitude must be a range of at most ${MAX_POINTS} values`);
    expect(parseRange("--amplitude", "0:1:0.25")).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it("counts print as people read them", () => {
    expect([459, 1e6, 1e11, 4e13, 10000001, 16777216, 1.5e9].map(count)).toEqual(["459", "1e6", "1e11", "4e13", "1e7", "1.678e7", "1.5e9"]);
  });
});

describe("help texts", () => {
  const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
  const help = (command: string) => execFileSync(process.execPath, [bin, command, "--help"], { encoding: "utf8" });

  it("fi lists no --amplitude (it sweeps the amplitude) and no empty defaults", () => {
    const text = help("fi");
    expect(text).not.toContain("--amplitude");
    expect(text).not.toMatch(/default: \{\}|default: \[\]/);
    expect(text).toContain("--max-points <count>");
    expect(text).toMatch(/--max-neuron-steps <count>[\s\S]*\(default:\s+1e11\)/);
  });

  it("analyze lists only what it uses (no --csv, no --check-dt), lab says it writes figures and a report", () => {
    const text = help("analyze");
    expect(text).not.toContain("--csv");
    expect(text).not.toContain("--check-dt");
    expect(help("lab").replace(/\s+/g, " ")).toContain(
      "the lab figures (SVG, PNG), the measurements (analysis.json) and a report (report.html)",
    );
  });

  it("run and sweep show no empty defaults", () => {
    expect(help("run")).not.toMatch(/default: \{\}|default: \[\]/);
    expect(help("sweep")).not.toMatch(/default: \{\}|default: \[\]/);
  });
});
