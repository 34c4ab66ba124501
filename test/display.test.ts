// The rich-display protocol (src/display): every result kind's MIME bundle, through Symbol.for("Jupyter.display").
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  actionPotentialsView,
  convergenceView,
  fiView,
  JUPYTER_DISPLAY,
  type MimeBundle,
  modelView,
  refractoryView,
  rheobaseView,
  runView,
  sweepView,
  tableView,
  traceView,
  type View,
} from "../src/display/index.js";
import {
  actionPotentials,
  checkFiConvergence,
  fiCurve,
  InvalidArgumentError,
  LAB_FI,
  linspace,
  parseSweepSpec,
  recordableVariables,
  refractoryPeriods,
  rheobase,
  runBatch,
  simulate,
} from "../src/index.js";
import { sweepTable } from "../src/node.js";
import { svgToPng } from "../src/plot/node.js";

/** The bundle a Jupyter kernel gets: it looks the method up by the global symbol's name, as Deno's kernel does. */
const bundleOf = (v: unknown): MimeBundle => {
  const hook = (v as Record<symbol, unknown>)[Symbol.for("Jupyter.display")];
  expect(typeof hook).toBe("function");
  return (hook as () => MimeBundle).call(v);
};

/** Text of HTML, tags removed and entities of the summaries decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ");

/** A bundle with a figure: the three MIME types, the SVG a standalone document that renders, the HTML holding summary and figure. */
function expectFigureBundle(b: MimeBundle): string {
  expect(Object.keys(b).sort()).toEqual(["image/svg+xml", "text/html", "text/plain"]);
  const svg = b["image/svg+xml"] as string;
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  const png = svgToPng(svg, 0.25); // resvg refuses a document without an <svg> root
  expect(png.length).toBeGreaterThan(1000);
  expect(b["text/html"]).toContain(svg);
  return textOf(b["text/html"] as string);
}

// the lab notebook's numbers (test/fixtures/reference/lab-seed-euler.json: the notebook's own Python, rerun)
const lab = JSON.parse(readFileSync(new URL("./fixtures/reference/lab-seed-euler.json", import.meta.url), "utf8")) as {
  experiment_1: { spike_count: number; V_peak_mV: number; t_peak_ms: number };
  experiment_2_fi: { spike_counts: number[] };
};
const run = () =>
  simulate({
    model: "lab",
    stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
    duration_ms: 50,
    dt_ms: 0.025,
    method: "euler",
    record: { variables: recordableVariables("lab") },
  });

describe("the display protocol", () => {
  it("is the global symbol Jupyter.display, and a view prints as its text", () => {
    expect(JUPYTER_DISPLAY).toBe(Symbol.for("Jupyter.display"));
    const v = rheobaseView(rheobase({ dt_ms: 0.025, start_ms: 10, stop_ms: 20, duration_ms: 50 }));
    expect(String(v)).toBe(v.text);
    expect(bundleOf(v)["text/plain"]).toBe(v.text);
  });
});

