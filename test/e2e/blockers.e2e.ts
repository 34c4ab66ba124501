/**
 * Blockers and temperature in chromium: TTX switched on in the sidebar stops the live lab's spikes at 10 µA/cm²;
 * a partial block runs the library's blocked conductance (the page's spike times against the library run here in
 * Node); the URL keeps the block after a reload and the equivalent command shows `--block`; a model without the
 * channel says the switch does not apply; hh1952's temperature slider sits in the group; no horizontal scrolling
 * at 390 px; no axe violations. Screenshots go to docs/review/.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  blockGrid,
  blockParameters,
  builtinModels,
  fiCurve,
  linspace,
  type NeuronModel,
  parseSweepSpec,
  rheobase,
  runBatch,
  simulate,
} from "../../src/index.js";
import { REVIEW, settled, urlSaved, useLab } from "./harness.js";
import { axeViolations } from "./pageChecks.js";

const lab = useLab({ review: true });

const spikes = (page: Page) => page.evaluate(() => Number(document.querySelector<HTMLElement>("#spike-count")?.dataset.count));
/** The library's spike count for the lab model at 10 µA/cm² with the lab's experiment-1 window, parameters given. */
const librarySpikes = (parameters: Record<string, number>) =>
  simulate({
    model: "lab",
    parameters,
    stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 20 },
    duration_ms: 50,
    dt_ms: 0.025,
  }).spikes.t_ms.length;

