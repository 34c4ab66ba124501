import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DivergenceError } from "../src/errors.js";
import { fiCurve, gridPoint, gridSize, LAB_FI, linspace, parseRange, parseSweepSpec } from "../src/index.js";
import { sweep } from "../src/node.js";
import { runBatch } from "../src/sweep/batch.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const base = { model: "lab", dt_ms: 0.025, duration_ms: 200, start_ms: 50, stop_ms: 200 };

describe("sweep grids", () => {
  it("parses FROM:TO:STEP inclusively, without accumulated rounding", () => {
    expect(parseRange("--amplitude", "0:1:0.25")).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(parseRange("--amplitude", "0:10:0.2")).toHaveLength(51);
    expect(parseRange("--param gNa", "40,60")).toEqual([40, 60]);
  });

  it.each([
    ["0:10", '--amplitude must be FROM:TO:STEP (e.g. 0:10:0.2); got "0:10"'],
    ["0:10:-1", "--amplitude STEP must be a positive number; got -1"],
    ["a,b", '--amplitude must be FROM:TO:STEP, a list A,B,C or a number (finite numbers); got "a,b"'],
  ])("rejects the range %s with a clear message", (raw, message) => {
    expect(() => parseRange("--amplitude", raw)).toThrow(message);
  });

  it("numbers points row-major, the last axis fastest", () => {
    const axes = [
      { name: "gNa", values: [40, 50] },
      { name: "amplitude", values: [1, 2, 3] },
    ];
    expect(gridSize(axes)).toBe(6);
    expect(gridPoint(axes, 0)).toEqual([40, 1]);
    expect(gridPoint(axes, 4)).toEqual([50, 2]);
  });

  it("names an unknown axis and lists the allowed ones", () => {
    expect(() => parseSweepSpec({ ...base, axes: [{ name: "gCa", values: [1] }] })).toThrow(
      'sweep axis name for model "lab" must be "amplitude" or a parameter: Cm, V0, gNa, ENa, gK, EK, gL, EL, vShift_m, vShift_h, vShift_n; got "gCa"',
    );
  });
});

describe("sweeps", () => {
  const amplitudes = Array.from(linspace(0, 10, 51));

  it("an amplitude sweep on 2 workers gives the f–I curve's counts and rates, in grid order", async () => {
    const t = await sweep({ ...base, axes: [{ name: "amplitude", values: amplitudes }] }, { workers: 2 });
    const f = fiCurve({ amplitudes, ...LAB_FI });
    expect(Array.from(t.columns.spike_count!)).toEqual(f.spike_counts);
    expect(Array.from(t.columns.rate_Hz!)).toEqual(f.rates_Hz);
  });

  it("gives identical results on 1 and 2 workers and for any batch size", async () => {
    const spec = {
      ...base,
      duration_ms: 100,
      stop_ms: 100, // rates are counted over [start_ms, stop_ms), inside the run
      axes: [
        { name: "gK", values: [5, 10, 20] },
        { name: "amplitude", values: [2, 5, 8] },
      ],
    };
    const one = await sweep({ ...spec, batch_size: 9 }, { workers: 1 });
    const two = await sweep({ ...spec, batch_size: 2 }, { workers: 2 });
    expect(two.columns).toEqual(one.columns);
  });

  it("a point that diverges in a worker thread arrives as a DivergenceError naming its sweep point, as when run alone", async () => {
    const spec = parseSweepSpec({
      ...base,
      dt_ms: 0.1,
      axes: [
        { name: "gNa", values: [40, 200] },
        { name: "amplitude", values: [0, 5] },
      ],
      batch_size: 1,
    });
    const error = await sweep(spec, { workers: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DivergenceError);
    const point = Number(/at sweep point (\d+) /.exec((error as Error).message)?.[1]);
    let alone: unknown;
    try {
      runBatch(spec, [point]);
    } catch (e) {
      alone = e;
    }
    expect(alone).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toBe((alone as Error).message);
  });

  it("reports first-spike latency after the stimulus onset, and none (NaN) for a silent neuron", async () => {
    const t = await sweep({ ...base, axes: [{ name: "amplitude", values: [0, 10] }] }, { workers: 1 });
    expect(Number.isNaN(t.columns.first_spike_latency_ms![0])).toBe(true);
    expect(t.columns.first_spike_latency_ms![1]).toBeGreaterThan(0);
    expect(t.columns.first_spike_latency_ms![1]).toBeLessThan(10);
  });
});

describe("`spikelab sweep --out` loses nothing", () => {
  const args = [
    "sweep",
    "--duration-ms",
    "100",
    "--stop-ms",
    "100",
    "--param",
    "gNa=40:80:2",
    "--amplitude",
    "0:10:0.25",
    "--batch-size",
    "16",
    "--workers",
    "2",
  ];

  it("a sweep killed with SIGKILL mid-way and resumed equals the uninterrupted one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-sweep-"));
    const whole = join(dir, "whole.csv");
    const cut = join(dir, "cut.csv");
    expect(spawnSync(process.execPath, [bin, ...args, "--out", whole]).status).toBe(0);

    const child = spawn(process.execPath, [bin, ...args, "--out", cut]);
    // kill once some batches are on disk but before the end
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(cut) && statSync(cut).size > 2000) {
          clearInterval(poll);
          child.kill("SIGKILL");
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => child.on("exit", r));
    const partial = readFileSync(cut, "utf8").split("\n").length - 2;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(21 * 41);

    const resumed = spawnSync(process.execPath, [bin, ...args, "--out", cut, "--resume"], { encoding: "utf8" });
    expect(resumed.status).toBe(0);
    expect(readFileSync(cut, "utf8")).toBe(readFileSync(whole, "utf8"));
  });

  it("writes the same bytes on 1 and on 2 workers, whatever the batches", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-sweep-"));
    const one = join(dir, "one.csv");
    const two = join(dir, "two.csv");
    const serial = [...args.slice(0, -4), "--batch-size", "861", "--workers", "1", "--out", one];
    expect(spawnSync(process.execPath, [bin, ...serial]).status).toBe(0);
    expect(spawnSync(process.execPath, [bin, ...args, "--out", two]).status).toBe(0);
    expect(readFileSync(two, "utf8").split("\n")).toHaveLength(1 + 21 * 41 + 1);
    expect(readFileSync(two)).toEqual(readFileSync(one));
  });

  it("refuses to overwrite an existing results file without --resume or --overwrite", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-sweep-"));
    const out = join(dir, "r.csv");
    expect(spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1,2", "--out", out]).status).toBe(0);
    const again = spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1,2", "--out", out], { encoding: "utf8" });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("exists; pass --resume to continue it or --overwrite to start again");
  });

  it("refuses to resume a file with a different sweep", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-sweep-"));
    const out = join(dir, "r.json");
    expect(spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1,2", "--out", out]).status).toBe(0);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.amplitude_uA_per_cm2).toEqual([1, 2]);
    const other = spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1,3", "--out", out, "--resume"], { encoding: "utf8" });
    expect(other.status).toBe(2);
    expect(other.stderr).toContain("it was started with another sweep spec");
    const same = spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1,2", "--out", out, "--resume"], { encoding: "utf8" });
    expect(same.status).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(json);
  });
});
