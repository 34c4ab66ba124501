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

  it("the sweep engine's batches are these chunks of the points still to do, capped at batch_size", () => {
    const spec = parseSweepSpec({
      dt_ms: 0.025,
      duration_ms: 50,
      start_ms: 10,
      stop_ms: 20,
      axes: [{ name: "amplitude", values: Array.from({ length: 100 }, (_, i) => i / 10) }],
      batch_size: 10,
    });
    const b = planBatches(spec, 2, new Set([0, 1]));
    expect(b.map((x) => x.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 8]);
    expect(b[0]?.[0]).toBe(2);
  });
});
