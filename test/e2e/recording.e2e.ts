/**
 * "Analyze a recording" in the browser lab: a file chosen or dropped is measured in the page by the library
 * (the same code as `spikelab analyze --trace`); the expected numbers come from the library run here in Node.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { analyzeSweep, fiOfSweeps } from "../../src/analysis/sweep.js";
import { openRecording } from "../../src/io/recordings/open.js";
import { settled, useLab } from "./harness.js";

const pageErrors: string[] = [];
const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

const lab = useLab();

async function open(): Promise<Page> {
  const page = await lab.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(lab.served.url);
  await settled(page);
  return page;
}

describe("analyze a recording in the browser lab", () => {
  it("an ABF step protocol chosen with the file input gives the library's table and f–I summary, and its figure", async () => {
    const page = await open();
    await page.setInputFiles("#recording-file", fixture("abf/File_axon_5.abf"));
    await page.waitForSelector("#recording-table tr:nth-child(10)");
    const rec = await openRecording(fixture("abf/File_axon_5.abf"));
    const sweeps = rec.sweeps.map((s) => analyzeSweep(s));
    const rows = await page.locator("#recording-table tr").allTextContents();
    expect(rows).toHaveLength(10);
    const counts = (await page.locator("#recording-table tr td:nth-child(3)").allTextContents()).map(Number);
    expect(counts).toEqual(sweeps.map((s) => s.spike_times_ms.length));
    const fi = fiOfSweeps(sweeps, [...rec.sweeps.keys()]);
    expect(await page.locator("#recording-fi").textContent()).toContain(`rheobase (smallest step that fires) ${fi?.rheobase_estimate} pA`);
    expect(await page.locator("#recording-figure svg").count()).toBeGreaterThan(0);
    expect(await page.locator("#recording-figure").textContent()).toContain("File_axon_5.abf — sweep 6 (step 200.0 pA)");
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("a text trace dropped onto the live lab is measured; a bad file is the library's one-line message", async () => {
    const page = await open();
    const text = readFileSync(fixture("efel/basic/spike_outside_stim.txt"), "utf8");
    const drop = (name: string, content: string) =>
      page.evaluate(
        ([n, c]) => {
          const dt = new DataTransfer();
          dt.items.add(new File([c as string], n as string, { type: "text/plain" }));
          document.querySelector("#view-lab")?.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
        },
        [name, content],
      );
    await drop("spike_outside_stim.txt", text);
    await page.waitForSelector("#recording-table tr:nth-child(2)");
    const rec = await openRecording(fixture("efel/basic/spike_outside_stim.txt"));
    const a = analyzeSweep(rec.sweeps[0]!);
    expect((await page.locator("#recording-table tr td:nth-child(3)").allTextContents()).map(Number)).toEqual([a.spike_times_ms.length]);
    expect(await page.locator("#recording-summary").textContent()).toContain("no header: columns read as time (ms) and voltage (mV)");
    await drop("bad.txt", "0 -65\n0.2 -64\n0.1 -63\n");
    await page.waitForSelector("#recording-error:not([hidden])");
    expect(await page.locator("#recording-error").textContent()).toBe(
      "bad.txt line 3: time must be non-decreasing (the line before has 0.2; is the first column time?); got 0.1",
    );
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
