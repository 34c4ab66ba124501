/**
 * The parameter-map view in a real browser: on WebGPU (headless chromium with SwiftShader, a CPU
 * implementation of WebGPU, so no GPU is needed) and on the CPU Web Workers, with a small grid.
 * Expected counts come from the library's CPU sweep engine run here in Node.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linspace } from "../../src/index.js";
import { runBatch } from "../../src/sweep/batch.js";
import { parseSweepSpec } from "../../src/sweep/spec.js";
import { launch, requireChromium, type Served, serve } from "./harness.js";

let served: Served;
let webgpu: Browser;
let plain: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  requireChromium();
  served = await serve();
  [webgpu, plain] = await Promise.all([launch({ webgpu: true }), launch()]);
}, 60_000);

afterAll(async () => {
  await webgpu?.close();
  await plain?.close();
  await served?.stop();
});

/** A small map: amplitude (11 points) × gNa (9 points) of the lab model, step on [10, 110) ms, Euler, dt 0.025 ms. */
const GRID = { x: "amplitude", x0: 0, x1: 10, xn: 11, y: "gNa", y0: 0, y1: 100, yn: 9, start: 10, stop: 110, dur: 110 };
const query = (backend: string) =>
  `?view=map&map.x=${GRID.x}&map.x0=${GRID.x0}&map.x1=${GRID.x1}&map.xn=${GRID.xn}&map.y=${GRID.y}&map.y0=${GRID.y0}&map.y1=${GRID.y1}` +
  `&map.yn=${GRID.yn}&map.start=${GRID.start}&map.stop=${GRID.stop}&map.dur=${GRID.dur}&map.backend=${backend}`;

/** The library's f64 counts for the same grid, in the map's order (gNa rows, amplitude fastest). */
function libraryCounts(): number[] {
  const spec = parseSweepSpec({
    model: "lab",
    method: "euler",
    dt_ms: 0.025,
    duration_ms: GRID.dur,
    start_ms: GRID.start,
    stop_ms: GRID.stop,
    axes: [
      { name: "gNa", values: Array.from(linspace(GRID.y0, GRID.y1, GRID.yn)) },
      { name: "amplitude", values: Array.from(linspace(GRID.x0, GRID.x1, GRID.xn)) },
    ],
  });
  return Array.from(
    runBatch(
      spec,
      Array.from({ length: GRID.xn * GRID.yn }, (_, i) => i),
    ).spike_count,
  );
}

async function openMap(browser: Browser, backend: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${served.url}${query(backend)}`);
  await mapDone(page);
  return page;
}

const mapDone = (page: Page) =>
  page.waitForFunction(
    () => {
      const s = document.querySelector("#view-map")?.getAttribute("data-map-state");
      return s === "done" || s === "error";
    },
    undefined,
    { timeout: 120_000 },
  );

/** The map's CSV export: header and rows. */
async function exportCsv(page: Page): Promise<{ header: string[]; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-map-csv").click()]);
  const [head, ...lines] = readFileSync((await download.path()) as string, "utf8")
    .trimEnd()
    .split("\n");
  return { header: (head as string).split(","), rows: lines.map((l) => l.split(",")) };
}

/** How many distinct colours the heatmap's canvas holds (a blank or failed map has one or two). */
const canvasColours = (page: Page) =>
  page.evaluate(() => {
    const c = document.querySelector("#map-canvas") as HTMLCanvasElement;
    const d = (c.getContext("2d") as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add(((d[i] as number) << 16) | ((d[i + 1] as number) << 8) | (d[i + 2] as number));
    return seen.size;
  });

describe("the parameter map", () => {
  let gpuCounts: number[] = [];

  it("renders on WebGPU (SwiftShader) in f32, says so, and its counts equal the library's f64 counts", async () => {
    const page = await openMap(webgpu, "auto");
    const view = page.locator("#view-map");
    expect(await view.getAttribute("data-map-state")).toBe("done");
    expect(await view.getAttribute("data-map-backend")).toBe("gpu");
    expect(await view.getAttribute("data-map-points")).toBe(String(GRID.xn * GRID.yn));
    expect(await page.locator("#map-backend").textContent()).toMatch(
      /^Computed on the GPU: WebGPU on google swiftshader.*, in f32 arithmetic/,
    );
    console.log(`e2e map: ${GRID.xn * GRID.yn} neurons on SwiftShader in ${await view.getAttribute("data-map-elapsed-ms")} ms`);
    expect(await canvasColours(page)).toBeGreaterThan(20);
    const csv = await exportCsv(page);
    expect(csv.header).toEqual([
      "index",
      "gNa_mS_per_cm2",
      "amplitude_uA_per_cm2",
      "spike_count",
      "rate_Hz",
      "first_spike_latency_ms",
      "precision",
    ]);
    expect(csv.rows.every((r) => r[6] === "f32")).toBe(true);
    gpuCounts = csv.rows.map((r) => Number(r[3]));
    const lib = libraryCounts();
    expect(new Set(lib).size, "the grid spans silent and firing neurons").toBeGreaterThan(5);
    // measured: all 99 counts equal
    expect(gpuCounts).toEqual(lib);
    await page.close();
  });

  it("the CPU workers give the same map (counts equal), marked f64", async () => {
    const page = await openMap(webgpu, "auto");
    await page.locator("#map-backend-choice").selectOption("cpu");
    await page.waitForFunction(() => document.querySelector("#view-map")?.getAttribute("data-map-backend") === "cpu");
    await mapDone(page);
    expect(await page.locator("#map-backend").textContent()).toMatch(/^Computed on the CPU: \d+ Web Workers?, f64 arithmetic — as chosen/);
    const csv = await exportCsv(page);
    expect(csv.rows.every((r) => r[6] === "f64")).toBe(true);
    expect(csv.rows.map((r) => Number(r[3]))).toEqual(gpuCounts);
    expect(gpuCounts.length).toBe(GRID.xn * GRID.yn);
    await page.close();
  });

  it("falls back to the CPU workers where the browser has no WebGPU adapter, and says why", async () => {
    const page = await openMap(plain, "auto");
    expect(await page.locator("#view-map").getAttribute("data-map-backend")).toBe("cpu");
    expect(await page.locator("#map-backend").textContent()).toMatch(
      /f64 arithmetic — no GPU: WebGPU found no adapter|no GPU: this browser has no WebGPU/,
    );
    expect((await exportCsv(page)).rows.map((r) => Number(r[3]))).toEqual(libraryCounts());
    await page.close();
  });

  it("is keyboard accessible: arrow keys move the cursor and read the point out; Enter opens it in the live lab", async () => {
    const page = await openMap(plain, "cpu");
    await page.locator("#map-canvas").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowUp");
    const readout = page.locator("#map-readout");
    expect(await readout.getAttribute("data-index")).toBe(String(1 * GRID.xn + 2));
    const count = libraryCounts()[1 * GRID.xn + 2];
    expect(await readout.textContent()).toMatch(
      new RegExp(`^amplitude = 2 µA/cm², gNa = 12.5 mS/cm²: rate .* Hz during the step, ${count} spikes? in the whole run`),
    );
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.body.dataset.view === "lab");
    expect(await page.locator("#ctl-amplitude").inputValue()).toBe("2");
    expect(await page.locator("#ctl-param-gNa").inputValue()).toBe("12.5");
    await page.close();
  });

  it("raised no uncaught error in any page", () => {
    expect(pageErrors).toEqual([]);
  });
});
