/**
 * The WebGPU backend in Node through the optional `webgpu` package (Dawn), driven through the CLI
 * as users run it. Dawn needs a Vulkan driver: a real GPU's, or — on machines without one, like
 * CI — the SwiftShader Vulkan driver and loader that Debian's chromium ships in /usr/lib/chromium.
 * Where neither exists, the Dawn tests report themselves skipped with the reason in their name.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SweepOutput } from "../src/sweep/output.js";
import { parseSweepSpec } from "../src/sweep/spec.js";
import { labReference } from "./helpers/reference.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "dist/cli/main.js");
const swiftshader = "/usr/lib/chromium";
/** The environment that gives Dawn a Vulkan adapter here: the system's, else chromium's SwiftShader. */
const gpuEnv: NodeJS.ProcessEnv = existsSync(join(swiftshader, "vk_swiftshader_icd.json"))
  ? {
      ...process.env,
      LD_LIBRARY_PATH: [swiftshader, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      VK_DRIVER_FILES: join(swiftshader, "vk_swiftshader_icd.json"),
    }
  : process.env;
/** No Vulkan loader at all: an empty library path and no driver files. */
const noGpuEnv: NodeJS.ProcessEnv = { ...process.env, LD_LIBRARY_PATH: "", VK_DRIVER_FILES: "/nonexistent.json" };

const run = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env, cwd: root });

const probe = spawnSync(
  process.execPath,
  [
    "--input-type=module",
    "-e",
    'const m = await import("./dist/node.js"); const g = await m.requestNodeGpu(); console.log(JSON.stringify({ adapter: g.adapter, reason: g.reason })); g.device?.destroy();',
  ],
  { encoding: "utf8", env: gpuEnv, cwd: root },
);
const found = JSON.parse(probe.stdout.trim().split("\n").pop() || "{}") as { adapter?: string; reason?: string };
const title = found.adapter ? `Dawn in Node on ${found.adapter}` : `Dawn in Node (skipped: ${found.reason ?? probe.stderr.split("\n")[0]})`;

describe.skipIf(!found.adapter)(title, () => {
  it("`spikelab fi --backend gpu --json` gives the lab's 51 reference counts, marked f32", () => {
    const r = run(gpuEnv, "fi", "--backend", "gpu", "--json");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.precision).toBe("f32");
    expect(out.backend).toBe("gpu");
    expect(out.spike_counts).toEqual(labReference().experiment_2_fi.spike_counts);
    expect(r.stderr).toMatch(/^spikelab: running on the GPU \(WebGPU: .+\) in f32; results are marked precision f32\n$/);
  });

  it("`spikelab sweep --backend gpu` prints the CPU sweep's table with a precision column (gNa × amplitude)", () => {
    const args = ["sweep", "--param", "gNa=40,60", "--amplitude", "0:10:1", "--duration-ms", "100", "--start-ms", "20", "--stop-ms", "100"];
    const g = run(gpuEnv, ...args, "--backend", "gpu");
    const c = run(gpuEnv, ...args, "--backend", "cpu");
    expect(g.status, g.stderr).toBe(0);
    const gl = g.stdout.trim().split("\n");
    const cl = c.stdout.trim().split("\n");
    expect(gl[0]).toBe(`${cl[0]},precision`);
    const counts = (lines: string[]) => lines.slice(1).map((l) => l.split(",").slice(0, 5).join(","));
    expect(counts(gl)).toEqual(counts(cl)); // index, gNa, amplitude, spike_count, rate_Hz
    for (const l of gl.slice(1)) expect(l.endsWith(",f32")).toBe(true);
  });

  it("a GPU sweep file says f32 in every row and cannot be resumed on the CPU", () => {
    const out = join(mkdtempSync(join(tmpdir(), "spikelab-gpu-")), "fi.csv");
    const r = run(gpuEnv, "fi", "--backend", "gpu", "--steps", "11", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("index,amplitude_uA_per_cm2,spike_count,rate_Hz,first_spike_latency_ms,precision");
    expect(lines).toHaveLength(12);
    for (const l of lines.slice(1)) expect(l.endsWith(",f32")).toBe(true);
    const resumed = run(gpuEnv, "fi", "--backend", "cpu", "--steps", "11", "--out", out, "--resume");
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toMatch(/cannot resume .* another sweep spec/);
  });
});

describe("without a GPU", () => {
  it("`spikelab fi --backend gpu` says why in one line and runs on the CPU", () => {
    const r = run(noGpuEnv, "fi", "--backend", "gpu", "--json");
    expect(r.status).toBe(0);
    // one line from spikelab (a Vulkan loader without a driver may add Dawn's own warnings around it)
    expect(r.stderr.match(/^spikelab: .*$/gm)).toEqual([
      expect.stringMatching(/^spikelab: GPU backend unavailable: .+; running on the CPU in f64$/),
    ]);
    const out = JSON.parse(r.stdout);
    expect(out.precision).toBeUndefined();
    expect(out.spike_counts).toEqual(labReference().experiment_2_fi.spike_counts);
  });

  it("`--backend gpu` with a method the GPU does not run is an error naming it", () => {
    const r = run(noGpuEnv, "sweep", "--backend", "gpu", "--method", "rk45", "--amplitude", "1");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'spikelab: --method with --backend gpu must be one of euler, exp-euler, backward-euler, rk4 (or --backend cpu); got "rk45"\n',
    );
  });

  it("`--backend auto` keeps a small job on the CPU without trying the GPU", () => {
    const r = run(gpuEnv, "fi", "--backend", "auto", "--json");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).precision).toBeUndefined();
  });

  it("an f32 sweep written as JSON keeps `precision` as a column of strings and in its spec", () => {
    const spec = parseSweepSpec({
      dt_ms: 0.025,
      duration_ms: 10,
      start_ms: 0,
      stop_ms: 10,
      axes: [{ name: "amplitude", values: [1, 2] }],
      precision: "f32",
    });
    const path = join(mkdtempSync(join(tmpdir(), "spikelab-f32-")), "map.json");
    const out = new SweepOutput(path, spec);
    out.append({
      index: Int32Array.of(1, 0),
      spike_count: Float64Array.of(2, 1),
      rate_Hz: Float64Array.of(200, 100),
      first_spike_latency_ms: Float64Array.of(1.5, Number.NaN),
    });
    out.finish();
    const json = JSON.parse(readFileSync(path, "utf8"));
    expect(json.spec.precision).toBe("f32");
    expect(json.precision).toEqual(["f32", "f32"]);
    expect(json.spike_count).toEqual([1, 2]);
    expect(json.first_spike_latency_ms).toEqual([null, 1.5]);
  });
});
