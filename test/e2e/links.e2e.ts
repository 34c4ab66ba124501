/**
 * A link with values the page cannot use: each one is marked at its control in plain words, the rest of the
 * link loads and runs; a model loaded from a file (not stored in links) is named. Debian's chromium.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { settled, useLab } from "./harness.js";

const lab = useLab();

async function open(query: string): Promise<Page> {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${lab.served.url}${query}`);
  await settled(page);
  return page;
}

describe("a link with values that cannot be used", () => {
  it("?amp=abc&p.gNa=abc&dur=100 marks both fields, loads the duration and runs with the defaults", async () => {
    const page = await open("?amp=abc&p.gNa=abc&dur=100");
    expect(await page.locator("#ctl-amplitude-url").textContent()).toBe(
      'The link gave "abc" for the amplitude, which is not a number; the default 3 is used.',
    );
    expect(await page.locator("#ctl-param-gNa-url").textContent()).toContain("the parameter gNa, which is not a number");
    expect(await page.locator("#ctl-amplitude").inputValue()).toBe("3");
    expect(await page.locator("#ctl-duration").inputValue()).toBe("100");
    expect(await page.locator("#ctl-amplitude").getAttribute("aria-describedby")).toContain("ctl-amplitude-url");
    expect(await page.locator("#url-problems").textContent()).toContain("2 settings that could not be used");
    // the run happened with the rest of the link: spikes counted, no error banner, no JSON anywhere
    expect(await page.evaluate(() => document.body.dataset.labState)).toBe("ready");
    expect(Number(await page.locator("#spike-count").getAttribute("data-count"))).toBeGreaterThan(0);
    expect(await page.locator("#lab-error").isHidden()).toBe(true);
    // (the boxes with the equivalent command and library call show code on purpose)
    const shown = await page.locator("main").evaluate((m) => {
      const copy = m.cloneNode(true) as HTMLElement;
      for (const code of Array.from(copy.querySelectorAll(".equiv"))) code.remove();
      return copy.textContent;
    });
    expect(shown).not.toMatch(/[{}]/);
    await page.close();
  });
  it("editing a marked field clears its note", async () => {
    const page = await open("?amp=abc");
    await page.locator("#ctl-amplitude").fill("5");
    await settled(page);
    expect(await page.locator("#ctl-amplitude-url").count()).toBe(0);
    expect(await page.locator("#url-problems").count()).toBe(0);
    await page.close();
  });
  it("a model loaded from a file, named in a link, is said not to be stored in links", async () => {
    const page = await open("?model=my-cell&amp=5");
    expect(await page.locator("#ctl-model-file-url").textContent()).toContain(
      'names the model "my-cell", which is not built in: a model loaded from a file is not stored in links',
    );
    expect(await page.locator("#ctl-amplitude").inputValue()).toBe("5");
    await page.close();
  });
});

describe("the gates' voltage shifts", () => {
  it("wait behind a closed fold by default; a link that sets one, or gives a bad value, opens it", async () => {
    const fold = (page: Page) => page.locator("details.shifts");
    const plain = await open("");
    expect(await fold(plain).count()).toBe(1);
    expect(await fold(plain).getAttribute("open")).toBeNull();
    expect(await plain.locator("#ctl-param-vShift_m").isVisible()).toBe(false);
    await plain.close();
    const set = await open("?p.vShift_m=5");
    expect(await fold(set).getAttribute("open")).toBe("");
    expect(await set.locator("#ctl-param-vShift_m").inputValue()).toBe("5");
    await set.close();
    const bad = await open("?p.vShift_h=abc");
    expect(await fold(bad).getAttribute("open")).toBe("");
    expect(await bad.locator("#ctl-param-vShift_h-url").textContent()).toContain("the parameter vShift_h, which is not a number");
    await bad.close();
  });
});