describe("a run", () => {
  it("shows lab figure 1, the spikes and the first AP's features with units (the lab's experiment 1)", () => {
    const r = run();
    const b = bundleOf(runView(r));
    const html = expectFigureBundle(b);
    const ap = actionPotentials(r.t_ms, r.traces.V?.[0] as Float64Array)[0]!;
    // the notebook's peak, 48.044361581 mV at 13.275 ms, to the printed digits
    expect(b["text/plain"]).toContain(
      `AP peak: ${lab.experiment_1.V_peak_mV.toFixed(2)} mV at ${lab.experiment_1.t_peak_ms.toFixed(3)} ms`,
    );
    expect(b["text/plain"]).toContain(`spikes of neuron 0: ${lab.experiment_1.spike_count}`);
    expect(html).toContain(`threshold (first AP onset) −${Math.abs(ap.onset_mV as number).toFixed(2)} mV`);
    expect(html).toContain(`AP half-width ${(ap.half_width_ms as number).toFixed(3)} ms`);
    expect(html).toContain("rate in the step window 100.0 Hz"); // one of the two spikes lies in the 10 ms step
    expect(b["image/svg+xml"]).toContain("threshold -54.5 mV");
  });

  it("tabulates every neuron of a batch, and draws from the injected current when I_inj was not recorded", () => {
    const r = simulate({
      model: "lab",
      stimulus: { amplitude_uA_per_cm2: [0, 3, 6], start_ms: 10, stop_ms: 40 },
      duration_ms: 50,
      dt_ms: 0.025,
    });
    const html = expectFigureBundle(bundleOf(runView(r, { neuron: 2 })));
    const counts = r.spikes.count;
    expect(html).toContain(`spikes of neuron 2 ${counts[2]}`);
    expect(html).toMatch(new RegExp(`0 0\\.000 ${counts[0]} .* 1 3\\.000 ${counts[1]} .* 2 6\\.000 ${counts[2]} `));
  });

  it("draws a calcium pool's concentration (mM) apart from the gates' open-fraction panel", () => {
    const model = JSON.parse(readFileSync(new URL("./fixtures/models/hh-ghk-calcium.json", import.meta.url), "utf8"));
    const r = simulate({
      model,
      stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 40 },
      duration_ms: 50,
      dt_ms: 0.025,
      record: { variables: ["V", "m", "h", "n", "mc", "hc", "cai"] },
    });
    expect(r.traces.cai?.[0]?.length).toBe(r.t_ms.length);
    const svg = bundleOf(runView(r))["image/svg+xml"] as string;
    // panel B's title names the gates it draws: the five gates, not the pool (before: "…, mc, hc, cai")
    expect(svg).toContain("B  gates: Na activation m, Na inactivation h, K activation n, mc, hc</text>");
    expect(svg).not.toContain("cai");
  });

  it("refuses a neuron that was not recorded, naming the argument and what is allowed", () => {
    const r = simulate({
      model: "lab",
      stimulus: { amplitude_uA_per_cm2: [1, 2], start_ms: 10, stop_ms: 20 },
      duration_ms: 30,
      dt_ms: 0.025,
    });
    expect(() => runView(r, { neuron: 2 })).toThrow("neuron must be an index 0…1 into the recorded neurons; got 2");
    expect(() => runView(r, { neuron: 0.5 })).toThrow(InvalidArgumentError);
  });

  it("has no figure when no trace was recorded", () => {
    const r = simulate({
      model: "lab",
      stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
      duration_ms: 50,
      dt_ms: 0.025,
      record: { variables: [] },
    });
    const b = bundleOf(runView(r));
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
    expect(b["text/plain"]).toContain("spikes of neuron 0: 2");
  });
});

describe("an f–I curve", () => {
  const opts = { amplitudes: linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps), ...LAB_FI, method: "euler" };
  it("shows lab figure 2, the 51 counts of the notebook, the measured rheobase and an overlay's difference", () => {
    const f = fiCurve(opts);
    const g = fiCurve({ ...opts, method: "rk45" });
    const b = bundleOf(fiView(f, { ...opts, compare: [{ label: "rk45", result: g }] }));
    const html = expectFigureBundle(b);
    expect(b["text/plain"]).toContain(`spike counts (forward Euler, dt 0.025 ms): [${lab.experiment_2_fi.spike_counts.join(", ")}]`);
    expect(b["text/plain"]).toContain(`spike counts (rk45): [${g.spike_counts.join(", ")}]`);
    const rb = rheobase({ dt_ms: 0.025, start_ms: 50, stop_ms: 200, duration_ms: 200 }).rheobase_uA_per_cm2 as number;
    expect(html).toContain(`rheobase of the step ${rb.toFixed(4)} µA/cm²`);
    const fewer = f.spike_counts.filter((c, i) => c < (g.spike_counts[i] as number)).length;
    expect(fewer).toBeGreaterThan(0);
    expect(html).toContain(`count difference forward Euler fires 1 spike fewer than rk45 at ${fewer} of 51 amplitudes`);
    expect(html).toContain("largest rate in the window 226.7 Hz"); // 34 spikes in the 150 ms window
    expect(html).toContain("all 51 amplitudes");
  });
});

it("refuses an f–I view whose step window is empty", () => {
  const f = { amplitudes_uA_per_cm2: [0, 1], spike_counts: [0, 2], rates_Hz: [0, 10] };
  expect(() => fiView(f, { start_ms: 50, stop_ms: 50 })).toThrow("stop_ms must be a time after start_ms (50 ms)");
});

