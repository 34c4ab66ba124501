/**
 * The browser lab in chromium, by hand: times of the live 50 ms run and of the f–I sweep as the
 * app measures them (performance.now() in the workers / page), and screenshots of each view.
 *
 *   npm run build:web && npx tsx bench/web-lab.ts [outDir]     (default out/web; needs /usr/bin/chromium)
 *
 * Writes <outDir>/browser-lab.png (the README's), lab.png, fi.png, error.png, hh1952.png and prints the timings.
 */
import { mkdirSync } from "node:fs";
import { launch, requireChromium, serve, settled } from "../test/e2e/harness.js";

const outDir = process.argv[2] ?? "out/web";
try {
  requireChromium();
} catch (e) {
  // one line with the install command, no stack trace
  console.error(`bench/web-lab: ${(e as Error).message}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
const served = await serve();
const browser = await launch();
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1]?.toFixed(2)} ms, min ${s[0]?.toFixed(2)}, max ${s[s.length - 1]?.toFixed(2)} (n = ${s.length})`;
};
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(served.url);
  await settled(page);
  const first = Number(await page.evaluate(() => document.body.dataset.labElapsedMs));
  // live runs: the lab's 50 ms run at 21 amplitudes, each awaited
  const live: number[] = [];
  for (let k = 0; k <= 20; k++) {
    await page.locator("#ctl-amplitude").fill(String(3 + k * 0.25));
    await settled(page);
    live.push(Number(await page.evaluate(() => document.body.dataset.labElapsedMs)));
  }
  await page.locator("#ctl-amplitude").fill("3");
  await page.locator("#ctl-amplitude").blur();
  await settled(page);
  console.log(`live 50 ms run (2,000 Euler steps, all variables recorded): first ${first.toFixed(2)} ms; then ${stats(live)}`);
  // the README's picture: the first screen of the live lab, with the refractory periods measured and drawn
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.waitForFunction(() => !document.body.textContent?.includes("measuring…"), undefined, { timeout: 60_000 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${outDir}/browser-lab.png` });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.locator("#ctl-currents").check();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${outDir}/lab.png`, fullPage: true });

  await page.locator("#tab-fi").click();
  const sweeps: number[] = [];
  for (let k = 0; k < 4; k++) {
    if (k) await page.locator("#fi-run").click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
      timeout: 120_000,
    });
    sweeps.push(Number(await page.evaluate(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiElapsedMs)));
    await page.evaluate(() => {
      const v = document.querySelector<HTMLElement>("#view-fi");
      if (v) v.dataset.fiState = "again";
    });
  }
  const workers = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(
    `f–I sweep, 51 amplitudes × 200 ms (8,000 Euler steps each), ${workers} cores: first ${sweeps[0]?.toFixed(0)} ms; then ${stats(sweeps.slice(1))}`,
  );
  await page.locator("#fi-overlay").selectOption("dt");
  await page.locator("#fi-run").click();
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#view-fi")?.dataset.fiState === "done", undefined, {
    timeout: 120_000,
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${outDir}/fi.png`, fullPage: true });

  await page.locator("#tab-lab").click();
  await page.locator("#ctl-currents").uncheck();
  await page.locator("#ctl-dt").fill("0.03");
  await settled(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${outDir}/error.png`, fullPage: true });

  await page.goto(`${served.url}?model=hh1952&amp=10&start=5&stop=45&dur=60&dt=0.01&p.celsius=10&currents=1`);
  await settled(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${outDir}/hh1952.png`, fullPage: true });
  console.log(`screenshots in ${outDir}/`);
} finally {
  await browser.close();
  await served.stop();
}