describe("blockers and temperature", () => {
  it("TTX stops the live lab's spikes; 50 % runs gNa halved; the URL keeps it after reload; the command shows --block", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}/?amp=10`);
    await settled(page);
    const before = await spikes(page);
    expect(before).toBe(librarySpikes({}));
    expect(before).toBeGreaterThan(0);
    await page.click("#ctl-block-ttx");
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#spike-count")?.dataset.count === "0");
    await settled(page);
    expect(await spikes(page)).toBe(0);
    expect(await page.textContent("#ctl-block-ttx-note")).toBe("Blocks 100 %: gNa 50 → 0 mS/cm².");
    await urlSaved(page, "ttx=1");
    // a partial block: 50 %
    await page.fill("#ctl-block-ttx-f", "50");
    await urlSaved(page, "ttx.f=0.5");
    await settled(page);
    const half = librarySpikes(blockParameters(builtinModels.lab as NeuronModel, { TTX: 0.5 }));
    expect(await spikes(page)).toBe(half);
    expect(await page.textContent("#equiv-lab-command")).toContain("--block TTX=0.5");
    await page.reload();
    await settled(page);
    expect(await page.isChecked("#ctl-block-ttx")).toBe(true);
    expect(await page.inputValue("#ctl-block-ttx-f")).toBe("50");
    expect(await spikes(page)).toBe(half);
    // switched off: the spikes come back
    await page.click("#ctl-block-ttx");
    await page.waitForFunction((n) => document.querySelector<HTMLElement>("#spike-count")?.dataset.count === String(n), before);
    await page.click("#ctl-block-ttx");
    await settled(page);
    await page.locator("#blockers").screenshot({ path: `${REVIEW}blockers-desktop.png` });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("the f–I view runs the blocked model: TEA 50 % gives the library's counts for gK halved", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}/?view=fi&fi.n=6&fi.to=10&tea=1&tea.f=0.5`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
      timeout: 60_000,
    });
    const counts = (await page.locator("#fi-table td.count").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-count")))).map(
      Number,
    );
    const options = {
      model: "lab",
      amplitudes: Array.from(linspace(0, 10, 6)),
      start_ms: 50,
      stop_ms: 200,
      duration_ms: 200,
      dt_ms: 0.025,
      method: "euler",
    };
    const lib = fiCurve({ ...options, parameters: { gK: 5 } });
    expect(counts).toEqual(Array.from(lib.spike_counts));
    const unblocked = fiCurve(options);
    expect(counts).not.toEqual(Array.from(unblocked.spike_counts));
    await page.close();
  });

  it("the f–I view with TTX: V crosses 0 mV gradedly, so the library's rheobase is none and the view says so with its note", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}/?view=fi&fi.n=6&fi.to=100&ttx=1`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiRheobase === "done", undefined, {
      timeout: 60_000,
    });
    const options = { model: "lab", parameters: { gNa: 0 }, start_ms: 50, stop_ms: 200, duration_ms: 200, dt_ms: 0.025, method: "euler" };
    const rb = rheobase(options);
    expect(rb.rheobase_uA_per_cm2).toBeNull();
    expect(rb.note).toMatch(/^model "lab" does not fire action potentials up to 1000 µA\/cm² \(its response to a 150 ms step is graded/);
    expect(await page.locator("#fi-rheobase-bisection").textContent()).toBe("none");
    expect(await page.locator("#fi-rheobase .rb-line").first().textContent()).toBe(`Rheobase: none (${rb.note})`);
    // the sweep's counts are the library's; where V crosses 0 mV the estimate says these are not action potentials
    const counts = (await page.locator("#fi-table td.count").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-count")))).map(
      Number,
    );
    const lib = fiCurve({ ...options, amplitudes: Array.from(linspace(0, 100, 6)) });
    expect(counts).toEqual(Array.from(lib.spike_counts));
    expect(counts.some((c) => c > 0)).toBe(true);
    expect(await page.locator("#fi-rheobase-value").textContent()).toBe("none");
    expect(await page.locator("#fi-rheobase .rb-line").nth(1).textContent()).toMatch(
      /^Sweep estimate: none — from \d+ µA\/cm² this sweep's V crosses 0 mV during the step, but not with action potentials \(above\)/,
    );
    await page.close();
  });

  it("the map over gNa with TTX 50 % runs the scaled conductances and shows them: axis, readout and CSV agree", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const grid = "map.x=amplitude&map.x0=0&map.x1=15&map.xn=4&map.y=gNa&map.y0=40&map.y1=120&map.yn=3&map.dur=100&map.stop=100";
    await page.goto(`${lab.served.url}/?view=map&map.backend=cpu&${grid}&ttx=1&ttx.f=0.5`);
    await page.waitForFunction(() => document.querySelector("#view-map")?.getAttribute("data-map-state") === "done", undefined, {
      timeout: 60_000,
    });
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-map-csv").click()]);
    const [, ...rows] = readFileSync((await download.path()) as string, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => l.split(","));
    const g = blockGrid(builtinModels.lab as NeuronModel, { TTX: 0.5 }, {}, [
      { name: "gNa", values: Array.from(linspace(40, 120, 3)) },
      { name: "amplitude", values: Array.from(linspace(0, 15, 4)) },
    ]);
    expect(g.axes[0]?.values).toEqual([20, 40, 60]);
    const lib = runBatch(
      parseSweepSpec({ model: "lab", method: "euler", dt_ms: 0.025, duration_ms: 100, start_ms: 50, stop_ms: 100, ...g }),
      Array.from({ length: 12 }, (_, i) => i),
    );
    expect(rows.map((r) => Number(r[1]))).toEqual([20, 20, 20, 20, 40, 40, 40, 40, 60, 60, 60, 60]);
    expect(rows.map((r) => Number(r[3]))).toEqual(Array.from(lib.spike_count));
    // the axis, its ticks' range and the readout are the conductances the CSV and the neurons have (20–60, not 40–120)
    const label = (await page.locator("#map-canvas").getAttribute("aria-label")) as string;
    expect(label.replace(/rates from 0 to [\d.]+ Hz/, "rates …")).toBe(
      "Parameter map of the firing rate over effective gNa with TTX 50 % (mS/cm²) (vertical, 3 points from 20 to 60) and step amplitude (µA/cm²) (horizontal, 4 points from 0 to 15); rates …; with TTX 50 %",
    );
    expect(await page.textContent("#map-block-note")).toBe(
      "The gNa axis shows the conductance the neurons ran with, 20 to 60 mS/cm²: the From/To values 40 to 120 mS/cm² with TTX 50 % (the command below scales them the same way, with --block).",
    );
    await page.locator("#map-canvas").focus();
    await page.keyboard.press("PageUp");
    await page.keyboard.press("End");
    const last = rows[11] as string[];
    expect(await page.textContent("#map-readout")).toMatch(
      new RegExp(
        `^amplitude = 15 µA/cm², effective gNa = 60 mS/cm² \\(120 before TTX 50 %\\): rate ${last[4]} Hz during the step, ${last[3]} spikes? in the whole run`,
      ),
    );
    await page.locator("#view-map").screenshot({ path: `${REVIEW}map-blocked-desktop.png` });
    await page.close();
  });

  it("the voltage clamp's TTX/TEA switches are the sidebar's: the partial block runs once, a switch here turns the sidebar's and the URL's", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const done = () => page.waitForFunction(() => document.querySelector<HTMLElement>("#view-clamp")?.dataset.clampState === "done");
    const call = (parameters: Record<string, number>) =>
      `voltageClamp({ model: "hh1952", holding_mV: -70, steps_mV: [-60, -40, -20, 0, 20, 40, 60], parameters: ${JSON.stringify(parameters)} })`;
    await page.goto(`${lab.served.url}/?view=clamp&model=hh1952&ttx=1&ttx.f=0.5`);
    await done();
    // the sidebar's 50 % TTX is shown as the clamp's own switch, and gNa is halved once (hh1952: 120 → 60)
    expect(await page.isChecked("#clamp-ttx")).toBe(true);
    expect(await page.isChecked("#clamp-tea")).toBe(false);
    expect(await page.textContent("#clamp-ttx-note")).toBe("Blocks 50 %: gNa 120 → 60 mS/cm².");
    const gNa = blockParameters(builtinModels.hh1952 as NeuronModel, { TTX: 0.5 }).gNa as number;
    expect(gNa).toBe(60);
    expect(await page.textContent("#clamp-call")).toBe(call({ gNa }));
    // TEA switched in the clamp: the sidebar's switch and the URL follow; TTX stays at 50 %, not blocked twice
    await page.locator("#clamp-tea").check();
    await page.waitForFunction(() => document.querySelector("#clamp-call")?.textContent?.includes('"gK":0'));
    expect(await page.textContent("#clamp-call")).toBe(call({ gNa, gK: 0 }));
    expect(await page.isChecked("#ctl-block-tea")).toBe(true);
    await urlSaved(page, "tea=1");
    await page.locator("#view-clamp").screenshot({ path: `${REVIEW}clamp-blocked-desktop.png` });
    // TTX switched off in the clamp: off in the sidebar too, and gNa is the model's again
    await page.locator("#clamp-ttx").uncheck();
    await page.waitForFunction(() => !document.querySelector("#clamp-call")?.textContent?.includes("gNa"));
    expect(await page.textContent("#clamp-call")).toBe(call({ gK: 0 }));
    expect(await page.isChecked("#ctl-block-ttx")).toBe(false);
    await page.waitForFunction(() => !/(^|[?&])ttx=1/.test(location.search));
    // the sidebar's switch shows in the clamp, and a reload restores both
    await page.click("#ctl-block-ttx");
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>("#clamp-ttx")?.checked === true);
    await urlSaved(page, "ttx=1");
    await page.reload();
    await done();
    expect(await page.isChecked("#clamp-ttx")).toBe(true);
    expect(await page.isChecked("#clamp-tea")).toBe(true);
    expect(await page.textContent("#clamp-call")).toBe(call({ gNa, gK: 0 }));
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("a model without the channel says the switch does not apply; hh1952's temperature is in the group", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}/?model=morris-lecar&ttx=1`);
    await settled(page);
    expect(await page.isDisabled("#ctl-block-ttx")).toBe(true);
    expect(await page.textContent("#ctl-block-ttx-note")).toBe(
      "Does not apply: the model morris-lecar has no Na channel (its channels: Ca, K, L).",
    );
    expect(await page.textContent("#equiv-lab-command")).not.toContain("--block");
    expect(await page.locator("#blockers #block-no-temperature").count()).toBe(1);
    await page.selectOption("#ctl-model", "hh1952");
    await settled(page);
    expect(await page.locator("#blockers #ctl-param-celsius").count()).toBe(1);
    expect(await page.locator("#ctl-param-celsius").count()).toBe(1);
    expect(await page.isDisabled("#ctl-block-ttx")).toBe(false);
    await page.close();
  });

  it("a bad block value in a link is marked at its control; the rest loads", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}/?amp=10&tea=1&tea.f=abc`);
    await settled(page);
    expect(await page.textContent("#ctl-block-tea-f-url")).toBe(
      'The link gave "abc" for the TEA block fraction, which must be a number from 0 to 1; a full block (1) is used.',
    );
    expect(await page.isChecked("#ctl-block-tea")).toBe(true);
    expect(await page.inputValue("#ctl-amplitude")).toBe("10");
    await page.close();
  });

  it("at phone width (390 px): no horizontal scrolling, no axe violations", async () => {
    const context = await lab.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${lab.served.url}/?amp=10&ttx=1&ttx.f=0.5&model=hh1952&tea=1`);
    await settled(page);
    await page.locator("#blockers").scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
    await page.locator("#blockers").screenshot({ path: `${REVIEW}blockers-phone.png` });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
