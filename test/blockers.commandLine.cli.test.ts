/**
 * With channels blocked (TTX, TEA in the sidebar), the command and library call a view shows compute the view's
 * numbers: the shown `spikelab … --block` run by the built CLI (needs `npm run build`) and the shown call evaluated,
 * against the library run the view makes from the same state (runSpec, the f–I panel's options, the map's mapGrid).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { blockGrid, blockParameters } from "../src/experiments/blockers.js";
import { fiCurve, linspace } from "../src/experiments/fi.js";
import { resolveModel } from "../src/models/index.js";
import { simulate } from "../src/simulate.js";
import { runBatch } from "../src/sweep/batch.js";
import { parseSweepSpec } from "../src/sweep/spec.js";
import { blockedParams } from "../web/src/blockState.js";
import { equivalentOf } from "../web/src/commandLine.js";
import { legendText, settingsOf } from "../web/src/compareText.js";
import { mapGrid } from "../web/src/map/settings.js";
import { fromQuery, runSpec, toQuery } from "../web/src/state.js";
import { urlProblems } from "../web/src/urlProblems.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const words = (command: string) => command.split(" ");
function runShown(command: string): Record<string, unknown> {
  const [head, ...all] = words(command);
  const out = all.indexOf("--out");
  const args = out < 0 ? all : [...all.slice(0, out), ...all.slice(out + 2)];
  expect(head).toBe("spikelab");
  return JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--json"], { encoding: "utf8", maxBuffer: 1 << 28 }));
}
function evalCall<T>(call: string, result: string): T {
  const body = call.replace(/^import .*;\n/gm, "");
  return new Function(
    "simulate",
    "fiCurve",
    "linspace",
    "parseSweepSpec",
    "runBatch",
    "blockParameters",
    "blockGrid",
    "resolveModel",
    `${body}\nreturn ${result};`,
  )(simulate, fiCurve, linspace, parseSweepSpec, runBatch, blockParameters, blockGrid, resolveModel) as T;
}

describe("the state and URL", () => {
  it("round-trips the blocks; bad values are marked and the rest of the link loads", () => {
    const s = fromQuery("ttx=1&ttx.f=0.5&amp=10");
    expect(s.block).toEqual({ TTX: { on: true, f: 0.5 }, TEA: { on: false, f: 1 } });
    expect(fromQuery(toQuery(s)).block).toEqual(s.block);
    expect(runSpec(s).parameters).toEqual({ gNa: 25 });
    const bad = fromQuery("ttx=yes&tea=1&tea.f=1.5&amp=10");
    expect(bad.block).toEqual({ TTX: { on: false, f: 1 }, TEA: { on: true, f: 1 } });
    expect(bad.amplitude).toBe(10);
    expect(urlProblems("ttx=yes&tea=1&tea.f=1.5").map((p) => [p.key, p.controlId, p.message])).toEqual([
      ["ttx", "ctl-block-ttx", 'The link gave "yes" for the TTX switch, which must be 1 (on) or 0 (off); TTX is off.'],
      [
        "tea.f",
        "ctl-block-tea-f",
        'The link gave "1.5" for the TEA block fraction, which must be a number from 0 to 1; a full block (1) is used.',
      ],
    ]);
  });
  it("a blocker the model has no channel for is not applied (the sidebar says so)", () => {
    const s = fromQuery("model=morris-lecar&ttx=1&tea=1&tea.f=0.5");
    expect(runSpec(s).parameters).toEqual({ gK: 4 });
    expect(equivalentOf("lab", s).command).toContain("--block TEA=0.5 ");
    expect(equivalentOf("lab", s).command).not.toContain("TTX");
  });
  it("paired pulses, dynamics and the clamp (commands without --block) get the blocked conductance as a parameter", () => {
    const s = fromQuery("view=paired&ttx=1&ttx.f=0.3&p.gK=12");
    expect(equivalentOf("paired", s).command).toMatch(/--param gK=12 --param gNa=35$/);
    for (const line of equivalentOf("dynamics", s).command.split("\n")) expect(line).toContain("--param gK=12 --param gNa=35 ");
    expect(equivalentOf("clamp", s).call).toContain('parameters: {"gK":12,"gNa":35}');
  });
  it("the compare legend names the block", () => {
    expect(legendText("trace", settingsOf("trace", fromQuery("ttx=1&ttx.f=0.5")))).toBe("TTX 50 %");
    expect(legendText("fi", settingsOf("fi", fromQuery("p.gK=8&tea=1")))).toBe("gK 8 mS/cm², TEA 100 %");
  });
});

describe.each([
  ["TEA 50 % and TTX 20 % at 10 µA/cm²", "tea=1&tea.f=0.5&ttx=1&ttx.f=0.2&amp=10", true],
  ["TTX 100 % at 10 µA/cm²: no spike", "ttx=1&amp=10", false],
  ["hh1952 at 16.3 °C with TEA 30 %", "model=hh1952&p.celsius=16.3&tea=1&tea.f=0.3&amp=10", true],
])("the live lab's command and call, %s", (_name, query, fires) => {
  const s = fromQuery(query);
  const view = simulate(runSpec(s));
  const e = equivalentOf("lab", s);
  it("the CLI command (with --block) gives the view's spike times and voltage trace", () => {
    expect(e.command).toContain("--block");
    expect(view.spikes.t_ms.length > 0).toBe(fires);
    const cli = runShown(e.command) as { spike_times_ms: number[]; V_mV: number[] };
    expect(cli.spike_times_ms).toEqual(Array.from(view.spikes.t_ms));
    expect(cli.V_mV).toEqual(Array.from((view.traces.V as Float64Array[])[0] as Float64Array));
  });
  it("the library call gives the view's voltage trace", () => {
    const run = evalCall<ReturnType<typeof simulate>>(e.call, "run");
    expect(Array.from((run.traces.V as Float64Array[])[0] as Float64Array)).toEqual(
      Array.from((view.traces.V as Float64Array[])[0] as Float64Array),
    );
  });
});

describe("the f–I view with TTX 30 %", () => {
  const s = fromQuery("ttx=1&ttx.f=0.3&fi.n=11");
  const options = {
    model: s.model,
    amplitudes: Array.from(linspace(s.fi.from, s.fi.to, s.fi.count)),
    start_ms: s.fi.start,
    stop_ms: s.fi.stop,
    duration_ms: s.fi.duration,
    dt_ms: s.dt,
    method: s.method,
  };
  const view = fiCurve({ ...options, parameters: blockedParams(s, s.params) });
  const e = equivalentOf("fi", s);
  it("command and call give the view's spike counts", () => {
    expect(e.command).toContain("--block TTX=0.3");
    const cli = runShown(e.command) as { spike_counts: number[] };
    expect(cli.spike_counts).toEqual(Array.from(view.spike_counts));
    expect(Array.from(evalCall<ReturnType<typeof fiCurve>>(e.call, "fi").spike_counts)).toEqual(Array.from(view.spike_counts));
    // the block changes the curve: fewer spikes than without it
    const unblocked = fiCurve(options);
    expect(view.spike_counts.reduce((a, b) => a + b, 0)).toBeLessThan(unblocked.spike_counts.reduce((a, b) => a + b, 0));
  });
});

describe("the map over gNa with TTX 50 %", () => {
  const s = fromQuery(
    "map.x=amplitude&map.x0=0&map.x1=15&map.xn=4&map.y=gNa&map.y0=40&map.y1=120&map.yn=3&ttx=1&ttx.f=0.5&map.dur=100&map.stop=100",
  );
  const grid = mapGrid(s);
  const spec = grid.spec;
  const view = runBatch(
    parseSweepSpec(spec),
    Array.from({ length: 12 }, (_, i) => i),
  );
  const e = equivalentOf("map", s);
  it("the view sweeps and shows the blocked conductances; the command and call the same grid and counts", () => {
    expect(spec.axes?.[0]).toEqual({ name: "gNa", values: [20, 40, 60] });
    const cli = runShown(e.command) as { spec: { axes: { values: number[] }[] }; spike_count: number[] };
    expect(cli.spec.axes[0]?.values).toEqual([20, 40, 60]);
    // the map's axis (and its readout and CSV) shows the values the CLI sweeps, not the ones before the block
    expect(Array.from(grid.ranYs)).toEqual(cli.spec.axes[0]?.values);
    expect(grid.blockedBy.y).toBe("TTX 50 %");
    expect(cli.spike_count).toEqual(Array.from(view.spike_count));
    expect(Array.from(evalCall<ReturnType<typeof runBatch>>(e.call, "map").spike_count)).toEqual(Array.from(view.spike_count));
  });
});
