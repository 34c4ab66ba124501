import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { actionPotentials, describePeriod, fiCurve, LAB_FI, linspace, refractoryPeriods, rheobase, simulate } from "../src/index.js";
import { countDifference, differenceSummary } from "../src/plot/fiFigure.js";
import { decimateMinMax, fiFigure, labFigure, refractoryFigure } from "../src/plot/index.js";
import { svgDocument, svgToPng } from "../src/plot/node.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });

/** The text of an SVG, tags removed and whitespace collapsed (so wrapped lines read as one). */
const plainText = (svg: string) => svg.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

/** The number that follows `label` in the SVG's text (numbers on figures are printed with fixed decimals). */
const numberAfter = (svg: string, label: string): number => {
  const text = svg.replace(/<[^>]+>/g, " ");
  const m = new RegExp(`${label}\\s*(-?[0-9.]+)`).exec(text);
  if (!m) throw new Error(`no "${label} <number>" in the SVG`);
  return Number(m[1]);
};

describe("min/max decimation", () => {
  it("keeps a one-sample spike among 100,000 points, with at most 4 points per column", () => {
    const x = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const y = new Float64Array(100_000);
    y[54_321] = 40;
    y[77_777] = -80;
    const d = decimateMinMax(x, y, 500);
    expect(d.x.length).toBeLessThanOrEqual(2000);
    expect(Math.max(...d.y)).toBe(40);
    expect(Math.min(...d.y)).toBe(-80);
    expect(d.x[d.y.indexOf(40)]).toBe(54_321);
  });
});

describe("lab figure 1", () => {
  const r = simulate({
    model: "lab",
    stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
    duration_ms: 50,
    dt_ms: 0.025,
    record: { variables: ["V", "m", "h", "n", "I_inj"] },
  });
  const V = r.traces.V?.[0] as Float64Array;
  const aps = actionPotentials(r.t_ms, V);
  const first = aps[0]!;
  const bands = { absolute_ms: 3.5, relative_ms: 40, absolute_text: "3.50 ms", relative_text: "40.00 ms", method: "test bands" };
  const svg = labFigure(svgDocument(), {
    t_ms: r.t_ms,
    V_mV: V,
    gates: { m: r.traces.m?.[0] as Float64Array, h: r.traces.h?.[0] as Float64Array, n: r.traces.n?.[0] as Float64Array },
    I_inj_uA_per_cm2: r.traces.I_inj?.[0] as Float64Array,
    stimulus_window_ms: [10, 20],
    aps,
    onset_dVdt_mV_per_ms: 10,
    refractory: bands,
    title: "test",
  });

  it.each([
    "action potential",
    "threshold",
    "absolute refractory",
    "relative refractory",
    "stimulus on",
    "half-width",
    "amplitude",
    "peak",
    "membrane potential V (mV)",
    "time (ms)",
    "open fraction",
  ])("contains the label %j", (label) => expect(svg).toContain(label));
  it("prints the analysis' numbers: threshold, peak, amplitude, half-width (to their printed digits)", () => {
    expect(Math.abs(numberAfter(svg, "threshold") - (first.onset_mV as number))).toBeLessThanOrEqual(0.05);
    expect(Math.abs(numberAfter(svg, "peak") - first.peak_mV)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(numberAfter(svg, "amplitude") - (first.amplitude_mV as number))).toBeLessThanOrEqual(0.05);
    expect(Math.abs(numberAfter(svg, "half-width") - (first.half_width_ms as number))).toBeLessThanOrEqual(0.005);
    expect(numberAfter(svg, "absolute refractory")).toBe(3.5);
  });
  it("marks every AP onset with a dot", () => {
    // Plot draws the onset dots as circles in one <g> filled orange (the first such group: panel A)
    const group = /<g[^>]*fill="#ff7f0e"[^>]*>((?:<circle[^>]*>)+)<\/g>/.exec(svg)?.[1] ?? "";
    expect(group.match(/<circle/g)?.length).toBe(aps.filter((a) => a.onset_ms !== null).length);
  });
  it("renders to the same PNG bytes twice (bundled font, no system fonts)", () => {
    const a = svgToPng(svg, 1);
    expect(Buffer.from(a.subarray(1, 4)).toString()).toBe("PNG");
    expect(Buffer.compare(Buffer.from(a), Buffer.from(svgToPng(svg, 1)))).toBe(0);
  });
});

