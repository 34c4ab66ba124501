/**
 * The live lab's update latency in chromium, as a student feels it: from a new amplitude typed into the field to
 * the next painted frame after the run is shown (worker run + annotations + label placement + drawing), over 21
 * amplitudes of the lab's 50 ms run, each awaited; and the model switch (lab → hh1952 → lab) the same way.
 *
 *   npm run build:web && npx tsx bench/web-latency.ts      (needs /usr/bin/chromium)
 */
import { launch, requireChromium, serve, settled } from "../test/e2e/harness.js";

requireChromium();
const served = await serve();
const browser = await launch();
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[s.length >> 1]?.toFixed(1)} ms, min ${s[0]?.toFixed(1)}, max ${s[s.length - 1]?.toFixed(1)} (n = ${s.length})`;
};
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(served.url);
  await settled(page);
  /** ms from an input event to the first frame painted after the page shows the run it asked for. */
  // a string, so that tsx's helper names (__name) do not reach the page
  const timeIt = (sel: string, value: string): Promise<number> =>
    page.evaluate(`new Promise((resolve) => {
      const input = document.querySelector(${JSON.stringify(sel)});
      const t0 = performance.now();
      input.value = ${JSON.stringify(value)};
      input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
      const poll = () => {
        const d = document.body.dataset;
        if (d.labRequested !== undefined && d.labRequested === d.labShown) requestAnimationFrame(() => resolve(performance.now() - t0));
        else setTimeout(poll, 0);
      };
      poll();
    })`);
  const live: number[] = [];
  for (let k = 0; k <= 20; k++) live.push(await timeIt("#ctl-amplitude", String(3 + k * 0.25)));
  const models: number[] = [];
  for (let k = 0; k < 6; k++) models.push(await timeIt("#ctl-model", k % 2 ? "lab" : "hh1952"));
  console.log(`amplitude change → painted: ${stats(live)}`);
  console.log(`model switch → painted: ${stats(models)}`);
} finally {
  await browser.close();
  await served.stop();
}
