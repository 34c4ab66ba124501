import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fiCurve, fiSpec, LAB_FI, labFiOptions, linspace, simulate } from "../src/index.js";
import { fiCurveOnThreads, fiThreads, KernelThreads } from "../src/node.js";
import { pairHelpers } from "../src/wasm/pairs.js";
import { wasmSimdAvailable } from "../src/wasm/run.js";

// Fused WebAssembly runs shared with helper threads (src/wasm/threads.ts; the worker is dist/'s, so
// `npm run build` first): the same spikes bit for bit as on one thread.

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

/** Spikes of a run, every field, compared with Object.is (−0, NaN and the last bit count). */
const spikesOf = (spec: ReturnType<typeof fiSpec>) => {
  const s = simulate(spec).spikes;
  return { t_ms: Array.from(s.t_ms), neuron: Array.from(s.neuron), count: Array.from(s.count) };
};

const threads = new KernelThreads(1, 0); // every run shared, however small
afterAll(async () => {
  pairHelpers.current = undefined;
  await threads.close();
});

describe.runIf(wasmSimdAvailable)("fused runs on two threads", () => {
  it.each([
    ["rk4", 0.01, 51],
    ["euler", 0.025, 51],
    ["euler", 0.025, 7], // odd: a padding lane in the last pair
    ["exp-euler", 0.025, 40],
  ])("%s, dt %s ms, %s amplitudes: the spikes of the one-thread run, bit for bit, with both threads taking chunks", (method, dt, n) => {
    const spec = fiSpec({ ...labFiOptions(), amplitudes: linspace(0, 10, n), method, dt_ms: dt });
    pairHelpers.current = undefined;
    const one = spikesOf(spec);
    expect(one.t_ms.length).toBeGreaterThan(100);
    pairHelpers.current = threads;
    // both threads take chunks once the helper has started (the first run may finish before it has;
    // a small one may go to either thread whole): runs until a run is shared out
    const mixed = () => threads.lastShare.byHelpers > 0 && threads.lastShare.byHelpers < threads.lastShare.chunks;
    let shared = spikesOf(spec);
    for (let i = 0; i < 50 && !mixed(); i++) shared = spikesOf(spec);
    pairHelpers.current = undefined;
    expect(mixed()).toBe(true);
    expect(shared.count).toEqual(one.count);
    expect(shared.neuron).toEqual(one.neuron);
    expect(shared.t_ms.every((t, i) => Object.is(t, one.t_ms[i]))).toBe(true);
    expect(shared.t_ms).toHaveLength(one.t_ms.length);
  });

  it("a run that diverges on two threads throws the one-thread run's error", () => {
    // forward Euler at dt 0.2 ms leaves the physical range (as `spikelab run --dt-ms 0.2` does)
    const spec = fiSpec({ ...labFiOptions(), amplitudes: linspace(0, 10, 20), dt_ms: 0.2 });
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    pairHelpers.current = undefined;
    const one = message(() => simulate(spec));
    expect(one).toMatch(/^simulation diverged at t = /);
    pairHelpers.current = threads;
    const two = message(() => simulate(spec));
    pairHelpers.current = undefined;
    expect(two).toBe(one);
  });

  it("fiCurveOnThreads gives fiCurve's converged lab curve (RK4, dt 0.01 ms), every field, and leaves no helpers set", () => {
    const o = { ...labFiOptions(), method: "rk4", dt_ms: 0.01 };
    expect(fiCurveOnThreads(o, 2)).toEqual(fiCurve(o));
    expect(pairHelpers.current).toBeUndefined();
    expect(fiCurveOnThreads(o, 1)).toEqual(fiCurve(o));
  });

  it("workers = 1 keeps the curve on this thread, whatever helpers were set", () => {
    let shared = 0;
    const o = { ...labFiOptions(), method: "rk4", dt_ms: 0.01 };
    // helpers that would take every run of this thread
    pairHelpers.current = {
      helpers: 1,
      minNeuronSteps: 0,
      share: () => {
        shared++;
        throw new Error("shared");
      },
    };
    let one: ReturnType<typeof fiCurve>;
    try {
      one = fiCurveOnThreads(o, 1);
      expect(shared).toBe(0);
      expect(pairHelpers.current?.helpers).toBe(1); // set back afterwards
      expect(() => fiCurve(o)).toThrow("shared");
    } finally {
      pairHelpers.current = undefined;
    }
    expect(one).toEqual(fiCurve(o));
  });

  it.each([0, 1.5, 10_000])("fiThreads refuses workers = %s in one line", (w) => {
    expect(() => fiThreads(w)).toThrow(/^workers must be a whole number in \[1, \d+\] \(4 × this machine's \d+ cores\); got /);
  });
});

describe.runIf(wasmSimdAvailable)("spikelab fi on two threads", () => {
  it("`fi --method rk4 --dt-ms 0.01 --json`: --workers 2 prints what --workers 1 prints, byte for byte", () => {
    const args = ["fi", "--method", "rk4", "--dt-ms", "0.01", "--json"];
    const one = cli(...args, "--workers", "1");
    const two = cli(...args, "--workers", "2");
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(two.stdout).spike_counts).toHaveLength(LAB_FI.steps);
  });

  it.each(["0", "abc", "1.5"])("--workers %s: a one-line error, exit 2", (w) => {
    const r = cli("fi", "--method", "rk4", "--dt-ms", "0.01", "--json", "--workers", w);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^spikelab: --workers must be /);
  });
});
