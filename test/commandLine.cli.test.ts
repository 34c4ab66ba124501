/**
 * The command and library call a browser-lab view shows (web/src/commandLine.ts) compute the same numbers as the
 * view: the built CLI (`node dist/cli/main.js`, needs `npm run build`) run with the shown words, and the shown call
 * evaluated, against the library run that the view makes from the same state (runSpec for the live lab, the f–I
 * panel's options for the sweep).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { vectorField } from "../src/dynamics/field.js";
import { phasePlane } from "../src/dynamics/phasePlane.js";
import { fiCurve, linspace } from "../src/experiments/fi.js";
import { pairedPulse } from "../src/experiments/pairedPulse.js";
import { voltageClamp } from "../src/experiments/voltageClamp.js";
import { resolveModel } from "../src/models/index.js";
import { simulate } from "../src/simulate.js";
import { runBatch } from "../src/sweep/batch.js";
import { parseSweepSpec } from "../src/sweep/spec.js";
import { equivalentOf } from "../web/src/commandLine.js";
import { fromQuery, runSpec } from "../web/src/state.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

/** The words of a shown command (plain words and '…' quoted ones, as shellWord writes them). */
function words(command: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string));
  return out;
}

/** Runs the shown `spikelab …` command with --json. */
function runShown(command: string): Record<string, unknown> {
  const [head, ...all] = words(command);
  const out = all.indexOf("--out");
  const args = out < 0 ? all : [...all.slice(0, out), ...all.slice(out + 2)];
  expect(head).toBe("spikelab");
  return JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--json"], { encoding: "utf8", maxBuffer: 1 << 28 }));
}

/** Evaluates a shown library call (its import line replaced by the library's functions). */
function evalCall<T>(call: string, result: string): T {
  const body = call.replace(/^import .*;\n/gm, "");
  return new Function("simulate", "fiCurve", "linspace", "parseSweepSpec", "runBatch", `${body}\nreturn ${result};`)(
    simulate,
    fiCurve,
    linspace,
    parseSweepSpec,
    runBatch,
  ) as T;
}

describe.each([
  ["the lab's experiment 1", ""],
  ["gNa 40 mS/cm² at 10 µA/cm² with rk4", "p.gNa=40&amp=10&method=rk4&dt=0.01"],
  ["hh1952 on a long run (sampled)", "model=hh1952&dur=600&start=20&stop=520&amp=8"],
])("the live lab's command and call, %s", (_name, query) => {
  const s = fromQuery(query);
  const view = simulate(runSpec(s));
  const e = equivalentOf("lab", s);
  it("the CLI command gives the view's spike times and voltage trace", () => {
    expect(view.spikes.t_ms.length, "the run fires").toBeGreaterThan(0);
    const cli = runShown(e.command) as { spike_times_ms: number[]; V_mV: number[]; t_ms: number[] };
    expect(cli.spike_times_ms).toEqual(Array.from(view.spikes.t_ms));
    expect(cli.t_ms.length).toBe(view.t_ms.length);
    expect(cli.V_mV).toEqual(Array.from((view.traces.V as Float64Array[])[0] as Float64Array));
  });
  it("the library call gives the view's spike times", () => {
    const run = evalCall<ReturnType<typeof simulate>>(e.call, "run");
    expect(Array.from(run.spikes.t_ms)).toEqual(Array.from(view.spikes.t_ms));
  });
});

describe.each([
  ["the lab's experiment 2 (coarse)", "fi.n=11"],
  ["gK 20 mS/cm², 0–20 µA/cm² with rk4", "p.gK=20&fi.to=20&fi.n=9&method=rk4"],
])("the f–I view's command and call, %s", (_name, query) => {
  const s = fromQuery(query);
  // the options the f–I panel (web/src/panels/fi.ts run()) gives the library
  const view = fiCurve({
    model: s.model,
    parameters: { ...s.params },
    amplitudes: Array.from(linspace(s.fi.from, s.fi.to, s.fi.count)),
    start_ms: s.fi.start,
    stop_ms: s.fi.stop,
    duration_ms: s.fi.duration,
    dt_ms: s.dt,
    method: s.method,
  });
  const e = equivalentOf("fi", s);
  it("the CLI command gives the view's amplitudes, spike counts and rates", () => {
    const cli = runShown(e.command) as { amplitudes_uA_per_cm2: number[]; spike_counts: number[]; rates_Hz: number[] };
    expect(cli.amplitudes_uA_per_cm2).toEqual(Array.from(view.amplitudes_uA_per_cm2));
    expect(cli.spike_counts).toEqual(Array.from(view.spike_counts));
    expect(cli.rates_Hz).toEqual(Array.from(view.rates_Hz));
  });
  it("the library call gives the view's spike counts", () => {
    const fi = evalCall<ReturnType<typeof fiCurve>>(e.call, "fi");
    expect(Array.from(fi.spike_counts)).toEqual(Array.from(view.spike_counts));
  });
});