describe("an analysis", () => {
  it("tabulates every action potential's features with units", () => {
    const r = run();
    const aps = actionPotentials(r.t_ms, r.traces.V?.[0] as Float64Array);
    const b = bundleOf(actionPotentialsView(aps));
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
    const html = textOf(b["text/html"] as string);
    expect(html).toContain("threshold (mV) peak (mV) amplitude (mV) half-width (ms)");
    expect(aps).toHaveLength(2);
    for (const a of aps)
      expect(html).toContain(`${a.peak_mV.toFixed(2)} ${(a.amplitude_mV as number).toFixed(2)} ${(a.half_width_ms as number).toFixed(3)}`);
  });

  it("shows a rheobase with its bracket", () => {
    const r = rheobase({ dt_ms: 0.025, start_ms: 10, stop_ms: 20, duration_ms: 50 });
    const b = bundleOf(rheobaseView(r));
    expect(b["text/plain"]).toContain(`rheobase: ${(r.rheobase_uA_per_cm2 as number).toFixed(4)} µA/cm²`);
    expect(b["text/plain"]).toContain(`[${r.bracket_uA_per_cm2?.[0].toFixed(4)}, ${r.bracket_uA_per_cm2?.[1].toFixed(4)}] µA/cm²`);
  });

  it("shows refractory periods with the threshold-versus-interval figure", () => {
    const rp = refractoryPeriods({ dt_ms: 0.025, interval_count: 12, max_interval_ms: 20 });
    const html = expectFigureBundle(bundleOf(refractoryView(rp)));
    expect(html).toContain(`absolute refractory period ${(rp.absolute_refractory_ms as number).toFixed(2)} ms`);
    expect(html).toContain("relative refractory period not reached within the scanned range");
  });

  it("shows a dt check: which neurons change at dt/2", () => {
    const c = checkFiConvergence({ ...LAB_FI, amplitudes: [0, 5] });
    const b = bundleOf(convergenceView(c, { labels: ["0 µA/cm²", "5 µA/cm²"] }));
    expect(b["text/plain"]).toContain("dt check: 1 of 2 neurons not converged");
    expect(b["text/plain"]).toContain("finer setting: dt 0.0125 ms");
    expect(textOf(b["text/html"] as string)).toContain(`5 µA/cm² ${c.neurons[1]?.spike_count} ${c.neurons[1]?.refined_spike_count}`);
  });
});

describe("a voltage trace", () => {
  it("draws V(t), the APs aligned at their peaks and the ISIs, with the spikes, rate and features in the summary", () => {
    const r = simulate({ model: "lab", stimulus: { amplitude_uA_per_cm2: 2, start_ms: 20, stop_ms: 220 }, duration_ms: 250, dt_ms: 0.025 });
    const V = r.traces.V?.[0] as Float64Array;
    const b = bundleOf(traceView(r.t_ms, V, { stimulus_window_ms: [20, 220] }));
    const html = expectFigureBundle(b);
    const aps = actionPotentials(r.t_ms, V);
    expect(aps.length).toBe(r.spikes.count[0]);
    expect(b["text/plain"]).toContain(`spikes: ${aps.length} (upward crossings of 0.0 mV)`);
    const inWindow = aps.filter((a) => a.time_ms >= 20 && a.time_ms < 220).length;
    expect(b["text/plain"]).toContain(`rate in the stimulus window: ${(inWindow / 0.2).toFixed(2)} Hz on [20, 220) ms`);
    expect(html).toContain(
      `${aps[1]?.time_ms.toFixed(2)} −${Math.abs(aps[1]?.onset_mV as number).toFixed(2)} ${aps[1]?.peak_mV.toFixed(2)}`,
    );
    expect(b["image/svg+xml"]).toContain(`the ${aps.length} APs aligned at their peaks`);
  });
});

