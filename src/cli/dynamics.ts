import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { type BifurcationDiagram, bifurcationDiagram } from "../dynamics/diagram.js";
import { vectorField } from "../dynamics/field.js";
import { phasePlane } from "../dynamics/phasePlane.js";
import { InvalidArgumentError, SpikelabError } from "../errors.js";
import { fiCurve, linspace } from "../experiments/fi.js";
import { rheobase } from "../experiments/rheobase.js";
import { writeFileAtomic } from "../io/files.js";
import { builtinModels, DEFAULT_MODEL, type NeuronModel, resolveModel } from "../models/index.js";
import { simulate } from "../simulate.js";
import { integerArg, nameValueArg, numberArg, paramArg, positiveArg } from "./parse.js";

interface BifurcationFlags {
  model: string | NeuronModel;
  param: Record<string, number>;
  parameter: string;
  from: number;
  to: number;
  out: string;
  json?: boolean;
  simulate: boolean;
  fiSteps: number;
  fiWindowMs: number;
  dtMs: number;
  thresholdMv: number;
  segments: number;
}

const csv = (header: string[], rows: (string | number)[][]) => `${header.join(",")}\n${rows.map((r) => r.join(",")).join("\n")}\n`;

/** The diagram as data with units in every name. */
export function diagramJson(d: BifurcationDiagram) {
  const unit = d.parameter === "I" ? "I_uA_per_cm2" : d.parameter;
  return {
    model: d.model,
    parameter: d.parameter,
    parameters: d.parameters,
    range: d.range,
    excitability: d.excitability,
    bifurcations: d.points.map((q) => ({
      name: q.name,
      [unit]: q.p,
      V_mV: q.V_mV,
      ...(q.frequency_Hz === undefined ? {} : { frequency_Hz: q.frequency_Hz }),
    })),
    equilibria: { stop: d.equilibria.stop, complete: d.equilibria.complete },
    cycles: d.cycles.map((c) => ({ origin: c.origin, stop: c.stop, end: c.end, points: c.points.length })),
    bursts: d.bursts.map((b) => ({ [unit]: b.p, period_ms: b.period_ms, spikes_per_burst: b.spikes_per_burst })),
    notes: d.notes,
    assumptions: d.assumptions,
    elapsed_ms: d.elapsed_ms,
  };
}

