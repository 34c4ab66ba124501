/**
 * The Paired pulses view in chromium: the second pulse dragged with a mouse (desktop) and with a finger (phone,
 * touch events through the DevTools protocol, which chromium turns into pointer events); the page's fired / not
 * fired against the library run here in Node for the same Δ and amplitude, and against the measured absolute
 * refractory period; the tried points on the recovery plot; no horizontal scrolling at 390 px, no overlapping
 * text, no axe violations; URL state; the exports. Screenshots go to docs/review/.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { pairedPulse, refractoryPeriods } from "../../src/index.js";
import { REVIEW, urlSaved, useLab } from "./harness.js";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// the library's own measurement of the lab model, as the page measures it in its worker
const lab = { model: "lab", dt_ms: 0.025, method: "euler" } as const;
const r = refractoryPeriods(lab);
const WINDOW_MS = 50;

const web = useLab({ review: true });

const ready = (page: Page) =>
  page.waitForFunction(() => document.querySelector<HTMLElement>("#view-paired")?.dataset.ppState === "ready", undefined, {
    timeout: 60_000,
  });

/** The page position of (Δ, amplitude) on the trial figure's current panel: its scales, as the figure draws them. */
async function pointFor(page: Page, interval_ms: number, amplitude: number): Promise<{ x: number; y: number }> {
  const b = (await page.locator("#pp-trial-drag").boundingBox()) as { x: number; y: number; width: number; height: number };
  const xMax = r.first_spike_ms + WINDOW_MS + 10;
  const t = r.first_spike_ms + interval_ms + r.pulse_ms / 2;
  return { x: b.x + (t / xMax) * b.width, y: b.y + b.height - (amplitude / (r.cap_uA_per_cm2 * 1.1)) * b.height };
}

/** What the page shows now: Δ and amplitude in its inputs, fired or not. */
async function shown(page: Page): Promise<{ interval: number; amplitude: number; fired: boolean }> {
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-paired")?.dataset.ppState === "ready");
  await page.waitForTimeout(50);
  return page.evaluate(() => ({
    interval: Number((document.querySelector("#pp-interval") as HTMLInputElement).value),
    amplitude: Number((document.querySelector("#pp-amplitude") as HTMLInputElement).value),
    fired: document.querySelector<HTMLElement>("#pp-outcome")?.dataset.fired === "true",
  }));
}

/** The library's answer for the same trial. */
const libraryFires = (interval_ms: number, amplitude_uA_per_cm2: number) =>
  pairedPulse({ ...lab, interval_ms, amplitude_uA_per_cm2, conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2 }).fired;

/** Overlapping boxes among the page's visible text (SVG text included) and the figures' placed labels. */
async function textCollisions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type B = { text: string; x0: number; y0: number; x1: number; y1: number };
    const boxes: B[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? "").trim();
      const parent = n.parentElement;
      if (!text || !parent || parent.closest("[hidden], script, style, option, select, title")) continue;
      if (parent.closest("details:not([open])") && !parent.closest("summary")) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const q of Array.from(range.getClientRects()))
        if (q.width >= 1 && q.height >= 1) boxes.push({ text, x0: q.left, y0: q.top, x1: q.right, y1: q.bottom });
    }
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i] as B;
        const b = boxes[j] as B;
        if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 0.5)
          out.push(`${a.text} × ${b.text}`);
      }
    // and the placed labels by their own boxes (the shared rule's boxes, with its padding left out)
    for (const id of ["pp-trial", "pp-recovery"]) {
      const ls = JSON.parse(document.getElementById(id)?.dataset.labels ?? "[]") as B[];
      for (let i = 0; i < ls.length; i++)
        for (let j = i + 1; j < ls.length; j++) {
          const a = ls[i] as B;
          const b = ls[j] as B;
          if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) out.push(`${id}: ${a.text} × ${b.text}`);
        }
    }
    return out;
  });
}

