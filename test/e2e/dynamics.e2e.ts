/**
 * The Dynamics view in a real browser: the Morris–Lecar SNLC model, its bifurcation diagram and phase plane
 * computed in the page's worker by the library, compared with the library run here in Node.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../../src/dynamics/diagram.js";
import { morrisLecarSnlc } from "../../src/index.js";
import { launch, requireChromium, type Served, serve, urlSaved } from "./harness.js";

let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  requireChromium();
  served = await serve();
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1500, height: 1800 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${served.url}/?view=dynamics&model=morris-lecar-snlc&amp=30&dyn.from=0&dyn.to=150`);
  await page.waitForSelector("#dyn-diagram svg", { timeout: 120_000 });
  await page.waitForSelector("#dyn-plane svg", { timeout: 60_000 });
  if (process.env.SPIKELAB_SCREENSHOTS) await page.screenshot({ path: process.env.SPIKELAB_SCREENSHOTS, fullPage: true });
}, 200_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

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
  it("keeps the range in the URL and raises no page error", async () => {
    await urlSaved(page, "dyn.to=150");
    expect(pageErrors).toEqual([]);
  });
});