function bifurcationCommand(): Command {
  const cmd = new Command("bifurcation").description(
    "bifurcation diagram in one parameter (default the injected current): equilibria, Hopf and saddle-node points, periodic orbits, folds of cycles, SNIC, and the f–I curve by simulation on top of 1/period",
  );
  cmd
    .addOption(new Option("--model <name|file>", "neuron model: a built-in or a model file").default(DEFAULT_MODEL))
    .option("--param <name=value>", "override a model parameter, repeatable (e.g. EL=-54.401)", paramArg)
    .option("--parameter <name>", "the parameter to vary (I: injected current, µA/cm²; or a model parameter)", "I")
    .option("--from <value>", "start of the range", numberArg("--from", ""), 0)
    .option("--to <value>", "end of the range", numberArg("--to", ""), 200)
    .option("--out <dir>", "folder for bifurcation.svg/png, bifurcation.json, equilibria.csv, cycles.csv", "out/dynamics")
    .option("--json", "also print the summary as one JSON object")
    .option("--no-simulate", "skip the simulated f–I overlay and the rheobase")
    .option("--fi-steps <n>", "amplitudes of the simulated f–I overlay", integerArg("--fi-steps", 2), 41)
    .option("--fi-window-ms <ms>", "step length of the simulated f–I run (ms)", positiveArg("--fi-window-ms", "ms"), 1000)
    .option(
      "--dt-ms <ms>",
      "time step of the simulated f–I run (rk4; at 0.05 ms every built-in model's 41 rates on 0–200 µA/cm² are those at 0.01 ms, traub-miles' within 1 Hz)",
      positiveArg("--dt-ms", "ms"),
      0.05,
    )
    .option("--threshold-mv <mV>", "spike threshold of the simulated f–I run (upward crossing, mV)", numberArg("--threshold-mv", "mV"), -30)
    .option("--segments <n>", "shooting segments of each periodic orbit", integerArg("--segments", 3), 30)
    .hook("preAction", async (c) => {
      const raw = c.getOptionValue("model");
      if (typeof raw !== "string" || Object.hasOwn(builtinModels, raw)) return;
      const { modelFromArgument } = await import("../io/modelFile.js");
      c.setOptionValue("model", modelFromArgument(raw));
    });
  return cmd.action(async (o: BifurcationFlags) => {
    o.param ??= {}; // no default in the help text: {} says nothing
    const model = resolveModel(o.model);
    if (o.from === o.to) throw new InvalidArgumentError(`--from and --to must differ; got ${o.from} for both`);
    const d = bifurcationDiagram(model, { parameter: o.parameter, from: o.from, to: o.to, parameters: o.param, segments: o.segments });
    mkdirSync(o.out, { recursive: true });
    const unit = d.parameter === "I" ? "I_uA_per_cm2" : d.parameter;
    writeFileAtomic(
      join(o.out, "equilibria.csv"),
      csv(
        [unit, "V_mV", "stable", "type", "max_real_eigenvalue_per_ms"],
        d.equilibria.points.map((q) => [q.p, q.V_mV, q.stable ? 1 : 0, q.type, q.eigenvalues[0]?.re ?? ""]),
      ),
    );
    writeFileAtomic(
      join(o.out, "cycles.csv"),
      csv(
        ["branch", unit, "period_ms", "frequency_Hz", "Vmin_mV", "Vmax_mV", "stable", "largest_multiplier_modulus"],
        d.cycles.flatMap((c, k) =>
          c.points.map((q) => [
            k,
            q.p,
            q.period_ms,
            1000 / q.period_ms,
            q.Vmin_mV,
            q.Vmax_mV,
            q.stable ? 1 : 0,
            Math.hypot(q.multipliers[0]?.re ?? 0, q.multipliers[0]?.im ?? 0),
          ]),
        ),
      ),
    );
    let simulated: { label: string; amplitudes_uA_per_cm2: number[]; rates_Hz: number[] } | undefined;
    let rb: number | null = null;
    const json: Record<string, unknown> = diagramJson(d);
    if (o.simulate && d.parameter === "I") {
      const start = 100;
      const stop = start + o.fiWindowMs;
      const f = fiCurve({
        model,
        parameters: o.param,
        amplitudes: linspace(Math.min(o.from, o.to), Math.max(o.from, o.to), o.fiSteps),
        start_ms: start,
        stop_ms: stop,
        duration_ms: stop,
        dt_ms: o.dtMs,
        method: "rk4",
        spike_threshold_mV: o.thresholdMv,
      });
      simulated = {
        label: `spikelab's f–I run (rk4, dt ${o.dtMs} ms, step on [${start}, ${stop}) ms from rest, crossings of ${o.thresholdMv} mV in the window per second)`,
        amplitudes_uA_per_cm2: f.amplitudes_uA_per_cm2,
        rates_Hz: f.rates_Hz,
      };
      // the f–I run (the same protocol and spike threshold) already brackets the rheobase: bisect inside it
      const firing = f.spike_counts.findIndex((c) => c > 0);
      const bracket =
        firing > 0 ? ([f.amplitudes_uA_per_cm2[firing - 1] as number, f.amplitudes_uA_per_cm2[firing] as number] as const) : undefined;
      rb = rheobase({
        model,
        parameters: o.param,
        dt_ms: o.dtMs,
        method: "rk4",
        start_ms: start,
        stop_ms: stop,
        duration_ms: stop,
        spike_threshold_mV: o.thresholdMv,
        // to 0.01 µA/cm² (a mark on a figure spanning the range): 3 batched rounds instead of 5 at 0.001
        tolerance_uA_per_cm2: 0.01,
        ...(bracket ? { bracket_uA_per_cm2: bracket } : {}),
      }).rheobase_uA_per_cm2;
      json.simulated_fi = { amplitudes_uA_per_cm2: f.amplitudes_uA_per_cm2, rates_Hz: f.rates_Hz };
      json.rheobase_uA_per_cm2 = rb;
      json.rheobase_step_ms = o.fiWindowMs;
    }
    writeFileAtomic(join(o.out, "bifurcation.json"), `${JSON.stringify(json, null, 1)}\n`);
    const { bifurcationFigure } = await import("../plot/bifurcationFigure.js");
    const { svgDocument, svgToPng } = await import("../plot/node.js");
    const extra = Object.entries(o.param)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    const svg = bifurcationFigure(svgDocument(), {
      diagram: d,
      ...(simulated ? { simulated } : {}),
      rheobase_uA_per_cm2: rb,
      title: `${model.name}${extra ? ` (${extra})` : ""}: bifurcation diagram in ${d.parameter}`,
    });
    writeFileAtomic(join(o.out, "bifurcation.svg"), svg);
    writeFileAtomic(join(o.out, "bifurcation.png"), svgToPng(svg));
    if (o.json) process.stdout.write(`${JSON.stringify(json)}\n`);
    else {
      console.log(`${d.excitability.class}: ${d.excitability.summary}`);
      for (const q of d.points)
        console.log(
          `  ${q.name.padEnd(22)} ${d.parameter} = ${q.p.toPrecision(7)}  V = ${q.V_mV.toFixed(2)} mV${q.frequency_Hz === undefined ? "" : `  ${q.frequency_Hz.toFixed(2)} Hz`}`,
        );
      for (const a of d.assumptions) console.log(`  assumption: ${a}`);
      for (const n of d.notes) console.log(`  note: ${n}`);
      console.log(
        `computed in ${(d.elapsed_ms / 1000).toFixed(2)} s; wrote ${o.out}/bifurcation.{svg,png,json}, equilibria.csv, cycles.csv`,
      );
    }
    // something could not be computed: what was is written above; say where and why in one line, exit 2
    if (d.notes.length > 0) throw new SpikelabError(`${d.notes.join("; ")} (what was computed is written to ${o.out})`);
  });
}

