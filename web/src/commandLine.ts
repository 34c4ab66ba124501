/**
 * What is on screen, as the `spikelab` command and the library call that compute the same numbers: one pure
 * function of the view's state (the live lab, the f–I curve, the parameter map, the dynamics view, the voltage
 * clamp, the paired pulses: that panel shows its own, from the same helpers). Built-in models by name; a model loaded from a file as the file "Download JSON" saves (NAME.json).
 */
import { activeBlocks, blockedParams } from "./blockState.js";
import { testPotentials } from "./clampText.js";
import { linspace } from "./lib.js";
import { FILE_PREFIX, modelOf } from "./models.js";
import { pairedCommandLine, pairedLibraryCall, pairedSettingsOf } from "./panels/pairedPulseText.js";
import { planeY } from "./planeAxis.js";
import { type LabState, MAX_SAMPLES } from "./state.js";

/** The voltage-clamp panel's own settings (not in the URL; its blockers are the lab's block state). */
export interface ClampSettings {
  holding: number;
  from: number;
  to: number;
  by: number;
}

export interface Equivalent {
  /** The shell command (`spikelab …`); for a view the CLI has no command for, a `node -e` of the library call. */
  command: string;
  /** The library call, as TypeScript/JavaScript. */
  call: string;
}

export type EquivalentView = LabState["view"];

