import { join } from "node:path";
import { Command } from "commander";
import { DEFAULT_ONSET_DVDT_MV_PER_MS } from "../analysis/features.js";
import { curveLabel } from "../display/curveLabel.js";
import { InvalidArgumentError } from "../errors.js";
import { checkConvergence, convergenceWarning } from "../experiments/convergence.js";
import { fiCurve } from "../experiments/fi.js";
import {
  describeLabExperiment1,
  describeLabFi,
  LAB_EXPERIMENT_1,
  LAB_FI,
  LAB_FI_CONVERGED,
  labExperiment1Spec,
  labFiOptions,
} from "../experiments/labProtocols.js";
import { concentrationNames } from "../io/columns.js";
import { CsvTraceSink } from "../io/csvSink.js";
import { fiToCsv, runToCsv, runToJson } from "../io/export.js";
import { ensureFolder, writeFileAtomic } from "../io/files.js";
import { CHARS_PER_NUMBER, checkTextSize } from "../limits.js";
import { recordableVariables, resolveModel } from "../models/index.js";
import { spikeTimesOf } from "../record/spikes.js";
import type { TraceSink } from "../record/traces.js";
import { batchSize, type SimulationResult, simulate } from "../simulate.js";
import { parseSimulationSpec, type SimulationSpecInput } from "../spec.js";
import { addRunOptions, LAB_RUN, type RunFlags } from "./common.js";
import { overlayCurve } from "./fiOverlay.js";
import { wrote } from "./output.js";
import { addRunSpecOptions, type RunSpecFlags, runSpecFrom } from "./runSpec.js";

const warn = (message: string | undefined) => message && process.stderr.write(`spikelab: ${message}\n`);

const fmt = (x: number, digits = 3) => x.toFixed(digits);

export function runCommand(): Command {
  const cmd = new Command("run").description("run one simulation (default: the lab's experiment 1)");
  addRunSpecOptions(addRunOptions(cmd, LAB_RUN)).addHelpText(
    "after",
    `
Examples:
  spikelab run                                   the lab's experiment 1: lab model, 3 µA/cm² on [10, 20) ms, 50 ms, Euler, dt 0.025 ms
  spikelab run --model hh1952 --amplitude 10 --start-ms 10 --stop-ms 110 --duration-ms 120
  spikelab run --param gNa=60 --json > run.json
  spikelab run --csv trace.csv
  spikelab run --spec exp.yaml --dt-ms 0.01       the experiment in exp.yaml (\`spikelab schema spec\`), with dt overridden
  spikelab run --duration-ms 600000 --sample-ms 1 --csv long.csv   10 minutes, streamed to the file in chunks (bounded memory)`,
  );
  return cmd.action(async (o: RunFlags & RunSpecFlags) => {
    const spec = runSpecFrom(o, cmd);
    // --csv alone streams the traces to the file as the run goes (bounded memory for any duration);
    // --json and the figures need the traces in memory
    if (o.csv && !o.json && !o.svg && !o.png) return runStreamed(spec, o);
    checkRunText(spec, o);
    if (o.svg || o.png) {
      // the figure draws V, the gates, the currents and the stimulus: all of them must be recorded
      const all = recordableVariables(spec.model as Parameters<typeof recordableVariables>[0]);
      const missing = all.filter((v) => !(spec.record?.variables ?? all).includes(v));
      if (missing.length) {
        throw new InvalidArgumentError(
          `--record must include ${missing.join(", ")} with ${o.svg ? "--svg" : "--png"} (the figure draws every variable); leave --record out, or draw no figure`,
        );
      }
    }
    const r = simulate(spec);
    if (o.csv) {
      writeFileAtomic(o.csv, runToCsv(r));
      wrote(o.csv);
    }
    const check = o.checkDt ? checkConvergence(spec, { tolerance_ms: o.checkDtToleranceMs, spikes: r.spikes }) : undefined;
    if (check) warn(convergenceWarning(check));
    const json = { ...runToJson(r), stats: r.stats, ...(check ? { convergence: check } : {}) };
    if (o.svg || o.png) {
      const { drawRun, writeFigureFiles } = await import("./figures.js");
      writeFigureFiles(o, drawRun(r, DEFAULT_ONSET_DVDT_MV_PER_MS, null));
    }
    if (o.json) {
      process.stdout.write(`${JSON.stringify(json)}\n`);
      return;
    }
    const V = r.traces.V?.[0] ?? new Float64Array();
    let k = 0;
    for (let i = 1; i < V.length; i++) if ((V[i] as number) > (V[k] as number)) k = i;
    summary(r, V.length ? { peak: V[k] as number, tPeak: r.t_ms[k] as number, end: V[V.length - 1] as number } : undefined);
    if (check?.converged) console.log(`converged: spikes unchanged at ${check.refined.rtol ? "tolerances / 10" : "dt/2"}`);
  });
}