describe("the Paired pulses view", () => {
  it("with the mouse: dragging the second pulse into the absolute period stops it firing, out of it at the same amplitude it fires again", async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${web.served.url}?view=paired`);
    await ready(page);
    // the measured periods are the library's
    expect(await page.textContent("#pp-absolute")).toContain(`${(r.absolute_refractory_ms as number).toFixed(2)} ms`);
    expect(await page.textContent("#pp-relative")).toContain(`${(r.relative_refractory_ms as number).toFixed(2)} ms`);
    expect(await page.textContent("#pp-relative")).toContain("+5 % = 1.671 µA/cm²");
    // the default trial (Δ 5 ms, 5 µA/cm²) is below the threshold there (13.4 µA/cm²)
    let now = await shown(page);
    expect([now.interval, now.amplitude, now.fired]).toEqual([5, 5, false]);

    const handle = await page.locator("#pp-trial circle.handle").boundingBox();
    const from = { x: (handle?.x ?? 0) + 9, y: (handle?.y ?? 0) + 9 };
    const drag = async (to: { x: number; y: number }, start = from) => {
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      await page.mouse.move((start.x + to.x) / 2, (start.y + to.y) / 2, { steps: 4 });
      await page.mouse.move(to.x, to.y, { steps: 4 });
      await page.mouse.up();
      return shown(page);
    };
    // 1: inside the absolute period (Δ ≈ 2 ms) at 15 µA/cm², just under the cap: no spike
    now = await drag(await pointFor(page, 2, 15));
    expect(now.interval).toBeGreaterThan(1.5);
    expect(now.interval).toBeLessThan((r.absolute_refractory_ms as number) - 0.3);
    expect(now.fired).toBe(false);
    expect(now.fired).toBe(libraryFires(now.interval, now.amplitude));
    expect(await page.evaluate(() => document.querySelector<HTMLElement>("#view-paired")?.dataset.pointer)).toBe("mouse");
    // 2: the same amplitude at Δ ≈ 6 ms (threshold 12.6 µA/cm² there): fires
    now = await drag(await pointFor(page, 6, 15), await pointFor(page, 2, 15));
    expect(now.interval).toBeGreaterThan(5);
    expect(now.amplitude).toBeGreaterThan(13);
    expect(now.fired).toBe(true);
    expect(now.fired).toBe(libraryFires(now.interval, now.amplitude));
    // each drag left a point on the recovery plot: one not fired, one fired
    expect(await page.locator("#pp-recovery circle.trial.not-fired").count()).toBe(1);
    expect(await page.locator("#pp-recovery circle.trial.fired").count()).toBe(1);
    expect(await page.textContent("#pp-count")).toBe("2 (1 fired)");
    // more points typed: each number committed (Enter) is a trial and a point, the library's answer for it
    const expected = [false, true];
    let amplitude = now.amplitude;
    for (const [d, a] of [
      [12, 7],
      [30, 3],
      [60, 2.2],
    ] as const) {
      await page.locator("#pp-interval").fill(String(d));
      await page.locator("#pp-interval").press("Enter");
      expect((await shown(page)).fired, `Δ ${d} ms, ${amplitude} µA/cm²`).toBe(libraryFires(d, amplitude));
      await page.locator("#pp-amplitude").fill(String(a));
      await page.locator("#pp-amplitude").press("Enter");
      expect((await shown(page)).fired, `Δ ${d} ms, ${a} µA/cm²`).toBe(libraryFires(d, a));
      expected.push(libraryFires(d, amplitude), libraryFires(d, a));
      amplitude = a;
    }
    const points = await page.$$eval("#pp-recovery circle.trial", (cs) => cs.map((c) => c.classList.contains("fired")));
    expect(points).toEqual(expected);
    expect(expected).toContain(false);
    await page.screenshot({ path: `${REVIEW}paired-trial-desktop.png`, fullPage: true });
    expect(await textCollisions(page)).toEqual([]);
    now = await shown(page);
    // the settings and the tried points are in the URL (readable: Δ,amplitude,y|n each) and come back on reload
    await urlSaved(page, `pp.d=${now.interval}`);
    const pts = new URL(page.url()).searchParams.get("pp.pts") as string;
    expect(pts.split("_").map((p) => p.split(",")[2] === "y")).toEqual(expected);
    expect(page.url()).toContain(`pp.pts=${pts}`);
    await page.reload();
    await ready(page);
    const back = await shown(page);
    expect([back.interval, back.amplitude]).toEqual([now.interval, now.amplitude]);
    expect(await page.$$eval("#pp-recovery circle.trial", (cs) => cs.map((c) => c.classList.contains("fired")))).toEqual(expected);
    expect(await page.textContent("#pp-count")).toBe(`${expected.length} (${expected.filter(Boolean).length} fired)`);
    expect(new URL(page.url()).searchParams.get("pp.pts")).toBe(pts);
    expect(await page.textContent("#pp-cli")).toBe(
      `spikelab paired --model lab --interval-ms ${now.interval} --amplitude ${now.amplitude}`,
    );
    expect(await textCollisions(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("with a finger at phone width: the drag fires at Δ 20 ms above the measured threshold and not below it; no overflow, no overlaps", async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${web.served.url}?view=paired`);
    await ready(page);
    const cdp = await context.newCDPSession(page);
    const touch = async (to: { x: number; y: number }) => {
      const h = (await page.locator("#pp-trial circle.handle").boundingBox()) as { x: number; y: number };
      const start = { x: h.x + 9, y: h.y + 9 };
      await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [start] });
      for (const f of [0.33, 0.66, 1])
        await cdp.send("Input.dispatchTouchEvent", {
          type: "touchMove",
          touchPoints: [{ x: start.x + (to.x - start.x) * f, y: start.y + (to.y - start.y) * f }],
        });
      await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      return shown(page);
    };
    const i = r.intervals_ms.findIndex((d) => d > 19 && d < 21);
    const thr = r.thresholds_uA_per_cm2[i] as number; // 5.11 µA/cm² at Δ 19.96 ms
    let now = await touch(await pointFor(page, 20, thr + 1));
    expect(await page.evaluate(() => document.querySelector<HTMLElement>("#view-paired")?.dataset.pointer)).toBe("touch");
    expect(Math.abs(now.interval - 20)).toBeLessThan(1);
    expect(now.amplitude).toBeGreaterThan(thr);
    expect(now.fired).toBe(true);
    expect(now.fired).toBe(libraryFires(now.interval, now.amplitude));
    now = await touch(await pointFor(page, 20, thr - 1));
    expect(Math.abs(now.interval - 20)).toBeLessThan(1);
    expect(now.amplitude).toBeLessThan(thr - 0.3);
    expect(now.fired).toBe(false);
    expect(now.fired).toBe(libraryFires(now.interval, now.amplitude));
    expect(await page.locator("#pp-recovery circle.trial").count()).toBe(2);
    await page.screenshot({ path: `${REVIEW}paired-trial-phone.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
    expect(await textCollisions(page)).toEqual([]);
    await context.close();
  });

  it("typing Δ and the amplitude (keyboard) runs the trial; the view has no axe violations", async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${web.served.url}?view=paired&pp.d=2.5&pp.a=15`);
    await ready(page);
    expect((await shown(page)).fired).toBe(false);
    await page.locator("#pp-interval").fill("4");
    await page.locator("#pp-interval").press("Enter");
    const now = await shown(page);
    expect(now.interval).toBe(4);
    expect(now.fired).toBe(libraryFires(4, 15));
    expect(now.fired).toBe(true);
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: { id: string }[] }> } }).axe;
      return (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    // another model: the curve is measured again for it, and the points of the old one go
    await page.selectOption("#ctl-model", "hh1952");
    await page.waitForFunction(() => document.querySelector("#pp-absolute")?.textContent?.startsWith("5.47 ms"), undefined, {
      timeout: 60_000,
    });
    const hh = refractoryPeriods({ ...lab, model: "hh1952" });
    expect(await page.textContent("#pp-absolute")).toContain(`${(hh.absolute_refractory_ms as number).toFixed(2)} ms`);
    expect(await page.textContent("#pp-relative")).toContain(`${(hh.relative_refractory_ms as number).toFixed(2)} ms`);
    expect(await page.textContent("#pp-count")).toBe("0 (0 fired)");
    await page.waitForFunction(() => !location.search.includes("pp.pts"));
    const after = await shown(page);
    expect(after.fired).toBe(
      pairedPulse({
        ...lab,
        model: "hh1952",
        interval_ms: after.interval,
        amplitude_uA_per_cm2: after.amplitude,
        conditioning_amplitude_uA_per_cm2: hh.conditioning_amplitude_uA_per_cm2,
      }).fired,
    );
    await page.close();
  });

  it("a shared link's tried points are shown; an entry that is not a point is said at the Clear button, the rest load", async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${web.served.url}?view=paired&pp.pts=2,15,n_oops_20,4,y`);
    await ready(page);
    expect(await page.$$eval("#pp-recovery circle.trial", (cs) => cs.map((c) => c.classList.contains("fired")))).toEqual([false, true]);
    expect(await page.textContent("#pp-count")).toBe("2 (1 fired)");
    expect(await page.textContent("#pp-clear-url")).toBe(
      'The link gave an entry for the tried paired-pulse points that is not Δ,amplitude,y|n with Δ > 0 ms and amplitude ≥ 0 µA/cm² ("oops"); the other 2 points are shown.',
    );
    await page.locator("#view-paired").screenshot({ path: `${REVIEW}paired-link-points-desktop.png` });
    // the page writes back only the points it uses; Clear removes them from the URL
    await page.waitForFunction(() => new URLSearchParams(location.search).get("pp.pts") === "2,15,n_20,4,y");
    await page.locator("#pp-clear").click();
    await page.waitForFunction(() => !location.search.includes("pp.pts"));
    expect(await page.textContent("#pp-count")).toBe("0 (0 fired)");
    await page.close();
  });

  it("exports the trial as PNG at twice its size, the points as CSV and everything as JSON", async () => {
    const page = await web.browser.newPage({ viewport: { width: 1000, height: 900 }, acceptDownloads: true });
    await page.goto(`${web.served.url}?view=paired&pp.d=2&pp.a=15`);
    await ready(page);
    await page.locator("#pp-amplitude").press("Enter"); // keep the trial as a point
    const width = Number(await page.locator("#pp-trial svg").getAttribute("width"));
    const get = async (name: string) => {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name }).click()]);
      return readFileSync((await dl.path()) as string);
    };
    const png = await get("Download the paired-pulse trial as PNG");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(2 * width);
    const csv = (await get("Download the tried points as CSV")).toString();
    expect(csv.split("\n")[0]).toBe("interval_ms,amplitude_uA_per_cm2,fired");
    const json = JSON.parse((await get("Download the trial, the tried points and the recovery curve as JSON")).toString());
    expect(json.trial.fired).toBe(false);
    expect(json.recovery.absolute_refractory_ms).toBe(r.absolute_refractory_ms);
    expect(json.recovery.thresholds_uA_per_cm2).toEqual(r.thresholds_uA_per_cm2);
    await page.close();
  });
});
