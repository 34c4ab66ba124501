import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fails = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const tmp = () => mkdtempSync(join(tmpdir(), "spikelab-dyn-"));

describe("spikelab dynamics", () => {
  it("bifurcation: names the class and writes the figure and the data with units in the names", () => {
    const out = mkdtempSync(join(tmpdir(), "spikelab-dyn-"));
    const text = spikelab(
      "dynamics",
      "bifurcation",
      "--model",
      "morris-lecar-snlc",
      "--from",
      "0",
      "--to",
      "150",
      "--no-simulate",
      "--out",
      out,
    );
    expect(text).toMatch(/^class 1 \(SNIC\): firing starts at zero frequency at a saddle-node on an invariant circle, I = 39\.96/);
    const json = JSON.parse(readFileSync(join(out, "bifurcation.json"), "utf8"));
    expect(json.bifurcations.map((b: { name: string }) => b.name)).toContain("SNIC");
    expect(Object.keys(json.bifurcations[0])).toEqual(expect.arrayContaining(["name", "I_uA_per_cm2", "V_mV"]));
    expect(readFileSync(join(out, "cycles.csv"), "utf8").split("\n")[0]).toBe(
      "branch,I_uA_per_cm2,period_ms,frequency_Hz,Vmin_mV,Vmax_mV,stable,largest_multiplier_modulus",
    );
    expect(readFileSync(join(out, "bifurcation.svg"), "utf8")).toMatch(/^<svg/);
    expect(readFileSync(join(out, "bifurcation.png")).subarray(1, 4).toString()).toBe("PNG");
  }, 120_000);

  it("bifurcation of a model with a calcium pool: cai is a state (nothing held), the saddle-node is found; above it the model bursts, said as such (exit 0, data written)", () => {
    const model = fileURLToPath(new URL("./fixtures/models/calcium-sk.json", import.meta.url));
    const out = tmp();
    const r = fails("dynamics", "bifurcation", "--model", model, "--from", "0", "--to", "5", "--no-simulate", "--out", out);
    expect(r.stdout).not.toContain("assumption");
    // the rheobase: dynamics.calcium.test.ts crosses it by simulation
    expect(r.stdout).toMatch(/saddle-node {12}I = 0\.03770\d+ {2}V = -63\.04 mV/);
    // above it the model bursts (35 spikes every ≈ 0.8 s; dynamics.calcium.test.ts checks both by simulation): a finding, not a failure
    expect(r.stdout).toMatch(/^bursting: .*at I = 0\.0877\d+ the model bursts: 35 spikes every 7\d\d\.\d ms.*does not follow/);
    expect(r.stdout).not.toContain("note:");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(readFileSync(join(out, "equilibria.csv"), "utf8").split("\n").length).toBeGreaterThan(10);
    const j = JSON.parse(readFileSync(join(out, "bifurcation.json"), "utf8"));
    expect(j.assumptions).toEqual([]);
    expect(j.bursts).toEqual([{ I_uA_per_cm2: expect.closeTo(0.0877081, 6), period_ms: expect.closeTo(799.45, 1), spikes_per_burst: 35 }]);
  }, 60_000);

  it("phase-plane: prints the fixed points with their types", () => {
    const out = mkdtempSync(join(tmpdir(), "spikelab-pp-"));
    const r = JSON.parse(
      spikelab(
        "dynamics",
        "phase-plane",
        "--model",
        "morris-lecar-snlc",
        "--amplitude",
        "30",
        "--x-range=-80,60",
        "--y-range=-0.05,0.6",
        "--json",
        "--out",
        out,
      ),
    );
    expect(r.fixed_points.map((f: { type: string }) => f.type)).toEqual(["stable node", "saddle", "unstable focus"]);
    expect(r.reduction).toBe("2-D model");
  }, 60_000);

  it.each([
    [["dynamics", "phase-plane", "--x-range", "5,1"], /--x-range must be two finite numbers "LOW,HIGH" with LOW < HIGH; got "5,1"/],
    [
      ["dynamics", "bifurcation", "--parameter", "gFoo", "--no-simulate"],
      /parameter must be one of I, Cm, gNa, ENa, gK, EK, gL, EL, vShift_m, vShift_h, vShift_n for model "lab"; got "gFoo"/,
    ],
    [["dynamics", "bifurcation", "--from", "3", "--to", "3"], /--from and --to must differ; got 3 for both/],
    [["dynamics", "phase-plane", "--others", "frozen", "--frozen", "n"], /--frozen must be NAME=VALUE \(e\.g\. n=0\.3\); got "n"/],
    [
      ["dynamics", "bifurcation", "--model", "hh1952", "--from", "1e6", "--to", "2e6", "--no-simulate", "--out", tmp()],
      /^spikelab: no equilibrium of model "hh1952" at I = 1000000 with V in \[-150, 100\] mV; choose another start of the range\n$/,
    ],
  ])(
    "bad input %j: one line, exit 2",
    (args, message) => {
      const r = fails(...(args as string[]));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    },
    60_000,
  );

  it.each([
    [
      "a singular Jacobian at the start",
      ["--model", "passive", "--param", "gL=0", "--from", "0", "--to", "10"],
      /^spikelab: equilibria: the Jacobian is singular at the first equilibrium \(I = 0, V = -?\d+\.\d{3} mV\): .*only that point was computed \(what was computed is written to .*\)$/,
      1,
    ],
    [
      "a cycle branch that cannot be continued",
      ["--model", "hh1952", "--param", "EL=-54.401", "--from", "0", "--to", "20", "--segments", "3"],
      /^spikelab: cycles from the Hopf point at I = 9\.779638: the cycle branch could not be continued past I = 7\.9\d+ \(period 19\.\d+ ms\): .*\(3 segments; more segments may pass\); \d+ orbits were computed \(what was computed is written to .*\)$/,
      20,
    ],
  ])(
    "%s: the files with what was computed, then one line saying where and why, exit 2",
    (_name, args, message, rows) => {
      const out = tmp();
      const r = fails("dynamics", "bifurcation", ...(args as string[]), "--no-simulate", "--out", out);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message as RegExp);
      const csv = readFileSync(join(out, rows === 1 ? "equilibria.csv" : "cycles.csv"), "utf8")
        .trim()
        .split("\n");
      expect(csv.length - 1).toBeGreaterThanOrEqual(rows as number);
      expect(readFileSync(join(out, "bifurcation.svg"), "utf8")).toMatch(/^<svg/);
    },
    120_000,
  );
});