describe("the parameter map's command and call", () => {
  // a small map: gK × amplitude with gNa fixed at 60 (the map's own spec as web/src/map.ts grid() makes it)
  const s = fromQuery("map.x=amplitude&map.x0=0&map.x1=15&map.xn=4&map.y=gK&map.y0=5&map.y1=15&map.yn=3&p.gNa=60&map.dur=100&map.stop=100");
  const m = s.map;
  const view = runBatch(
    parseSweepSpec({
      model: s.model,
      method: s.method,
      dt_ms: s.dt,
      duration_ms: m.duration,
      start_ms: m.start,
      stop_ms: m.stop,
      parameters: { gNa: 60 },
      axes: [
        { name: m.y, values: Array.from(linspace(m.yFrom, m.yTo, m.yCount)) },
        { name: m.x, values: Array.from(linspace(m.xFrom, m.xTo, m.xCount)) },
      ],
    }),
    Array.from({ length: 12 }, (_, i) => i),
  );
  const e = equivalentOf("map", s);
  it("the CLI command sweeps the view's grid, bit for bit, to the same spike counts", () => {
    const cli = runShown(e.command) as { spec: { axes: { values: number[] }[] }; spike_count: number[] };
    expect(cli.spec.axes.map((a) => a.values)).toEqual([Array.from(linspace(5, 15, 3)), Array.from(linspace(0, 15, 4))]);
    expect(cli.spike_count).toEqual(Array.from(view.spike_count));
    expect(Math.max(...cli.spike_count), "the map fires somewhere").toBeGreaterThan(0);
  });
  it("the library call gives the same spike counts", () => {
    const map = evalCall<ReturnType<typeof runBatch>>(e.call, "map");
    expect(Array.from(map.spike_count)).toEqual(Array.from(view.spike_count));
  });
});

describe("the voltage clamp's command", () => {
  it("runs (node -e of the library call, from the repository: `spikelab` resolves to this package) to the panel's currents", () => {
    const s = fromQuery("model=hh1952&ttx=1");
    const e = equivalentOf("clamp", s, { holding: -80, from: -40, to: 20, by: 30 });
    const [node, ...args] = words(e.command);
    expect(node).toBe("node");
    const root = fileURLToPath(new URL("../", import.meta.url));
    const cli = JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 28 }));
    // what the panel (web/src/panels/clamp.ts) computes: the lab's TTX (a full block) sets gNa to 0
    const view = voltageClamp({ model: "hh1952", holding_mV: -80, steps_mV: [-40, -10, 20], parameters: { gNa: 0 } });
    expect(cli).toEqual(JSON.parse(JSON.stringify(view)));
  });
});

describe("the dynamics view's phase-plane command", () => {
  it("gives the fixed points the view's worker (web/src/dynamics.worker.ts) finds", () => {
    const s = fromQuery("amp=3&p.gK=12");
    const plane = equivalentOf("dynamics", s).command.split("\n")[1] as string;
    const out = mkdtempSync(join(tmpdir(), "spikelab-pp-"));
    const cli = runShown(`${plane} --out ${out}`) as { fixed_points: { V_mV: number; n: number; type: string }[] };
    const view = phasePlane(vectorField(resolveModel("lab"), { gK: 12, I: 3 }), {
      x: "V",
      y: "n",
      xRange: [-90, 60],
      yRange: [0, 1],
      grid: 120,
      arrows: 18,
    });
    expect(cli.fixed_points.length).toBe(view.fixedPoints.length);
    expect(cli.fixed_points.length).toBeGreaterThan(0);
    for (const [i, f] of view.fixedPoints.entries()) {
      // the CLI draws on its own grid (no --grid flag); the fixed points, refined by Newton, agree to the last ulps
      expect(cli.fixed_points[i]?.V_mV).toBeCloseTo(f.x, 10);
      expect(cli.fixed_points[i]?.n).toBeCloseTo(f.y, 12);
      expect(cli.fixed_points[i]?.type).toBe(f.type);
    }
  });
});

describe("the paired-pulse view's command", () => {
  it("gives the library's trial for the view's settings (fired, the second spike)", () => {
    const s = fromQuery("view=paired&pp.d=8&pp.a=12&p.gK=12");
    const cli = runShown(equivalentOf("paired", s).command) as { fired: boolean; second_spike_ms: number | null };
    const view = pairedPulse({
      model: "lab",
      parameters: { gK: 12 },
      dt_ms: s.dt,
      method: s.method,
      interval_ms: 8,
      amplitude_uA_per_cm2: 12,
    });
    expect(cli.fired).toBe(view.fired);
    expect(cli.second_spike_ms).toBe(view.second_spike_ms);
  });
});
