/**
 * A model with a GHK channel in the browser lab (test/fixtures/models/hh-ghk-calcium.json, loaded as a model file):
 * it runs as the library runs it; its permeability PCaT is a sidebar parameter in cm/s; the equivalent command, run
 * with the CLI on the same file, gives the view's spike count; the blockers hit Na and K and leave the GHK calcium
 * channel; the Dynamics view draws its diagram with the library's Hopf point (it could not before: the dynamics'
 * currents were ohmic only); the pool's concentration cai (mM) has its own plot, not the gates' 0–1 axis, and that
 * plot goes when the model has no pool; the stacked plots' time axes line up (one y-axis width). Screenshots: docs/review/ghk-lab.png, docs/review/ghk-dynamics.png.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../../src/dynamics/diagram.js";
import { blockParameters, simulate } from "../../src/index.js";
import { readModelFile } from "../../src/io/modelFile.js";
import { REVIEW, settled, useLab } from "./harness.js";

const MODELS = fileURLToPath(new URL("../fixtures/models/", import.meta.url));
const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const model = readModelFile(`${MODELS}hh-ghk-calcium.json`);

let page: Page;
const pageErrors: string[] = [];

const lab = useLab({ review: true });

beforeAll(async () => {
  page = await lab.browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${lab.served.url}/?amp=10&stop=45`);
  await settled(page);
  await page.locator("#ctl-model-file").setInputFiles(`${MODELS}hh-ghk-calcium.json`);
  await page.waitForFunction(() => document.querySelector<HTMLSelectElement>("#ctl-model")?.value === "file:hh-ghk-calcium");
  await settled(page);
}, 120_000);

/** Waits for the live lab's equivalent command to contain `text` (it follows the settings), and returns it. */
const commandWith = async (text: string, absent = false): Promise<string> => {
  await page.waitForFunction(
    ([t, not]) => (document.querySelector("#equiv-lab-command")?.textContent?.includes(t as string) ?? false) !== not,
    [text, absent] as const,
  );
  await settled(page);
  return (await page.locator("#equiv-lab-command").textContent()) as string;
};
/** The series names in a plot's legend (after the x series). */
const legend = async (id: string) => (await page.locator(`#${id} .u-legend .u-label`).allTextContents()).slice(1);
const spikes = async () => Number(await page.locator("#spike-count").getAttribute("data-count"));
/** The library's run of the page's protocol (10 µA/cm² on [10, 45) ms, 50 ms, euler at 0.025 ms). */
const library = (parameters: Record<string, number>) =>
  simulate({
    model,
    parameters,
    stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 45 },
    duration_ms: 50,
    dt_ms: 0.025,
  }).spikes.count[0];
/** Splits a shell command as commandLine.ts writes it (plain words and single-quoted ones). */
const words = (command: string) => (command.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ""));
/** Runs the equivalent command with the CLI in the fixtures folder (where the model's JSON file is). */
const runCli = (command: string) => {
  const [head, ...args] = words(command);
  expect(head).toBe("spikelab");
  return JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--json"], { cwd: MODELS, encoding: "utf8" })) as {
    spike_times_ms: number[];
  };
};