/**
 * Refuses, before the run, traces too long to become one JSON or CSV text in memory (V8's longest
 * string): `--csv FILE` alone streams them instead.
 */
function checkRunText(spec: SimulationSpecInput, o: RunFlags): void {
  if (!o.json && !o.csv) return;
  const r = parseSimulationSpec(spec);
  const variables = r.record.variables?.length ?? 0;
  if (!variables) return;
  const steps = Math.round(r.duration_ms / r.dt_ms);
  const every = r.record.sample_ms === undefined ? 1 : Math.max(1, Math.round(r.record.sample_ms / r.dt_ms));
  const neurons = r.record.neurons?.length ?? batchSize(r);
  const samples = Math.floor(steps / every) + 1;
  checkTextSize(
    samples * (variables * neurons + 1) * CHARS_PER_NUMBER,
    o.json ? "--json (the traces as JSON)" : "--csv with --svg/--png (the traces as CSV in memory)",
    "record less (a longer --sample-ms, fewer variables with --record) or stream the traces with --csv FILE alone",
  );
}

/** The text summary of a run: settings, stimulus, spikes, V's peak and end (when V was recorded), step statistics. */
function summary(r: SimulationResult, v: { peak: number; tPeak: number; end: number } | undefined): void {
  const times = spikeTimesOf(r.spikes, r.recordedNeurons[0] ?? 0);
  const s = r.spec.stimulus;
  console.log(`model ${r.model.name}, method ${r.spec.method}, dt ${r.spec.dt_ms} ms, ${r.spec.duration_ms} ms, ${r.samples} samples`);
  if (s?.type === "step") console.log(`stimulus ${s.amplitude_uA_per_cm2} µA/cm² on [${s.start_ms}, ${s.stop_ms}) ms`);
  else if (s) console.log(`stimulus ${s.pulses.length} pulse(s)`);
  const shown = times.length > 20 ? `; first at ${Array.from(times.subarray(0, 20), (t) => fmt(t)).join(", ")} … ms` : "";
  console.log(`spikes: ${times.length}${times.length && !shown ? ` at ${Array.from(times, (t) => fmt(t)).join(", ")} ms` : shown}`);
  if (v) console.log(`peak V ${fmt(v.peak, 6)} mV at ${fmt(v.tPeak)} ms; V(end) ${fmt(v.end, 6)} mV`);
  if (r.stats.rejected_steps || r.spec.method === "rk45") {
    console.log(`steps: ${r.stats.accepted_steps} accepted, ${r.stats.rejected_steps} rejected (rtol ${r.spec.rtol}, atol ${r.spec.atol})`);
  }
}

