import { describe, expect, it } from "vitest";
import { useLab } from "./harness.js";

const lab = useLab();

describe("cancelling long work", () => {
  it("a long f–I sweep shows its progress, and Cancel stops it and says so", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}?view=fi&fi.n=400&fi.stop=2000&fi.dur=2000&dt=0.01`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "running");
    // the live lab's own first run (started on load, in its worker) reports to the same status line: let it land
    // first, so that the line read below is the cancellation's and not a later live-lab result
    await page.waitForFunction(() => document.body.dataset.labState === "ready", undefined, { timeout: 60_000 });
    expect(await page.locator("#view-fi").getAttribute("data-fi-state")).toBe("running");
    await page.locator("#fi-cancel").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "cancelled");
    expect(await page.locator("#fi-progress-text").textContent()).toBe("cancelled");
    expect(await page.locator("#status").textContent()).toBe("f–I sweep cancelled");
    expect(await page.locator("#fi-cancel").isHidden()).toBe(true);
    // a new sweep after the cancelled one runs to the end
    await page.locator("#fi-count").fill("5");
    await page.locator("#fi-run").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
      timeout: 60_000,
    });
    await page.close();
  });
  it("a parameter map on the CPU shows its progress bar, and Cancel stops it and says so", async () => {
    const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${lab.served.url}?view=map&map.backend=cpu&map.xn=120&map.yn=120&map.dur=1000&map.stop=1000`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-map")?.dataset.mapState === "running");
    expect(await page.locator("#map-progress").isVisible()).toBe(true);
    await page.locator("#map-cancel").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-map")?.dataset.mapState === "cancelled");
    expect(await page.locator("#map-timing").textContent()).toBe("cancelled");
    expect(await page.locator("#status").textContent()).toBe("Parameter map cancelled");
    await page.close();
  });
});