describe("a sweep table", () => {
  const table = (axes: { name: string; values: number[] }[]) => {
    const spec = parseSweepSpec({ dt_ms: 0.025, duration_ms: 100, start_ms: 20, stop_ms: 100, axes });
    const n = axes.reduce((k, a) => k * a.values.length, 1);
    return sweepTable(spec, [
      runBatch(
        spec,
        Int32Array.from({ length: n }, (_, i) => i),
      ),
    ]);
  };
  it("draws a rate heatmap over two axes and tabulates rows with unit-named columns", () => {
    const t = table([
      { name: "gNa", values: [40, 60] },
      { name: "amplitude", values: [0, 2, 4] },
    ]);
    const b = bundleOf(sweepView(t));
    const html = expectFigureBundle(b);
    expect(b["text/plain"]).toContain("sweep: 6 points over gNa (mS/cm²) × amplitude (µA/cm²)");
    expect(html).toContain("gNa_mS_per_cm2 amplitude_uA_per_cm2 spike_count rate_Hz first_spike_latency_ms");
    const rate = t.columns.rate_Hz as Float64Array;
    expect(html).toContain(`largest rate ${Math.max(...rate).toFixed(1)} Hz`);
    expect(html).toContain(`points firing in the window ${rate.filter((r) => r > 0).length} of 6`);
  });
  it("thins a dense grid to at most 200 values per axis in the figure, and keeps every row in the summary", () => {
    const amplitudes = Array.from({ length: 401 }, (_, i) => i * 0.025);
    const t = table([
      { name: "gNa", values: [40, 60] },
      { name: "amplitude", values: amplitudes },
    ]);
    const b = bundleOf(sweepView(t));
    expectFigureBundle(b);
    expect(b["image/svg+xml"]).toContain("(1 in 3 values of amplitude (µA/cm²) drawn)");
    expect(b["text/plain"]).toContain("points: 802");
    // 134 kept amplitudes × 2 gNa values, 64 legend steps and a few frames
    expect((b["image/svg+xml"] as string).match(/<rect /g)?.length).toBeLessThan(2 * 134 + 64 + 10);
  });
  it("draws rate against a single axis", () => {
    const b = bundleOf(sweepView(table([{ name: "amplitude", values: [0, 1, 2, 3] }])));
    expectFigureBundle(b);
    expect(b["image/svg+xml"]).toContain("rate in the step window (Hz)");
  });
});

describe("a model", () => {
  it("lists channels and gates with units and draws x∞(V) and τ(V)", () => {
    const b = bundleOf(modelView("hh1952"));
    const html = expectFigureBundle(b);
    expect(html).toContain("Na 120.000 50.0 m^3·h");
    expect(html).toContain("K 36.000 −77.0 n^4");
    expect(html).toContain("L 0.300 −54.3 leak");
    expect(html).toContain("temperature 6.3 °C");
    expect(b["image/svg+xml"]).toContain("time constants τ(V) at 6.3 °C");
  });
  it("renders a model without gates as tables only", () => {
    const b = bundleOf(modelView("passive"));
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
    expect(b["text/plain"]).toContain("channel L");
  });
});

// a view is computed lazily, once
it("computes each part once", () => {
  let n = 0;
  const v: View = fiView(
    { amplitudes_uA_per_cm2: [0, 1], spike_counts: [0, 2], rates_Hz: [0, 10] },
    { start_ms: 0, stop_ms: 200, rheobase_uA_per_cm2: null },
  );
  const svg = v.svg;
  n += svg === v.svg ? 1 : 0;
  expect(n).toBe(1);
});

describe("summary tables", () => {
  it("right-align columns of numbers with units and left-align text, escaping every cell", async () => {
    const { table } = await import("../src/display/html.js");
    const html = table(
      ["quantity", "value"],
      [
        ["peak", "48.04 mV"],
        ["<source>", "−65.00 mV"],
      ],
    );
    expect(html).toContain('text-align:left">&lt;source&gt;</td>');
    expect(html).toContain('text-align:right">−65.00 mV</td>');
    expect(table(["a"], [["12.5 µA/cm²"], ["the lab notebook"]])).toContain('text-align:left">12.5 µA/cm²</td>');
  });
});

describe("a table of records", () => {
  it("shows one column per key, numbers without trailing zeros, missing values as —", () => {
    const b = bundleOf(
      tableView(
        [
          { "peak (ms)": 707.53, "peak (mV)": -54.9 },
          { "peak (ms)": 910.5, "AHP (mV)": null },
        ],
        { title: "APs" },
      ),
    );
    expect(Object.keys(b).sort()).toEqual(["text/html", "text/plain"]);
    expect(b["text/plain"].split("\n")).toEqual([
      "APs",
      "peak (ms)  peak (mV)  AHP (mV)",
      "   707.53      −54.9         —",
      "    910.5          —         —",
    ]);
    expect(textOf(b["text/html"] as string)).toContain("peak (ms) peak (mV) AHP (mV) 707.53 −54.9 — 910.5 — —");
  });
});