/** `run --csv FILE` without --json or figures: the traces go to FILE in chunks as the run goes. */
function runStreamed(spec: SimulationSpecInput, o: RunFlags & RunSpecFlags): void {
  const csv = new CsvTraceSink(o.csv as string, {
    maxBytes: o.maxOutputMib * 2 ** 20,
    concentrations: concentrationNames(resolveModel(spec.model ?? "lab")),
  });
  let v: { peak: number; tPeak: number; end: number } | undefined;
  const sink: TraceSink = {
    open: (variables, neurons, samples) => csv.open(variables, neurons, samples),
    write: (t, traces, count) => {
      const V = traces.V?.[0];
      if (V) {
        v ??= { peak: -Infinity, tPeak: 0, end: 0 };
        for (let i = 0; i < count; i++) {
          if ((V[i] as number) > v.peak) {
            v.peak = V[i] as number;
            v.tPeak = t[i] as number;
          }
        }
        v.end = V[count - 1] as number;
      }
      csv.write(t, traces, count);
    },
    close: () => csv.close(),
    abort: () => csv.abort(),
  };
  let r: SimulationResult;
  try {
    r = simulate(spec, { sink });
  } catch (e) {
    csv.abort(); // refused before the run started: no file
    throw e;
  }
  const check = o.checkDt ? checkConvergence(spec, { tolerance_ms: o.checkDtToleranceMs, spikes: r.spikes }) : undefined;
  if (check) warn(convergenceWarning(check));
  summary(r, v);
  if (check?.converged) console.log(`converged: spikes unchanged at ${check.refined.rtol ? "tolerances / 10" : "dt/2"}`);
  wrote(o.csv as string, `(${csv.rows} rows, streamed)`);
}

export { fiCommand } from "./fi.js";

export function labCommand(): Command {
  return new Command("lab")
    .description(
      "run both lab experiments with the lab's settings and write into a folder their data (CSV, JSON), the lab figures (SVG, PNG), the measurements (analysis.json) and a report (report.html)",
    )
    .option("--out <dir>", "output folder", "out")
    .action(async (o: { out: string }) => {
      ensureFolder(o.out); // before any work: an unusable folder is one line at once
      // the converged sweep (rk45, tight tolerance) takes seconds: it runs on worker threads meanwhile
      const t0 = performance.now();
      const fiOptions = labFiOptions();
      const convergedRun = overlayCurve(fiOptions, { ...LAB_FI_CONVERGED, dt_ms: LAB_FI.dt_ms }).then((r) => ({
        r,
        ms: performance.now() - t0,
      }));
      // experiment 1 runs once: its data here, its measurements and figures in the report
      const tRun = performance.now();
      const run = simulate(labExperiment1Spec(recordableVariables(LAB_EXPERIMENT_1.model)));
      const runMs = performance.now() - tRun;
      const json = runToJson(run);
      writeFileAtomic(join(o.out, "experiment1.csv"), runToCsv(run));
      writeFileAtomic(join(o.out, "experiment1.json"), `${JSON.stringify(json)}\n`);
      const f = fiCurve(fiOptions);
      writeFileAtomic(join(o.out, "fi.csv"), fiToCsv(f));
      writeFileAtomic(join(o.out, "fi.json"), `${JSON.stringify({ ...LAB_FI, ...f })}\n`);
      const V = run.traces.V?.[0] ?? [];
      const e = LAB_EXPERIMENT_1;
      console.log(`spikelab lab — the lab notebook's two experiments (${e.model} model, ${curveLabel(e)})`);
      console.log(
        `experiment 1: ${describeLabExperiment1()}: ${json.spike_count} spikes at ${json.spike_times_ms.map((t) => fmt(t)).join(", ")} ms; peak ${fmt(Math.max(...V), 3)} mV`,
      );
      console.log(`experiment 2: f–I, ${describeLabFi()}: counts ${f.spike_counts.join(" ")}`);
      for (const f of ["experiment1.csv", "experiment1.json", "fi.csv", "fi.json"]) wrote(join(o.out, f));
      const { writeLabReport } = await import("./labReport.js");
      await writeLabReport(
        o.out,
        { run, ms: runMs },
        f,
        convergedRun.then(({ r, ms }) => {
          console.log(
            `converged f–I (${LAB_FI_CONVERGED.method}, rtol ${LAB_FI_CONVERGED.rtol}, atol ${LAB_FI_CONVERGED.atol}, on worker threads): counts ${r.spike_counts.join(" ")} (${(ms / 1000).toFixed(1)} s)`,
          );
          return r;
        }),
      );
    });
}