const rangeArg =
  (flag: string) =>
  (raw: string): [number, number] => {
    const parts = raw.split(",").map((x) => Number(x.trim()));
    const [a, b] = parts as [number, number];
    if (parts.length !== 2 || !Number.isFinite(a) || !Number.isFinite(b) || !(a < b)) {
      throw new InvalidArgumentError(`${flag} must be two finite numbers "LOW,HIGH" with LOW < HIGH; got ${JSON.stringify(raw)}`);
    }
    return [a, b];
  };

interface PhasePlaneFlags {
  model: string | NeuronModel;
  param: Record<string, number>;
  amplitude: number;
  x: string;
  y?: string;
  xRange: [number, number];
  yRange: [number, number];
  others: "steady" | "frozen";
  frozen: Record<string, number>;
  simulateMs: number;
  out: string;
  json?: boolean;
}

function phasePlaneCommand(): Command {
  const cmd = new Command("phase-plane").description(
    "phase plane of two state variables (the others instantaneous at steady state, or frozen): nullclines, vector field, fixed points and their type, the saddle's stable manifold, and the full model's simulated trajectory",
  );
  cmd
    .addOption(new Option("--model <name|file>", "neuron model: a built-in or a model file").default("morris-lecar"))
    .option("--param <name=value>", "override a model parameter, repeatable", paramArg)
    .option("--amplitude <uA_per_cm2>", "injected current (µA/cm²)", numberArg("--amplitude", "µA/cm²"), 0)
    .option("--x <state>", "state on the x axis", "V")
    .option("--y <state>", "state on the y axis (default: the first gate)")
    .option("--x-range <low,high>", "x axis range (mV for V)", rangeArg("--x-range"), [-80, 60])
    .option("--y-range <low,high>", "y axis range", rangeArg("--y-range"), [0, 1])
    .addOption(new Option("--others <how>", "the other states: steady (x∞(V)) or frozen").choices(["steady", "frozen"]).default("steady"))
    .option(
      "--frozen <name=value>",
      "with --others frozen: a state's value, repeatable (default: the resting state)",
      nameValueArg("--frozen", "n=0.3", "a state variable"),
    )
    .option(
      "--simulate-ms <ms>",
      "overlay the full model's run from rest with the current switched on at 0 (ms; 0: none)",
      numberArg("--simulate-ms", "ms"),
      100,
    )
    .option("--out <dir>", "folder for phase-plane.svg/png and phase-plane.json", "out/dynamics")
    .option("--json", "print the fixed points as one JSON object")
    .hook("preAction", async (c) => {
      const raw = c.getOptionValue("model");
      if (typeof raw !== "string" || Object.hasOwn(builtinModels, raw)) return;
      const { modelFromArgument } = await import("../io/modelFile.js");
      c.setOptionValue("model", modelFromArgument(raw));
    });
  return cmd.action(async (o: PhasePlaneFlags) => {
    o.param ??= {};
    o.frozen ??= {};
    const model = resolveModel(o.model);
    const field = vectorField(model, { ...o.param, I: o.amplitude });
    const plane = phasePlane(field, {
      x: o.x,
      ...(o.y ? { y: o.y } : {}),
      xRange: o.xRange,
      yRange: o.yRange,
      others: o.others,
      frozen: o.frozen,
    });
    let simulated: { label: string; x: Float64Array; y: Float64Array } | undefined;
    if (o.simulateMs > 0) {
      const r = simulate({
        model,
        parameters: o.param,
        stimulus: { amplitude_uA_per_cm2: o.amplitude, start_ms: 0, stop_ms: o.simulateMs },
        duration_ms: o.simulateMs,
        dt_ms: 0.01,
        method: "rk4",
        record: { variables: [plane.x, plane.y] },
      });
      simulated = {
        label: `full model simulated from rest (rk4, dt 0.01 ms, ${o.simulateMs} ms)`,
        x: r.traces[plane.x]?.[0] as Float64Array,
        y: r.traces[plane.y]?.[0] as Float64Array,
      };
    }
    mkdirSync(o.out, { recursive: true });
    const xKey = plane.x === "V" ? "V_mV" : plane.x;
    const yKey = plane.y === "V" ? "V_mV" : plane.y;
    const pts = (l: readonly { x: number; y: number }[]) => l.map((p) => [p.x, p.y]);
    const json = {
      model: model.name,
      I_uA_per_cm2: o.amplitude,
      parameters: o.param,
      axes: [xKey, yKey],
      reduction: plane.reduction,
      fixed_points: plane.fixedPoints.map((f) => ({ [xKey]: f.x, [yKey]: f.y, type: f.type, eigenvalues_per_ms: f.eigenvalues })),
      x_nullcline_segments: plane.xNullcline.map(pts),
      y_nullcline_segments: plane.yNullcline.map(pts),
      separatrices: plane.separatrices.map(pts),
    };
    writeFileAtomic(join(o.out, "phase-plane.json"), `${JSON.stringify(json)}\n`);
    const { phasePlaneFigure } = await import("../plot/phasePlaneFigure.js");
    const { svgDocument, svgToPng } = await import("../plot/node.js");
    const svg = phasePlaneFigure(svgDocument(), {
      plane,
      xRange: o.xRange,
      yRange: o.yRange,
      ...(simulated ? { simulated } : {}),
      title: `${model.name} at I = ${o.amplitude} µA/cm²: phase plane (${plane.x}, ${plane.y})`,
    });
    writeFileAtomic(join(o.out, "phase-plane.svg"), svg);
    writeFileAtomic(join(o.out, "phase-plane.png"), svgToPng(svg));
    if (o.json) process.stdout.write(`${JSON.stringify({ fixed_points: json.fixed_points, reduction: plane.reduction })}\n`);
    else {
      for (const f of plane.fixedPoints)
        console.log(`  ${f.type.padEnd(16)} ${plane.x} = ${f.x.toFixed(4)}, ${plane.y} = ${f.y.toFixed(5)}`);
      console.log(`other states: ${plane.reduction}; wrote ${o.out}/phase-plane.{svg,png,json}`);
    }
  });
}

/** `spikelab dynamics …`: bifurcation diagrams and phase planes. */
export function dynamicsCommand(): Command {
  return new Command("dynamics")
    .description("dynamics of a model: bifurcation diagram and excitability class, phase plane")
    .addCommand(bifurcationCommand())
    .addCommand(phasePlaneCommand());
}
