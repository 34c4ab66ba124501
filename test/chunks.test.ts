import { describe, expect, it } from "vitest";
import { chunkSize, planChunks } from "../src/index.js";
import { planBatches } from "../src/sweep/run.js";
import { parseSweepSpec } from "../src/sweep/spec.js";

describe("the one chunk rule (CLI sweep engine and the web app's worker pools)", () => {
  it("about perWorker chunks per worker, within [min, max]", () => {
    expect(chunkSize(51, 2)).toBe(7); // ⌈51 / 8⌉
    expect(chunkSize(160_000, 2, { perWorker: 8, min: 16, max: 4096 })).toBe(4096);
    expect(chunkSize(100, 8, { perWorker: 8, min: 16, max: 4096 })).toBe(16);
    expect(chunkSize(0, 4)).toBe(1);
  });

  it("chunks cover every item once, in order, the last one shorter", () => {
    const c = planChunks(51, 2);
    expect(c[0]).toEqual({ from: 0, to: 7 });
    expect(c[c.length - 1]).toEqual({ from: 49, to: 51 });
    expect(c.flatMap(({ from, to }) => Array.from({ length: to - from }, (_, k) => from + k))).toEqual(
      Array.from({ length: 51 }, (_, i) => i),
    );
    expect(planChunks(0, 3)).toEqual([]);
  });

  it("the sweep engine's batches: the points still to do, guided (full batch_size, then shrinking to an eighth of it)", () => {
    const spec = parseSweepSpec({
      dt_ms: 0.025,
      duration_ms: 50,
      start_ms: 10,
      stop_ms: 20,
      axes: [{ name: "amplitude", values: Array.from({ length: 100 }, (_, i) => i / 10) }],
      batch_size: 10,
    });
    const b = planBatches(spec, 2, new Set([0, 1]));
    // batch_size below 64: equal batches of batch_size, the last one shorter
    expect(b.map((x) => x.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 8]);
    expect(b[0]?.[0]).toBe(2);
    // 100,000 points on 2 workers: 41 batches of 2048, then shorter ones, the last ones 256 (or a joined rest)
    const big = parseSweepSpec({
      ...spec,
      axes: [{ name: "gNa", values: Array.from({ length: 100_000 }, (_, i) => 30 + i / 2500) }],
      batch_size: 2048,
    });
    const sizes = planBatches(big, 2).map((x) => x.length);
    expect(sizes.slice(0, 41)).toEqual(new Array(41).fill(2048));
    const tail = sizes.slice(41, -1);
    expect(tail.every((n, k) => n < 2048 && n >= 256 && (k === 0 || n <= (tail[k - 1] as number)))).toBe(true);
    expect(sizes.at(-1)).toBeLessThan(2 * 256); // a rest shorter than 256, joined to the last batch
    expect(sizes.at(-2)).toBe(256);
    expect(sizes.reduce((a, n) => a + n, 0)).toBe(100_000);
    // a few points: the old equal chunks (51 on 2 workers: ⌈51 / 8⌉ = 7, the rest of 2 joined to the last)
    const few = parseSweepSpec({ ...spec, axes: [{ name: "amplitude", values: Array.from({ length: 51 }, (_, i) => i / 5) }] });
    expect(planBatches(few, 2).map((x) => x.length)).toEqual([7, 7, 7, 7, 7, 7, 9]);
  });
});
