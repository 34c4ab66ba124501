import { describe, expect, it } from "vitest";
import { parseRange } from "../../src/sweep/grid.js";
import { clampCall, testPotentials } from "./clampText.js";
import { DEFAULT_CLAMP, equivalentOf, linspace, rangeArg, shellWord } from "./commandLine.js";
import { defaultState, fromQuery } from "./state.js";

describe("the equivalent command and library call of a view", () => {
  it("writes the live lab's defaults as `spikelab run` with every setting spelled out", () => {
    expect(equivalentOf("lab", defaultState()).command).toBe(
      "spikelab run --model lab --amplitude 3 --start-ms 10 --stop-ms 20 --duration-ms 50 --method euler --dt-ms 0.025",
    );
  });
  it("writes changed parameters as --param and into the call's parameters", () => {
    const s = fromQuery("p.gNa=40&amp=5&method=rk4");
    const e = equivalentOf("lab", s);
    expect(e.command).toContain("--param gNa=40 --amplitude 5");
    expect(e.command).toContain("--method rk4");
    expect(e.call).toContain('parameters: {"gNa":40}');
    expect(e.call).toContain("amplitude_uA_per_cm2: 5");
  });
  it("adds --sample-ms where the live lab records every k-th step (more than 20,000 steps)", () => {
    const e = equivalentOf("lab", fromQuery("dur=1000&dt=0.025"));
    expect(e.command).toContain("--sample-ms 0.05");
    expect(e.call).toContain("record: { sample_ms: 0.05 }");
  });
  it("writes the f–I sweep as `spikelab fi`, and its comparison curve as an overlay", () => {
    expect(equivalentOf("fi", defaultState()).command).toBe(
      "spikelab fi --model lab --from 0 --to 10 --steps 51 --start-ms 50 --stop-ms 200 --duration-ms 200 --method euler --dt-ms 0.025",
    );
    const ov = equivalentOf("fi", fromQuery("fi.ov=method&fi.ov.method=rk45"));
    expect(ov.command).toMatch(/--overlay-method rk45 --overlay-rtol 1e-6 --overlay-atol 1e-8 --png fi.png$/);
    expect(ov.call).toContain('const second = fiCurve({ model: "lab", amplitudes: Array.from(linspace(0, 10, 51))');
    expect(ov.call).toContain('method: "rk45"');
  });
  it("writes the map as `spikelab sweep` over its two axes, amplitude as --amplitude and a parameter as --param", () => {
    const e = equivalentOf("map", defaultState());
    expect(e.command).toBe(
      "spikelab sweep --model lab --param gNa=0:100:0.2506265664160401 --amplitude 0:15:0.03759398496240601 --start-ms 50 --stop-ms 200 --duration-ms 200 --method euler --dt-ms 0.025 --backend auto --out map.csv",
    );
    expect(e.call).toContain("Array.from({ length: 160000 }");
  });
  it("writes the dynamics view as the bifurcation and phase-plane commands", () => {
    const [bif, plane] = equivalentOf("dynamics", defaultState()).command.split("\n");
    expect(bif).toBe("spikelab dynamics bifurcation --model lab --from 0 --to 20 --no-simulate");
    expect(plane).toBe(
      "spikelab dynamics phase-plane --model lab --amplitude 3 --x V --y n --x-range=-90,60 --y-range 0,1 --simulate-ms 0",
    );
  });
  it("writes the voltage clamp as the panel's own library call, with the lab's block (TTX: gNa 0)", () => {
    const s = fromQuery("model=hh1952&ttx=1");
    const e = equivalentOf("clamp", s, DEFAULT_CLAMP);
    const args = clampCall("hh1952", -70, testPotentials(-60, 60, 20), { gNa: 0 }).replace(/^voltageClamp\(/, "");
    expect(e.call.endsWith(`voltageClamp(${args};`)).toBe(true);
    expect(e.command.startsWith('node --input-type=module -e \'import { voltageClamp } from "spikelab";')).toBe(true);
  });
  it("writes the paired-pulse view as its panel's own `spikelab paired` command and library calls", () => {
    const e = equivalentOf("paired", fromQuery("view=paired&pp.d=8&pp.a=12&p.gK=12"));
    expect(e.command).toBe("spikelab paired --model lab --interval-ms 8 --amplitude 12 --param gK=12");
    expect(e.call).toContain('pairedPulse({ model: "lab", parameters: {"gK":12}');
  });
  it("names a model loaded from a file by the JSON file its Download saves", () => {
    const s = { ...defaultState(), model: "file:my cell" };
    const e = equivalentOf("lab", s);
    expect(e.command).toContain("--model 'my cell.json'");
    expect(e.call).toContain('JSON.parse(readFileSync("my cell.json", "utf8"))');
    expect(e.call.startsWith('import { readFileSync } from "node:fs";')).toBe(true);
  });
  it("quotes shell words only where needed", () => {
    expect(shellWord("gNa=40")).toBe("gNa=40");
    expect(shellWord("a b")).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
  it("writes a sweep range FROM:TO:STEP whose values, as the CLI makes them, are linspace's bit for bit", () => {
    expect(rangeArg(0, 10, 51)).toBe("0:10:0.2");
    expect(rangeArg(3, 3, 1)).toBe("3");
    for (const [from, to, n] of [
      [0, 100, 64],
      [0, 15, 400],
      [-3.3, 7.1, 37],
      [0.1, 0.3, 3],
    ] as const)
      expect(parseRange("--amplitude", rangeArg(from, to, n)), `${from}:${to} in ${n}`).toEqual(Array.from(linspace(from, to, n)));
  });
});
