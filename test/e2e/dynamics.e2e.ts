/**
 * The Dynamics view in a real browser: the Morris–Lecar SNLC model, its bifurcation diagram and phase plane
 * computed in the page's worker by the library, compared with the library run here in Node; the live lab's run
 * drawn in the phase plane, redrawn when the lab re-runs (screenshot: docs/review/dynamics-live-run.png).
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../../src/dynamics/diagram.js";
import { morrisLecarSnlc } from "../../src/index.js";
import { REVIEW, settled, urlSaved, useLab } from "./harness.js";

let page: Page;
const pageErrors: string[] = [];

const lab = useLab();

beforeAll(async () => {
  page = await lab.browser.newPage({ viewport: { width: 1500, height: 1800 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${lab.served.url}/?view=dynamics&model=morris-lecar-snlc&amp=30&start=10&stop=400&dur=400&dyn.from=0&dyn.to=150`);
  await page.waitForSelector("#dyn-diagram svg", { timeout: 120_000 });
  await page.waitForSelector("#dyn-plane svg", { timeout: 60_000 });
  if (process.env.SPIKELAB_SCREENSHOTS) await page.screenshot({ path: process.env.SPIKELAB_SCREENSHOTS, fullPage: true });
}, 200_000);

describe("the Dynamics view", () => {
  it("names the class and the SNIC current that the library finds for the same model and range", async () => {
    const lib = bifurcationDiagram(morrisLecarSnlc, { from: 0, to: 150 });
    const onset = lib.excitability.sustainedFiringThreshold?.p as number;
    const note = (await page.textContent("#dyn-note")) ?? "";
    expect(note).toContain("class 1 (SNIC)");
    expect(note).toContain(onset.toPrecision(6));
  });
  it("draws the phase plane at the lab's amplitude with the three fixed points named", async () => {
    const text = (await page.textContent("#dyn-plane")) ?? "";
    for (const t of ["stable node", "saddle", "unstable focus"]) expect(text).toContain(t);
  });
  it("draws the live lab's run in the phase plane: the lab's newest run, with the lab's protocol in the legend", async () => {
    await settled(page);
    await page.waitForFunction(() => {
      const p = document.querySelector<HTMLElement>("#dyn-plane");
      return p?.dataset.liveRun !== undefined && p.dataset.liveRun === document.body.dataset.labShown;
    });
    const text = (await page.textContent("#dyn-plane")) ?? "";
    expect(text).toContain("blue: the live lab's run (full model, 30 µA/cm² on [10, 400) ms, 0–400 ms)");
    expect(Number(await page.getAttribute("#dyn-plane", "data-live-points"))).toBeGreaterThan(100);
  });
  it("redraws it when the lab re-runs: above the SNIC (45 µA/cm²) the run is the firing loop", async () => {
    const before = await page.getAttribute("#dyn-plane", "data-live-run");
    await page.getByRole("tab", { name: "Live lab" }).click();
    await page.locator("#ctl-amplitude").fill("45");
    await settled(page);
    await page.getByRole("tab", { name: "Dynamics" }).click();
    await page.waitForFunction(
      (old) => {
        const p = document.querySelector<HTMLElement>("#dyn-plane");
        return p?.dataset.liveRun !== old && p?.dataset.liveRun === document.body.dataset.labShown && p?.textContent?.includes("45 µA/cm²");
      },
      before,
      { timeout: 60_000 },
    );
    const text = (await page.textContent("#dyn-plane")) ?? "";
    expect(text).toContain("phase plane at I = 45 µA/cm²");
    expect(text).toContain("the live lab's run (full model, 45 µA/cm² on [10, 400) ms");
    // above the SNIC there is one fixed point left, an unstable focus inside the firing loop
    expect(text).toContain("unstable focus");
    expect(text).not.toContain("stable node");
    mkdirSync(REVIEW, { recursive: true });
    await page.locator("#dyn-plane").screenshot({ path: `${REVIEW}dynamics-live-run.png` });
  }, 120_000);
  it("keeps the range in the URL and raises no page error", async () => {
    await urlSaved(page, "dyn.to=150");
    expect(pageErrors).toEqual([]);
  });
});