describe("f–I and refractory figures", () => {
  it("the f–I figure marks the measured rheobase and overlays a second series", () => {
    const f = fiCurve({ amplitudes: linspace(0, 2, 5), ...LAB_FI });
    const rb = rheobase({ ...LAB_FI }).rheobase_uA_per_cm2 as number;
    const svg = fiFigure(svgDocument(), {
      series: [
        { label: "series one", ...f },
        { label: "series two", ...f, spike_counts: f.spike_counts.map((c) => c + 1) },
      ],
      rheobase_uA_per_cm2: rb,
      window_ms: [50, 200],
      title: "f–I",
    });
    expect(numberAfter(svg, "rheobase")).toBe(Number(rb.toFixed(3)));
    for (const s of ["series one", "series two", "spike count", "firing rate (Hz)", "step current amplitude (µA/cm²)"])
      expect(svg).toContain(s);
  });
  it("with two series the f–I figure draws their count difference per amplitude and says it in words", () => {
    const f = fiCurve({ amplitudes: linspace(0.8, 1.8, 6), ...LAB_FI });
    const series = [
      { label: "series one, dt 1 ms", ...f },
      { label: "series two", ...f, spike_counts: f.spike_counts.map((c, i) => c + (i % 2)) },
    ];
    const svg = fiFigure(svgDocument(), { series, rheobase_uA_per_cm2: null, window_ms: [50, 200], title: "f–I" });
    expect(countDifference(series)?.map((r) => r.d)).toEqual([0, -1, 0, -1, 0, -1]);
    const words = differenceSummary([series[0], series[1]] as never, countDifference(series) as { d: number }[]);
    expect(words).toBe("series one fires 1 spike fewer than series two at 3 of 6 amplitudes");
    expect(plainText(svg)).toContain(words);
    expect(plainText(svg)).toContain("C spike count difference: series one − series two");
  });
  it("the refractory figure states both periods as measured, or 'not reached'", () => {
    const r = refractoryPeriods({ model: "lab", dt_ms: 0.025, max_interval_ms: 30, interval_count: 10 });
    const svg = refractoryFigure(svgDocument(), r, "refractory");
    expect(numberAfter(svg, "absolute refractory")).toBe(Number((r.absolute_refractory_ms as number).toFixed(2)));
    expect(svg).toContain(describePeriod(null, "not-reached", r.scanned_range_ms));
    expect(svg).toContain("second-pulse threshold (µA/cm²)");
  });
});

describe("the CLI", () => {
  it("`spikelab analyze --json` reports unit-named measurements of experiment 1", () => {
    const j = JSON.parse(spikelab("analyze", "--json", "--max-interval-ms", "20", "--intervals", "8"));
    expect(j.spike_count).toBe(2);
    expect(j.threshold_mV).toBe(j.spikes[0].onset_mV);
    for (const k of ["peak_mV", "half_width_ms", "amplitude_mV", "onset_ms", "ahp_mV"]) expect(typeof j.spikes[0][k]).toBe("number");
    expect(j.rheobase_uA_per_cm2).toBeGreaterThan(0);
    expect(j.absolute_refractory_ms).toBeGreaterThan(0);
    expect(j.relative_refractory_ms).toBeNull();
    expect(j.relative_refractory).toContain("not reached within the scanned range");
  });
  it("`spikelab fi --svg --overlay-method rk45` overlays the converged counts of the lab's fixture and names Euler's bias", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-"));
    spikelab(
      "fi",
      "--from",
      "0.8",
      "--to",
      "1.8",
      "--steps",
      "6",
      "--svg",
      join(dir, "fi.svg"),
      "--overlay-method",
      "rk45",
      "--workers",
      "1",
    );
    const svg = plainText(readFileSync(join(dir, "fi.svg"), "utf8"));
    const fixture = JSON.parse(readFileSync(new URL("fixtures/lab-fi-converged.json", import.meta.url), "utf8")) as {
      rtol: number;
      atol: number;
      amplitudes_uA_per_cm2: number[];
      spike_counts: number[];
    };
    const amplitudes = Array.from(linspace(0.8, 1.8, 6));
    const converged = amplitudes.map((a) => {
      const i = fixture.amplitudes_uA_per_cm2.findIndex((b) => Math.abs(a - b) < 1e-9);
      return fixture.spike_counts[i] as number;
    });
    const euler = fiCurve({ amplitudes, ...LAB_FI });
    const series = [
      { label: "forward Euler", ...euler },
      { label: "RK45", ...euler, spike_counts: converged },
    ];
    expect(svg).toContain(`RK45, rtol ${fixture.rtol}, atol ${fixture.atol} (converged)`);
    expect(svg).toContain(differenceSummary(series as never, countDifference(series) as { d: number }[]));
  });
  it("`spikelab run --svg --png` and `fi --svg` write figures", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-"));
    spikelab("run", "--svg", join(dir, "run.svg"), "--png", join(dir, "run.png"));
    spikelab("fi", "--steps", "6", "--svg", join(dir, "fi.svg"));
    expect(readFileSync(join(dir, "run.svg"), "utf8")).toContain("action potential");
    expect(readFileSync(join(dir, "run.png")).subarray(1, 4).toString()).toBe("PNG");
    expect(readFileSync(join(dir, "fi.svg"), "utf8")).toContain("rheobase");
  });
});

describe("lab figure 1 for other models", () => {
  it.each([
    ["morris-lecar", 100, "B  gates: w", "D  ionic currents (outward positive)<"],
    ["wang-buzsaki", 2, "B  gates: Na inactivation h, K activation n", "D  ionic currents (outward positive): Na in, K out"],
  ])("draws %s with its own state gates (instantaneous ones are not plotted)", async (model, amplitude, gateTitle, currentsTitle) => {
    const { drawRun } = await import("../src/cli/figures.js");
    const { recordableVariables } = await import("../src/index.js");
    const run = simulate({
      model,
      stimulus: { amplitude_uA_per_cm2: amplitude, start_ms: 10, stop_ms: 100 },
      duration_ms: 100,
      dt_ms: 0.025,
      record: { variables: recordableVariables(model) },
    });
    const svg = drawRun(run, 10, null)(svgDocument());
    expect(svg).toContain(gateTitle);
    expect(svg).toContain(currentsTitle);
  });
});