describe("a GHK model in the browser lab", () => {
  it("runs as the library runs it, and shows its permeability PCaT in cm/s among the parameters", async () => {
    const n = await spikes();
    expect(n).toBe(library({}));
    expect(n).toBeGreaterThan(1);
    const field = page.locator("#ctl-param-PCaT");
    expect(Number(await field.inputValue())).toBe(2e-6);
    const row = page.locator("#ctl-param-PCaT").locator("xpath=ancestor::*[contains(@class,'field')][1]");
    expect(await row.textContent()).toContain("cm/s");
    // no conductance or reversal parameter for the GHK channel
    expect(await page.locator("#ctl-param-gCaT").count()).toBe(0);
    expect(await page.locator("#ctl-param-ECaT").count()).toBe(0);
    await commandWith("--model hh-ghk-calcium.json");
    await page.screenshot({ path: `${REVIEW}ghk-lab.png`, fullPage: true });
  });

  it("draws the pool's cai (mM) in its own plot, not among the gates (0–1), and drops that plot for hh1952", async () => {
    expect(await legend("plot-gates")).toEqual(["m", "h", "n", "mc", "hc"]);
    expect(await legend("plot-pools")).toEqual(["cai"]);
    const [dl] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download the concentration plot as SVG" }).click(),
    ]);
    const svg = readFileSync((await dl.path()) as string, "utf8");
    expect(svg).toContain(">cai (mM)</text>");
    expect(svg).toContain(">Inside concentration (pool)</text>");
    // the model without a pool: no concentration plot, its gates alone; back to the file's model: the plot again
    await page.locator("#ctl-model").selectOption("hh1952");
    await settled(page);
    expect(await page.locator("#plot-pools").count()).toBe(0);
    expect(await legend("plot-gates")).toEqual(["m", "h", "n"]);
    await page.locator("#ctl-model").selectOption("file:hh-ghk-calcium");
    await settled(page);
    expect(await legend("plot-pools")).toEqual(["cai"]);
    expect(await legend("plot-gates")).toEqual(["m", "h", "n", "mc", "hc"]);
  });

  it("the stacked plots (V, gates, cai, currents) line up their time axes at phone, tablet and desktop widths", async () => {
    await page.locator("#ctl-currents").check();
    await settled(page);
    const ids = ["plot-v", "plot-gates", "plot-pools", "plot-currents"];
    for (const [width, height] of [
      [390, 844],
      [820, 1180],
      [1400, 1100],
    ] as const) {
      await page.setViewportSize({ width, height });
      // the plots follow their boxes' widths (ResizeObserver) and lay out in a microtask: two frames
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const boxes = await page.evaluate(
        (names) =>
          names.map((id) => {
            const over = document.querySelector(`#${id} .u-over`)?.getBoundingClientRect();
            const ticks = Array.from(document.querySelectorAll(`#${id} .u-axis`))[1]?.getBoundingClientRect();
            return { id, left: over?.left, right: over?.right, axisLeft: ticks?.left };
          }),
        ids,
      );
      const [v, ...below] = boxes;
      for (const b of below) {
        const at = `${b.id} at ${width} px: ${JSON.stringify(boxes)}`;
        expect(Math.abs((b.left as number) - (v?.left as number)), at).toBeLessThanOrEqual(1);
        expect(Math.abs((b.right as number) - (v?.right as number)), at).toBeLessThanOrEqual(1);
      }
      // the y axis (tick labels and name) stays inside the page: nothing clipped at the left edge
      for (const b of boxes) expect(b.axisLeft).toBeGreaterThanOrEqual(0);
    }
    await page.locator("#ctl-currents").uncheck();
    await settled(page);
  });

  it("the equivalent command names the file and PCaT, and the CLI run of it gives the view's spike count", async () => {
    await page.locator("#ctl-param-PCaT").fill("4e-5");
    const command = await commandWith("--param PCaT=0.00004");
    expect(command).toContain("--model hh-ghk-calcium.json");
    const n = await spikes();
    expect(n).toBe(library({ PCaT: 4e-5 }));
    expect(runCli(command).spike_times_ms.length).toBe(n);
  });

  it("TTX and TEA hit Na and K, not the GHK calcium channel: notes, runs and the command's --block", async () => {
    expect(await page.textContent("#ctl-block-ttx-note")).toBe("Off (would block gNa 120 mS/cm²).");
    expect(await page.textContent("#ctl-block-tea-note")).toBe("Off (would block gK 36 mS/cm²).");
    expect(await page.isDisabled("#ctl-block-ttx")).toBe(false);
    await page.click("#ctl-block-tea");
    const command = await commandWith("--block TEA=1");
    expect(await page.textContent("#ctl-block-tea-note")).toBe("Blocks 100 %: gK 36 → 0 mS/cm².");
    const blocked = blockParameters(model, { TEA: 1 }, { PCaT: 4e-5 });
    expect(blocked).toEqual({ gK: 0, PCaT: 4e-5 });
    const n = await spikes();
    expect(n).toBe(library(blocked));
    expect(runCli(command).spike_times_ms.length).toBe(n);
    await page.click("#ctl-block-tea");
    await commandWith("--block", true);
    await page.locator("#ctl-param-PCaT").fill("2e-6");
    await commandWith("PCaT", true);
  });

  it("the Dynamics view draws the diagram with the library's Hopf point and the phase plane (V, hc)", async () => {
    await page.click("#tab-dynamics");
    await page.waitForSelector("#dyn-diagram svg", { timeout: 120_000 });
    await page.waitForSelector("#dyn-plane svg", { timeout: 60_000 });
    expect(await page.isVisible("#dyn-error")).toBe(false);
    const from = Number(await page.inputValue("#dyn-from"));
    const to = Number(await page.inputValue("#dyn-to"));
    const lib = bifurcationDiagram(model, { from, to });
    const hopf = lib.points.find((p) => p.name === "Hopf (subcritical)")?.p as number;
    expect(hopf).toBeGreaterThan(0);
    const note = (await page.textContent("#dyn-note")) ?? "";
    console.log(
      "NOTE",
      from,
      to,
      note,
      await page
        .locator("#equiv-dynamics-command")
        .textContent()
        .catch(() => ""),
    );
    expect(note).toContain(lib.excitability.class);
    expect(note).toContain(hopf.toPrecision(6));
    const plane = (await page.textContent("#dyn-plane")) ?? "";
    expect(plane).toContain("stable");
    expect(plane).toContain("hc");
    await page.screenshot({ path: `${REVIEW}ghk-dynamics.png`, fullPage: true });
  });

  it("raised no uncaught error", () => {
    expect(pageErrors).toEqual([]);
  });
});
