import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { REVIEW, settled, useLab } from "./harness.js";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const TRUTH = { gNa: 70, gK: 8 };
const DEFAULTS = { gNa: 50, gK: 10 };

const pageErrors: string[] = [];

const lab = useLab({ review: true, timeout_ms: 120_000 });

async function openFit(width: number, height: number): Promise<Page> {
  const page = await lab.browser.newPage({ viewport: { width, height } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${lab.served.url}/?view=fit&model=lab&p.gNa=${TRUTH.gNa}&p.gK=${TRUTH.gK}`);
  await settled(page);
  await page.waitForSelector("#view-fit:not([hidden]) #fit-params");
  return page;
}

/** Fits gNa and gK only, `generations` generations, features only (no trace stage). */
async function setUp(page: Page, generations: number): Promise<void> {
  await page.uncheck("#fit-use-gL");
  await page.uncheck("#fit-use-EL");
  await page.uncheck("#fit-refine");
  await page.fill("#fit-generations", String(generations));
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(c: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

describe("the Fit view", () => {
  it("fits gNa and gK in the page's worker: the objective falls, both move toward the truth; figure, table, export", async () => {
    const page = await openFit(1400, 1600);
    await setUp(page, 12);
    await page.click("#fit-start");
    await page.waitForSelector("#view-fit[data-state='done']", { timeout: 90_000 });
    const history = JSON.parse((await page.getAttribute("#view-fit", "data-history")) ?? "[]") as number[];
    expect(history.length).toBe(12);
    expect(history[history.length - 1]).toBeLessThan(history[0] as number);
    const fitted = Object.fromEntries(
      await Promise.all(
        (["gNa", "gK"] as const).map(async (k) => [k, Number(await page.textContent(`#fit-result-table td[data-name='${k}']`))] as const),
      ),
    );
    for (const k of ["gNa", "gK"] as const) {
      expect(Math.abs((fitted[k] as number) - TRUTH[k]), k).toBeLessThan(Math.abs(DEFAULTS[k] - TRUTH[k]) / 2);
    }
    expect(await page.getAttribute("#fit-figure-img", "src")).toMatch(/^data:image\/svg\+xml/);
    expect(await page.textContent("#fit-progress")).toMatch(/^done: objective/);
    const download = page.waitForEvent("download");
    await page.click("#fit-export-model");
    const file = await download;
    expect(file.suggestedFilename()).toBe("lab-fit.json");
    await page.screenshot({ path: `${REVIEW}fit-desktop.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it("Cancel stops a running fit and keeps its last progress", async () => {
    const page = await openFit(1280, 900);
    await setUp(page, 400);
    await page.click("#fit-start");
    await page.waitForFunction(
      () => (JSON.parse(document.querySelector("#view-fit")?.getAttribute("data-history") ?? "[]") as number[]).length >= 2,
    );
    await page.click("#fit-cancel");
    expect(await page.getAttribute("#view-fit", "data-state")).toBe("cancelled");
    expect(await page.textContent("#fit-progress")).toMatch(/^cancelled; stage 1 .*generation \d+/);
    const n = JSON.parse((await page.getAttribute("#view-fit", "data-history")) ?? "[]").length;
    await page.waitForTimeout(500);
    expect(JSON.parse((await page.getAttribute("#view-fit", "data-history")) ?? "[]").length).toBe(n);
    expect(await page.isEnabled("#fit-start")).toBe(true);
    await page.close();
  });

  it("on a 390 px phone: no horizontal scrolling, no axe violations", async () => {
    const page = await openFit(390, 844);
    await page.screenshot({ path: `${REVIEW}fit-phone.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
