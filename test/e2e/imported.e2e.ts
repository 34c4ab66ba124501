/**
 * The browser lab shows a loaded model file in spikelab's own model format (the JSON of
 * `spikelab model show FILE`), with a download of it. Expected JSON comes from the library's
 * NeuroML import run here in Node on the same vendored files.
 */

import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { parseModelText, simulate } from "../../src/index.js";
import { neuromlToModel } from "../../src/models/neuroml.js";
import { settled, useLab } from "./harness.js";

const pageErrors: string[] = [];

const lab = useLab();

async function open(viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const page = await lab.browser.newPage({ viewport, acceptDownloads: true });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(lab.served.url);
  await settled(page);
  return page;
}

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const NML = ["HHCell.cell.nml", "NaConductance.channel.nml", "KConductance.channel.nml", "LeakConductance.channel.nml"];
const RUN = { stimulus: { type: "step", amplitude_uA_per_cm2: 10, start_ms: 5, stop_ms: 45 }, duration_ms: 50, dt_ms: 0.025 } as const;

describe("the imported model in spikelab's format", () => {
  it("shows a loaded NeuroML cell as the library's neuromlToModel makes it, and downloads that JSON", async () => {
    const page = await open();
    const box = page.locator("#ctl-model-file-shown");
    expect(await box.isHidden()).toBe(true);
    await page.locator("#ctl-model-file").setInputFiles(NML.map((f) => `${FIXTURES}neuroml/${f}`));
    const cell = neuromlToModel(NML.map((f) => ({ name: f, text: readFileSync(`${FIXTURES}neuroml/${f}`, "utf8") })));
    await expect.poll(() => page.locator("#ctl-model").inputValue()).toBe(`file:${cell.name}`);
    expect(await box.isVisible()).toBe(true);
    expect(await box.locator("summary").textContent()).toBe("Imported model (spikelab format)");
    await box.locator("summary").click();
    const pre = page.locator("#ctl-model-file-json");
    expect(await pre.getAttribute("aria-label")).toMatch(/JSON/);
    const shown = (await pre.textContent()) as string;
    expect(shown).toBe(`${JSON.stringify(cell, null, 2)}\n`);
    expect(JSON.parse(shown)).toEqual(JSON.parse(JSON.stringify(cell)));

    const [dl] = await Promise.all([page.waitForEvent("download"), page.locator("#ctl-model-file-json-download").click()]);
    expect(dl.suggestedFilename()).toBe(`${cell.name}.json`);
    const saved = readFileSync((await dl.path()) as string, "utf8");
    expect(saved).toBe(shown);
    // the saved file, read back as a spikelab model file, runs to the same numbers as the import
    const back = simulate({ ...RUN, model: parseModelText(saved, "json", `${cell.name}.json`) });
    const direct = simulate({ ...RUN, model: cell });
    expect(back.spikes.count[0]).toBeGreaterThan(0);
    expect(back.spikes.count[0]).toBe(direct.spikes.count[0]);
    expect(back.traces.V).toEqual(direct.traces.V);

    // a file with an error hides the box (it shows what the last chosen file made)
    await page.locator("#ctl-model-file").setInputFiles(`${FIXTURES}neuroml/HHCell.cell.nml`);
    await expect.poll(() => page.locator("#ctl-model-file-error").isVisible()).toBe(true);
    expect(await box.isHidden()).toBe(true);
    await page.close();
  });

  it("shows a NeuroML cell with a fractional gate (Allen's Kv2like): the sub-gates h1, h2 in the JSON and in the gates plot", async () => {
    const page = await open();
    const files = ["HHKv2like.cell.nml", ...NML.slice(1), "AllenInstituteNeuroML/Kv2like.channel.nml"];
    await page.locator("#ctl-model-file").setInputFiles(files.map((f) => `${FIXTURES}neuroml/${f}`));
    const cell = neuromlToModel(files.map((f) => ({ name: f, text: readFileSync(`${FIXTURES}neuroml/${f}`, "utf8") })));
    await expect.poll(() => page.locator("#ctl-model").inputValue()).toBe(`file:${cell.name}`);
    await page.locator("#ctl-model-file-shown summary").click();
    const shown = JSON.parse((await page.locator("#ctl-model-file-json").textContent()) as string);
    expect(shown).toEqual(JSON.parse(JSON.stringify(cell)));
    const kv2 = shown.channels.find((c: { name: string }) => c.name === "Kv2like");
    expect(kv2.gates[1].subgates.map((s: { name: string; fraction: number }) => [s.name, s.fraction])).toEqual([
      ["h1", 0.5],
      ["h2", 0.5],
    ]);
    await settled(page);
    // the legend writes x_y as x with subscript y
    const legend = (await page.locator("#plot-gates").textContent()) as string;
    expect(legend).toContain("mNa–hNa–n–mKv2like–h1–h2–");
    await page.close();
  });

  it("on a phone the JSON wraps inside its box and the page does not scroll sideways", async () => {
    const page = await open({ width: 360, height: 740 });
    await page.locator("#ctl-model-file").setInputFiles(`${FIXTURES}nmodl/nrn/hh.mod`);
    await expect.poll(() => page.locator("#ctl-model").inputValue()).toBe("file:hh");
    await page.locator("#ctl-model-file-shown summary").click();
    const pre = page.locator("#ctl-model-file-json");
    expect(JSON.parse((await pre.textContent()) as string).name).toBe("hh");
    const widths = await pre.evaluate((e) => ({
      scroll: e.scrollWidth,
      client: e.clientWidth,
      right: e.getBoundingClientRect().right,
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.right).toBeLessThanOrEqual(widths.view);
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    await page.close();
  });

  it("raised no uncaught error in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
