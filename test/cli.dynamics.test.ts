import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fails = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

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
});
