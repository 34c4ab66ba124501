/**
 * The browser lab in a real browser (Debian's chromium via playwright-core), against the
 * production build served by `vite preview`. Expected numbers come from the library run here
 * in Node, or from the lab's reference file; nothing is copied into the test.
 */

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fiCurve, linspace, type NeuronModel, nmodlToModel, parseModelText, rheobase, simulate } from "../../src/index.js";
import { runToCsv, runToJson } from "../../src/io/export.js";
import { readModelFile } from "../../src/io/modelFile.js";
import { labReference } from "../helpers/reference.js";
import { settled, urlSaved, useLab } from "./harness.js";

const pageErrors: string[] = [];

const lab = useLab();

async function open(query = ""): Promise<Page> {
  const page = await lab.browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${lab.served.url}${query}`);
  await settled(page);
  return page;
}

const spikeCount = async (page: Page) => Number(await page.locator("#spike-count").getAttribute("data-count"));
const LAB_RUN = {
  model: "lab",
  stimulus: { type: "step", amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
  duration_ms: 50,
  dt_ms: 0.025,
} as const;
const parseCsv = (text: string) => {
  const [head, ...lines] = text.trimEnd().split("\n");
  return { header: (head as string).split(","), rows: lines.map((l) => l.split(",").map(Number)) };
};
const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
/** The fields of `spikelab analyze --json` the page shows. */
interface AnalyzeJson {
  threshold_mV: number | null;
  spike_count: number;
  spikes: { time_ms: number; peak_ms: number; peak_mV: number; amplitude_mV: number; half_width_ms: number }[];
  absolute_refractory: string;
  relative_refractory: string;
}
const ALL_VARIABLES = ["V", "m", "h", "n", "I_Na", "I_K", "I_L", "I_inj"];

describe("the browser lab", () => {
  it("loads with the lab's defaults and shows 2 spikes and the lab's peak", async () => {
    const page = await open();
    const values = await Promise.all(
      ["#ctl-amplitude", "#ctl-start", "#ctl-stop", "#ctl-duration", "#ctl-dt", "#ctl-method", "#ctl-model"].map((s) =>
        page.locator(s).inputValue(),
      ),
    );
    expect(values).toEqual(["3", "10", "20", "50", "0.025", "euler", "lab"]);
    expect(await spikeCount(page)).toBe(2);
    const ref = labReference().experiment_1;
    expect(await page.locator("#run-meta").textContent()).toBe(
      `highest peak ${ref.V_peak_mV.toFixed(2)} mV at ${ref.t_peak_ms.toFixed(3)} ms`,
    );
    expect(await page.locator("#marks li").allTextContents()).toContain(
      `action potential 1: peak ${ref.V_peak_mV.toFixed(2)} mV at ${ref.t_peak_ms.toFixed(3)} ms`,
    );
    console.log(`e2e: first live run took ${await page.evaluate(() => document.body.dataset.labElapsedMs)} ms in the worker`);
    await page.close();
  });

  it("the annotations show what `spikelab analyze --json` measures for the lab's defaults, the refractory periods once measured", async () => {
    // the CLI itself, run meanwhile
    const analyze = promisify(execFile)(process.execPath, ["dist/cli/main.js", "analyze", "--json"], {
      encoding: "utf8",
    });
    const page = await open();
    // the paired-pulse protocol takes about a second in its worker: meanwhile the page says so
    expect(await page.locator("#m-absolute").textContent()).toBe("measuring…");
    const cli = JSON.parse((await analyze).stdout) as AnalyzeJson;
    await page.waitForFunction(() => document.body.dataset.refractory === "done", undefined, { timeout: 30_000 });
    const first = cli.spikes[0] as AnalyzeJson["spikes"][number];
    const text = (id: string) => page.locator(`#m-${id}`).textContent();
    // the printed precision: mV to 2 decimals, ms to 3 (as `spikelab analyze` prints them)
    expect(await text("threshold")).toBe(`${(cli.threshold_mV as number).toFixed(2)} mV`);
    expect(await text("peak")).toBe(`${first.peak_mV.toFixed(2)} mV at ${first.peak_ms.toFixed(3)} ms`);
    expect(await text("amplitude")).toBe(`${first.amplitude_mV.toFixed(2)} mV`);
    expect(await text("half-width")).toBe(`${first.half_width_ms.toFixed(3)} ms`);
    expect(await text("absolute")).toBe(cli.absolute_refractory);
    expect(await text("relative")).toBe(cli.relative_refractory);
    const words = await page.locator("#marks li").allTextContents();
    expect(words).toContain(`absolute refractory ${cli.absolute_refractory} (from the first spike at ${first.time_ms.toFixed(3)} ms)`);
    expect(words.filter((w) => w.startsWith("action potential ") && w.includes(": onset at")).length).toBe(cli.spike_count);
    // a new amplitude re-annotates the trace but keeps the refractory periods (they do not depend on it) ...
    await page.locator("#ctl-amplitude").fill("5");
    await settled(page);
    expect(await page.evaluate(() => document.body.dataset.refractory)).toBe("done");
    // ... a new parameter measures them again
    await page.locator("#ctl-param-gK").fill("12");
    await settled(page);
    await expect.poll(() => text("absolute")).toBe("measuring…");
    await page.close();
  });

  it("moving the amplitude slider with the keyboard changes the spike count to the library's", async () => {
    const page = await open();
    await page.locator("#ctl-amplitude-slider").focus();
    for (let k = 0; k < 70; k++) await page.keyboard.press("ArrowRight");
    await settled(page);
    const amplitude = Number(await page.locator("#ctl-amplitude").inputValue());
    expect(amplitude).toBeCloseTo(10, 9);
    const expected = simulate({ ...LAB_RUN, stimulus: { ...LAB_RUN.stimulus, amplitude_uA_per_cm2: amplitude } }).spikes.count[0];
    expect(await spikeCount(page)).toBe(expected);
    expect(await spikeCount(page)).not.toBe(2);
    // a 50 ms run, warm, as the worker timed it while following the slider
    console.log(`e2e: a warm 50 ms live run took ${await page.evaluate(() => document.body.dataset.labElapsedMs)} ms in the worker`);
    await page.close();
  });

  it("the f–I sweep in workers reproduces the lab's 51 spike counts and shows the rheobase", async () => {
    const page = await open();
    await page.locator("#tab-fi").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
      timeout: 60_000,
    });
    const counts = (await page.locator("#fi-table td.count").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-count")))).map(
      Number,
    );
    expect(counts).toEqual(labReference().experiment_2_fi.spike_counts);
    const f = fiCurve({ amplitudes: linspace(0, 10, 51), start_ms: 50, stop_ms: 200, duration_ms: 200, dt_ms: 0.025 });
    const estimate = f.amplitudes_uA_per_cm2[f.rates_Hz.findIndex((r) => r > 0)];
    expect(await page.locator("#fi-rheobase-value").textContent()).toBe(`${estimate} µA/cm²`);
    // beside it, the library's rheobase bisection for the same step window (to its printed 4 decimals)
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiRheobase === "done");
    const rb = rheobase({ model: "lab", dt_ms: 0.025, start_ms: 50, stop_ms: 200, duration_ms: 200 });
    expect(await page.locator("#fi-rheobase-bisection").textContent()).toBe(`${(rb.rheobase_uA_per_cm2 as number).toFixed(4)} µA/cm²`);
    console.log(
      `e2e: the 51-amplitude sweep took ${await page.evaluate(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiElapsedMs)} ms`,
    );
    await page.close();
  });

  it("an rk45 f–I curve compared with itself at another dt gets legends that name the dt (its output grid)", async () => {
    const page = await open("?view=fi&method=rk45&fi.n=3&fi.to=10&fi.ov=dt&fi.ov.dt=0.05");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
      timeout: 60_000,
    });
    const heads = await page.locator("#fi-table th").allTextContents();
    expect(heads.slice(1)).toEqual([
      "count, RK45, rtol 0.000001, atol 1e-8, output every 0.025 ms",
      "rate (Hz), RK45, rtol 0.000001, atol 1e-8, output every 0.025 ms",
      "count, RK45, rtol 0.000001, atol 1e-8, output every 0.05 ms",
      "rate (Hz), RK45, rtol 0.000001, atol 1e-8, output every 0.05 ms",
    ]);
    await page
      .locator("#view-fi")
      .screenshot({ path: fileURLToPath(new URL("../../docs/review/fi-rk45-two-dt-desktop.png", import.meta.url)) });
    await page.close();
  });

  it("the URL holds the whole state: a reload of it restores every control", async () => {
    const page = await open();
    await page.locator("#ctl-model").selectOption("hh1952");
    await page.locator("#ctl-param-celsius").fill("10");
    await page.locator("#ctl-amplitude").fill("7.5");
    await page.locator("#ctl-dt").fill("0.01");
    await page.locator("#ctl-currents").check();
    await page.locator("#tab-fi").click();
    await page.locator("#fi-count").fill("21");
    await page.locator("#fi-overlay").selectOption("dt");
    await page.locator("#fi-overlayDt").fill("0.005");
    await urlSaved(page, "fi.ov.dt=0.005");
    await settled(page);
    const url = page.url();
    expect(url).toContain("model=hh1952");
    const read = (p: Page) =>
      Promise.all(
        [
          "#ctl-model",
          "#ctl-param-celsius",
          "#ctl-param-gNa",
          "#ctl-amplitude",
          "#ctl-start",
          "#ctl-dt",
          "#fi-count",
          "#fi-overlay",
          "#fi-overlayDt",
        ].map((s) => p.locator(s).inputValue()),
      );
    const before = await read(page);
    expect(before).toEqual(["hh1952", "10", "120", "7.5", "10", "0.01", "21", "dt", "0.005"]);
    const again = await open(new URL(url).search);
    expect(await read(again)).toEqual(before);
    expect(await again.locator("#ctl-currents").isChecked()).toBe(true);
    expect(await again.locator("#tab-fi").getAttribute("aria-selected")).toBe("true");
    const expected = simulate({
      model: "hh1952",
      parameters: { celsius: 10 },
      stimulus: { type: "step", amplitude_uA_per_cm2: 7.5, start_ms: 10, stop_ms: 20 },
      duration_ms: 50,
      dt_ms: 0.01,
    }).spikes.count[0];
    expect(await spikeCount(again)).toBe(expected);
    await page.close();
    await again.close();
  });

  it("an invalid dt shows the library's message beside the control, and a valid one clears it", async () => {
    const page = await open();
    const dt = page.locator("#ctl-dt");
    const error = page.locator("#ctl-dt-error");
    const cases: [string, string][] = [
      ["0", "dt_ms must be a positive number of ms; got 0"],
      ["-0.025", "dt_ms must be a positive number of ms; got -0.025"],
      ["0.03", "dt_ms must be a positive number of ms that divides duration_ms (50) into whole steps, e.g. 0.025; got 0.03"],
      ["abc", 'Time step dt needs a number of ms; got "abc"'],
    ];
    for (const [text, message] of cases) {
      await dt.fill(text);
      await settled(page);
      await expect.poll(() => error.textContent()).toBe(message);
      expect(await error.isVisible()).toBe(true);
      expect(await dt.getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#plot-v").getAttribute("class")).toContain("stale");
    }
    await dt.fill("0.5");
    await settled(page);
    await expect
      .poll(() => error.textContent())
      .toMatch(/^simulation diverged at t = .* ms in neuron 0: [Vmhn] = .*\(method euler, dt 0\.5 ms\); use a smaller dt/);
    await dt.fill("0.025");
    await settled(page);
    expect(await error.isVisible()).toBe(false);
    expect(await dt.getAttribute("aria-invalid")).toBeNull();
    expect(await spikeCount(page)).toBe(2);
    expect(await page.locator("body").textContent()).not.toContain("NaN");
    await page.close();
  });

  it("an invalid sweep setting shows the library's message beside it and the sweep waits", async () => {
    const page = await open("?view=fi");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
      timeout: 60_000,
    });
    await page.locator("#fi-count").fill("2.5");
    await page.locator("#fi-run").click();
    await expect
      .poll(() => page.locator("#fi-count-error").textContent())
      .toBe("steps (number of amplitudes) must be a whole number ≥ 1; got 2.5");
    await page.locator("#fi-count").fill("11");
    await page.locator("#fi-stop").fill("40");
    await page.locator("#fi-run").click();
    await expect.poll(() => page.locator("#fi-stop-error").textContent()).toBe("stimulus.stop_ms must be ≥ start_ms; got 40");
    expect(await page.locator("#fi-count-error").isVisible()).toBe(false);
    expect(await page.locator("#fi-stale").isVisible()).toBe(true);
    await page.close();
  });

  it("exports a trace CSV with the library's columns and numbers", async () => {
    const page = await open();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-trace-csv").click()]);
    expect(download.suggestedFilename()).toBe("spikelab-trace-lab-euler.csv");
    const web = parseCsv(readFileSync((await download.path()) as string, "utf8"));
    const lib = parseCsv(runToCsv(simulate({ ...LAB_RUN, record: { variables: ALL_VARIABLES } })));
    expect(web.header).toEqual(["t_ms", "V_mV", "m", "h", "n", "I_Na_uA_per_cm2", "I_K_uA_per_cm2", "I_L_uA_per_cm2", "I_inj_uA_per_cm2"]);
    expect(web.header).toEqual(lib.header);
    expect(web.rows.length).toBe(2001);
    expect(web.rows.map((r) => r[0])).toEqual(lib.rows.map((r) => r[0]));
    // Chromium's V8 and Node's round a few Math.exp/pow results differently in the last bit: the
    // largest relative difference measured is 8.7e-16 (in n and I_K); most rows are identical.
    let worst = 0;
    lib.rows.forEach((row, i) => {
      row.forEach((x, j) => {
        const y = web.rows[i]?.[j] as number;
        worst = Math.max(worst, x === y ? 0 : Math.abs(x - y) / Math.abs(x));
      });
    });
    expect(worst).toBeLessThan(1e-13);
    await page.close();
  });

  it("exports a trace JSON that is the library's runToJson (settings, threshold, unit-named columns, spikes)", async () => {
    const page = await open();
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-trace-json").click()]);
    expect(download.suggestedFilename()).toBe("spikelab-trace-lab-euler.json");
    const web = JSON.parse(readFileSync((await download.path()) as string, "utf8")) as Record<string, unknown>;
    const lib = runToJson(simulate({ ...LAB_RUN, record: { variables: ALL_VARIABLES } })) as Record<string, unknown>;
    expect(Object.keys(web)).toEqual(Object.keys(lib));
    for (const k of ["model", "method", "dt_ms", "duration_ms", "stimulus", "parameters", "spike_threshold_mV", "spike_count"]) {
      expect(web[k], k).toEqual(lib[k]);
    }
    // the same last-bit tolerance as the CSV (Chromium's V8 and Node round a few Math.exp/pow results differently)
    const near = (a: unknown, b: unknown) =>
      (a as number[]).every((x, i) => Math.abs(x - ((b as number[])[i] as number)) <= 1e-13 * Math.abs(x));
    expect(near(web.V_mV, lib.V_mV)).toBe(true);
    expect(near(web.spike_times_ms, lib.spike_times_ms)).toBe(true);
    await page.close();
  });

  it("switching the model keeps the stimulus and shows the new model's parameters", async () => {
    const page = await open("?amp=5&start=5&stop=30");
    await page.locator("#ctl-model").selectOption("passive");
    await settled(page);
    expect(await page.locator("#ctl-amplitude").inputValue()).toBe("5");
    expect(await page.locator("#ctl-stop").inputValue()).toBe("30");
    expect(await page.locator("#ctl-param-gL").inputValue()).toBe("0.1");
    expect(await page.locator("#plot-gates").count()).toBe(0);
    expect(await spikeCount(page)).toBe(0);
    await page.close();
  });

  it("runs a model file chosen in the page (JSON, or NeuroML with its channel files) as the library runs it", async () => {
    const page = await open();
    await page.locator("#ctl-model-file").setInputFiles(`${FIXTURES}my-neuron.json`);
    await expect.poll(() => page.locator("#ctl-model").inputValue()).toBe("file:my-neuron");
    await settled(page);
    const run = (model: NeuronModel) => simulate({ ...LAB_RUN, model }).spikes.count[0];
    expect(await spikeCount(page)).toBe(run(readModelFile(`${FIXTURES}my-neuron.json`)));
    expect(await page.locator("#ctl-amplitude").inputValue()).toBe("3");
    const nml = ["HHCell.cell.nml", "NaConductance.channel.nml", "KConductance.channel.nml", "LeakConductance.channel.nml"];
    await page.locator("#ctl-model-file").setInputFiles(nml.map((f) => `${FIXTURES}neuroml/${f}`));
    const cell = readModelFile(`${FIXTURES}neuroml/HHCell.cell.nml`);
    await expect.poll(() => page.locator("#ctl-model").inputValue()).toBe(`file:${cell.name}`);
    await settled(page);
    expect(await spikeCount(page)).toBe(run(cell));
    await page.close();
  });

  it("runs a NEURON .mod file chosen in the page (hh.mod as the library reads it) and says why another is refused", async () => {
    const page = await open();
    await page.locator("#ctl-model-file").setInputFiles(`${FIXTURES}nmodl/nrn/hh.mod`);
    await expect.poll(() => page.locator("#ctl-model").inputValue()).toBe("file:hh");
    await settled(page);
    expect(await spikeCount(page)).toBe(simulate({ ...LAB_RUN, model: readModelFile(`${FIXTURES}nmodl/nrn/hh.mod`) }).spikes.count[0]);
    // a KINETIC scheme is still refused (K_Pst.mod, refused here before, now loads: its piecewise τ is a conditional)
    const kinetic =
      "NEURON { SUFFIX x NONSPECIFIC_CURRENT i RANGE g }\nPARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) }\nKINETIC kin { ~ c <-> o (a, b) }\n";
    let expected = "";
    try {
      nmodlToModel({ file: "kin.mod", text: kinetic });
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/^kin\.mod:4: KINETIC schemes \(Markov models\) are not supported yet/);
    await page.locator("#ctl-model-file").setInputFiles({ name: "kin.mod", mimeType: "text/plain", buffer: Buffer.from(kinetic) });
    await expect.poll(() => page.locator("#ctl-model-file-error").textContent()).toBe(expected);
    await page.close();
  });

  it("a model file with an error shows the library's one-line message beside the file control", async () => {
    const page = await open();
    const text = readFileSync(`${FIXTURES}my-neuron.json`, "utf8").replace('"cm_uF_per_cm2": 1', '"cm_uF_per_cm2": -1');
    let expected = "";
    try {
      parseModelText(text, "json", "bad-neuron.json");
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/^bad-neuron\.json: .*cm_uF_per_cm2/);
    await page
      .locator("#ctl-model-file")
      .setInputFiles({ name: "bad-neuron.json", mimeType: "application/json", buffer: Buffer.from(text) });
    const error = page.locator("#ctl-model-file-error");
    await expect
      .poll(() => error.textContent())
      .toBe(
        expected
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean)
          .join("; "),
      );
    expect(await page.locator("#ctl-model").inputValue()).toBe("lab");
    // a NeuroML cell without its channel files says which include is missing
    await page.locator("#ctl-model-file").setInputFiles(`${FIXTURES}neuroml/HHCell.cell.nml`);
    await expect
      .poll(() => error.textContent())
      .toMatch(/^NeuroML include "[^"]+" \(in HHCell\.cell\.nml\) must be chosen together with it/);
    await page.close();
  });

  it("raised no uncaught error in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