/** A shell word: quoted in single quotes unless it is plain. */
export const shellWord = (w: string): string => (/^[A-Za-z0-9_.,:=@%+/-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

const num = (n: number): string => String(n);
const isFile = (model: string) => model.startsWith(FILE_PREFIX);
/** The file the model box's "Download JSON" saves (NAME.json; quoted as a shell word where needed). */
const modelFile = (model: string) => `${model.slice(FILE_PREFIX.length)}.json`;
/** `--model` of the CLI: a built-in's name, or the JSON file of a model loaded from a file. */
const modelArg = (model: string) => (isFile(model) ? modelFile(model) : model);
/** `model:` of the library call. */
const modelJs = (model: string) =>
  isFile(model) ? `JSON.parse(readFileSync(${JSON.stringify(modelFile(model))}, "utf8"))` : JSON.stringify(model);
const paramFlags = (params: Record<string, number>) => Object.entries(params).flatMap(([k, v]) => ["--param", `${k}=${num(v)}`]);
const paramsJs = (params: Record<string, number>) => (Object.keys(params).length ? `parameters: ${JSON.stringify(params)}, ` : "");
/** `--block TTX=0.5` for each blocker switched on that acts on the model (the CLI blocks the same conductances). */
const blockFlags = (s: LabState) => Object.entries(activeBlocks(s)).flatMap(([b, f]) => ["--block", `${b}=${num(f as number)}`]);
const hasBlocks = (s: LabState) => Object.keys(activeBlocks(s)).length > 0;
/** `parameters:` of a library call, with the blocked conductances computed by the library's blockParameters. */
const blockedParamsJs = (s: LabState, params: Record<string, number>) =>
  hasBlocks(s)
    ? `parameters: blockParameters(resolveModel(${modelJs(s.model)}), ${JSON.stringify(activeBlocks(s))}, ${JSON.stringify(params)}), `
    : paramsJs(params);
/** The extra names a library call imports when it blocks channels. */
const line = (words: string[]) => words.map(shellWord).join(" ");
const fileImport = (model: string) => (isFile(model) ? `import { readFileSync } from "node:fs";\n` : "");

/** The live lab's run: `spikelab run` and `simulate`. */
function labEquivalent(s: LabState): Equivalent {
  const steps = Math.round(s.duration / s.dt);
  const every = Number.isFinite(steps) && steps > MAX_SAMPLES ? Math.ceil(steps / MAX_SAMPLES) : 1;
  const sample = every > 1 ? every * s.dt : null;
  const command = line([
    "spikelab",
    "run",
    "--model",
    modelArg(s.model),
    ...paramFlags(s.params),
    ...blockFlags(s),
    "--amplitude",
    num(s.amplitude),
    "--start-ms",
    num(s.start),
    "--stop-ms",
    num(s.stop),
    "--duration-ms",
    num(s.duration),
    "--method",
    s.method,
    "--dt-ms",
    num(s.dt),
    ...(sample !== null ? ["--sample-ms", num(sample)] : []),
  ]);
  const call =
    `${fileImport(s.model)}import { ${hasBlocks(s) ? "blockParameters, resolveModel, " : ""}simulate } from "spikelab";\n` +
    `const run = simulate({ model: ${modelJs(s.model)}, ${blockedParamsJs(s, s.params)}` +
    `stimulus: { type: "step", amplitude_uA_per_cm2: ${num(s.amplitude)}, start_ms: ${num(s.start)}, stop_ms: ${num(s.stop)} }, ` +
    `duration_ms: ${num(s.duration)}, dt_ms: ${num(s.dt)}, method: ${JSON.stringify(s.method)}` +
    `${sample !== null ? `, record: { sample_ms: ${num(sample)} }` : ""} });`;
  return { command, call };
}

/** The f–I panel's sweep (and its comparison curve): `spikelab fi` and `fiCurve`. */
function fiEquivalent(s: LabState): Equivalent {
  const f = s.fi;
  const overlay =
    f.overlay === "method"
      ? // the view's second curve runs at the library's default tolerances (the CLI's overlay defaults to converged ones)
        [
          "--overlay-method",
          f.overlayMethod,
          ...(f.overlayMethod === "rk45" ? ["--overlay-rtol", "1e-6", "--overlay-atol", "1e-8"] : []),
          "--png",
          "fi.png",
        ]
      : f.overlay === "dt"
        ? ["--overlay-dt-ms", num(f.overlayDt), "--png", "fi.png"]
        : [];
  const command = line([
    "spikelab",
    "fi",
    "--model",
    modelArg(s.model),
    ...paramFlags(s.params),
    ...blockFlags(s),
    "--from",
    num(f.from),
    "--to",
    num(f.to),
    "--steps",
    num(f.count),
    "--start-ms",
    num(f.start),
    "--stop-ms",
    num(f.stop),
    "--duration-ms",
    num(f.duration),
    "--method",
    s.method,
    "--dt-ms",
    num(s.dt),
    ...overlay,
  ]);
  const options = (method: string, dt: number) =>
    `{ model: ${modelJs(s.model)}, ${blockedParamsJs(s, s.params)}amplitudes: Array.from(linspace(${num(f.from)}, ${num(f.to)}, ${num(f.count)})), ` +
    `start_ms: ${num(f.start)}, stop_ms: ${num(f.stop)}, duration_ms: ${num(f.duration)}, dt_ms: ${num(dt)}, method: ${JSON.stringify(method)} }`;
  const second =
    f.overlay === "method"
      ? `\nconst second = fiCurve(${options(f.overlayMethod, s.dt)});`
      : f.overlay === "dt"
        ? `\nconst second = fiCurve(${options(s.method, f.overlayDt)});`
        : "";
  const call = `${fileImport(s.model)}import { ${hasBlocks(s) ? "blockParameters, " : ""}fiCurve, linspace${hasBlocks(s) ? ", resolveModel" : ""} } from "spikelab";\nconst fi = fiCurve(${options(s.method, s.dt)});${second}`;
  return { command, call };
}

/**
 * FROM:TO:STEP of the CLI's sweep ranges for `count` values from `from` to `to`: the step as linspace computes it,
 * printed so that it reads back exactly, so the CLI's values (from + i·step, the last one `to`) are linspace's.
 */
export function rangeArg(from: number, to: number, count: number): string {
  if (count <= 1) return num(from);
  return `${num(from)}:${num(to)}:${num((to - from) / (count - 1))}`;
}

/** The parameter map: `spikelab sweep` over its two axes, and the library's `sweep` of the same spec. */
function mapEquivalent(s: LabState): Equivalent {
  const m = s.map;
  const axisFlag = (name: string, from: number, to: number, count: number) =>
    name === "amplitude" ? ["--amplitude", rangeArg(from, to, count)] : ["--param", `${name}=${rangeArg(from, to, count)}`];
  const fixed = Object.fromEntries(Object.entries(s.params).filter(([k]) => k !== m.x && k !== m.y));
  const command = line([
    "spikelab",
    "sweep",
    "--model",
    modelArg(s.model),
    ...paramFlags(fixed),
    ...blockFlags(s),
    ...axisFlag(m.y, m.yFrom, m.yTo, m.yCount),
    ...axisFlag(m.x, m.xFrom, m.xTo, m.xCount),
    ...(m.x !== "amplitude" && m.y !== "amplitude" ? ["--amplitude", "0"] : []),
    "--start-ms",
    num(m.start),
    "--stop-ms",
    num(m.stop),
    "--duration-ms",
    num(m.duration),
    "--method",
    s.method,
    "--dt-ms",
    num(s.dt),
    "--backend",
    m.backend,
    "--out",
    "map.csv",
  ]);
  const axis = (name: string, from: number, to: number, count: number) =>
    `{ name: ${JSON.stringify(name)}, values: Array.from(linspace(${num(from)}, ${num(to)}, ${num(count)})) }`;
  const axes = `[${axis(m.y, m.yFrom, m.yTo, m.yCount)}, ${axis(m.x, m.xFrom, m.xTo, m.xCount)}]`;
  const grid = hasBlocks(s)
    ? `...blockGrid(resolveModel(${modelJs(s.model)}), ${JSON.stringify(activeBlocks(s))}, ${JSON.stringify(fixed)}, ${axes}), `
    : `${paramsJs(fixed)}axes: ${axes}, `;
  const call =
    `${fileImport(s.model)}import { ${hasBlocks(s) ? "blockGrid, " : ""}linspace, parseSweepSpec${hasBlocks(s) ? ", resolveModel" : ""}, runBatch } from "spikelab";\n` +
    `const spec = parseSweepSpec({ model: ${modelJs(s.model)}, ${grid}method: ${JSON.stringify(s.method)}, dt_ms: ${num(s.dt)}, ` +
    `duration_ms: ${num(m.duration)}, start_ms: ${num(m.start)}, stop_ms: ${num(m.stop)} });\n` +
    `const map = runBatch(spec, Array.from({ length: ${num(m.xCount * m.yCount)} }, (_, i) => i)); // row-major, ${m.x} fastest`;
  return { command, call };
}

/** The state shown on the y axis of the phase plane: the model's last gate (the slow one; planeAxis.ts). */
const planeYOf = (model: string): string => planeY(modelOf(model));

/** The Dynamics view: the bifurcation diagram in I and the phase plane at the lab's amplitude. */
function dynamicsEquivalent(s: LabState): Equivalent {
  const y = planeYOf(s.model);
  // the dynamics commands have no --block: the blocked conductances are given as parameters
  const all = blockedParams(s, s.params);
  const params = paramFlags(Object.fromEntries(Object.entries(all).filter(([k]) => k !== "I")));
  const command = [
    line([
      "spikelab",
      "dynamics",
      "bifurcation",
      "--model",
      modelArg(s.model),
      ...params,
      "--from",
      num(s.dyn.from),
      "--to",
      num(s.dyn.to),
      "--no-simulate",
    ]),
    line([
      "spikelab",
      "dynamics",
      "phase-plane",
      "--model",
      modelArg(s.model),
      ...params,
      "--amplitude",
      num(s.amplitude),
      "--x",
      "V",
      "--y",
      y,
      "--x-range=-90,60",
      "--y-range",
      "0,1",
      "--simulate-ms",
      "0",
    ]),
  ].join("\n");
  const model = modelJs(s.model);
  const ps = JSON.stringify(Object.fromEntries(Object.entries(all).filter(([k]) => k !== "I")));
  const call =
    `${fileImport(s.model)}import { bifurcationDiagram, phasePlane, resolveModel, vectorField } from "spikelab";\n` +
    `const model = resolveModel(${model});\n` +
    `const diagram = bifurcationDiagram(model, { from: ${num(s.dyn.from)}, to: ${num(s.dyn.to)}, parameters: ${ps} });\n` +
    `const plane = phasePlane(vectorField(model, { ...${ps}, I: ${num(s.amplitude)} }), ` +
    `{ x: "V", y: ${JSON.stringify(y)}, xRange: [-90, 60], yRange: [0, 1], grid: 120, arrows: 18 });`;
  return { command, call };
}

/** The voltage clamp: the library's `voltageClamp` (the CLI has no command for it: a `node` one-liner runs the call). */
function clampEquivalent(s: LabState, c: ClampSettings): Equivalent {
  const parameters: Record<string, number> = blockedParams(s, s.params);
  const steps = testPotentials(c.from, c.to, c.by);
  const args =
    `{ model: ${modelJs(s.model)}, holding_mV: ${num(c.holding)}, steps_mV: [${steps.join(", ")}]` +
    `${Object.keys(parameters).length ? `, parameters: ${JSON.stringify(parameters)}` : ""} }`;
  const call = `${fileImport(s.model)}import { voltageClamp } from "spikelab";\nconst clamp = voltageClamp(${args});`;
  const script = `${fileImport(s.model)}import { voltageClamp } from "spikelab"; console.log(JSON.stringify(voltageClamp(${args})));`;
  return { command: line(["node", "--input-type=module", "-e", script]), call };
}

/** The paired-pulse view: its panel's own words (./panels/pairedPulseText.ts), from the same state. */
function pairedEquivalent(s: LabState): Equivalent {
  const settings = pairedSettingsOf(s);
  return { command: pairedCommandLine(settings), call: pairedLibraryCall(settings) };
}

export const DEFAULT_CLAMP: ClampSettings = { holding: -70, from: -60, to: 60, by: 20 };

/** The command and library call of what `view` shows for the state `s` (the clamp's own settings apart). */
export function equivalentOf(view: EquivalentView, s: LabState, clamp: ClampSettings = DEFAULT_CLAMP): Equivalent {
  if (view === "fi") return fiEquivalent(s);
  if (view === "map") return mapEquivalent(s);
  if (view === "dynamics") return dynamicsEquivalent(s);
  if (view === "clamp") return clampEquivalent(s, clamp);
  if (view === "paired") return pairedEquivalent(s);
  return labEquivalent(s);
}

/** linspace, re-exported for tests that compare the call's amplitudes with the view's. */
export { linspace };
