import { Command } from "commander";
import { invalid } from "../errors.js";
import { checkFiConvergence, convergenceWarning } from "../experiments/convergence.js";
import { type FiResult, fiCurve, fiSweepSpec, linspace } from "../experiments/fi.js";
import { LAB_FI } from "../experiments/labProtocols.js";
import { DEFAULT_ATOL, DEFAULT_RTOL } from "../integrators/rk45.js";
import { fiToCsv } from "../io/export.js";
import { writeFileAtomic } from "../io/files.js";
import { checkGridPoints, checkNeuronSteps, checkPointsInMemory, count, DEFAULT_MAX_NEURON_STEPS } from "../limits.js";
import { THREADS_MIN_NEURON_STEPS } from "../wasm/pairs.js";
import { openBackend } from "./backend.js";
import { addRunOptions, modelName, type RunFlags } from "./common.js";
import { addFiOverlayOptions, type FiOverlayFlags, fiOnWorkers, overlayCurve, overlayOf } from "./fiOverlay.js";
import { print, quietOnClosedPipe, wrote } from "./output.js";
import { integerArg, numberArg } from "./parse.js";
import { progressBar } from "./progress.js";
import { addSweepOutputOptions, type SweepOutputFlags } from "./sweepOptions.js";

// `spikelab fi`, in a file of its own: the lab's f–I sweep as a whole process is start-up as much as
// simulation, so this path loads only what it runs (the sweep engine, the GPU and figures when asked for).

const warn = (message: string | undefined) => message && process.stderr.write(`spikelab: ${message}\n`);

const fmt = (x: number, digits = 3) => x.toFixed(digits);

interface FiFlags extends RunFlags, SweepOutputFlags, FiOverlayFlags {
  from: number;
  to: number;
  steps: number;
}

export function fiCommand(): Command {
  const cmd = new Command("fi").description(
    "f–I curve: spike count and rate for a range of step amplitudes (default: the lab's experiment 2)",
  );
  addRunOptions(cmd, { durationMs: LAB_FI.duration_ms, startMs: LAB_FI.start_ms, stopMs: LAB_FI.stop_ms })
    .option("--from <uA_per_cm2>", "first amplitude (µA/cm²)", numberArg("--from", "µA/cm²"), LAB_FI.from)
    .option("--to <uA_per_cm2>", "last amplitude (µA/cm²)", numberArg("--to", "µA/cm²"), LAB_FI.to)
    .option("--steps <count>", "number of amplitudes, evenly spaced from --from to --to", integerArg("--steps", 1), LAB_FI.steps)
    .addHelpText(
      "after",
      `
Examples:
  spikelab fi                                    the lab's 51 amplitudes 0…10 µA/cm² on [50, 200) ms
  spikelab fi --json
  spikelab fi --from 0 --to 20 --steps 101 --param gK=20 --csv fi.csv
  spikelab fi --steps 10001 --out fi.csv [--resume]   streamed as batches finish, resumable
  spikelab fi --png fi.png --overlay-method rk45  the Euler curve with the converged one (rk45, rtol 1e-10) overlaid`,
    );
  addSweepOutputOptions(cmd);
  addFiOverlayOptions(cmd);
  return cmd.action(async (o: FiFlags) => {
    if (o.to < o.from) throw invalid("--to", o.to, `≥ --from (${o.from})`); // as sweep's FROM:TO:STEP
    // the size of the request, before any amplitude is made
    checkGridPoints(o.steps, o.maxPoints, `--steps ${o.steps}`);
    const steps = Math.round(o.durationMs / o.dtMs);
    checkNeuronSteps(
      o.steps * steps,
      o.maxNeuronSteps ?? DEFAULT_MAX_NEURON_STEPS,
      `--steps ${o.steps} amplitudes × ${count(steps)} steps (--duration-ms ${o.durationMs} / --dt-ms ${o.dtMs})`,
    );
    if (!o.out) checkPointsInMemory(o.steps, `--steps ${o.steps} without --out`);
    const options = {
      model: o.model,
      method: o.method,
      parameters: o.param,
      amplitudes: linspace(o.from, o.to, o.steps),
      start_ms: o.startMs,
      stop_ms: o.stopMs,
      duration_ms: o.durationMs,
      dt_ms: o.dtMs,
      spike_threshold_mV: o.thresholdMv,
      ...(o.fastMath ? { fast_math: true } : {}),
      ...(o.rtol === undefined ? {} : { rtol: o.rtol }),
      ...(o.atol === undefined ? {} : { atol: o.atol }),
      ...(o.maxNeuronSteps === undefined ? {} : { max_neuron_steps: o.maxNeuronSteps }),
    };
    if (o.out) {
      // a resumable, streamed f–I sweep: one axis (the amplitude), the sweep engine's file format
      quietOnClosedPipe(); // the sweep engine writes through process.stdout
      const { runSweepCommand } = await import("./sweep.js");
      await runSweepCommand(fiSweepSpec(options), { ...o, label: "fi" });
      return;
    }
    const device = await openBackend(o.backend ?? "cpu", { method: o.method, neuronSteps: o.steps * steps });
    // on a terminal (and not --json) a progress bar: the curve then runs in batches on the sweep engine's workers
    const bar = device ? undefined : await progressBar("fi", "amplitudes", o.json);
    let f: FiResult;
    if (device) f = await (await import("../gpu/sweep.js")).gpuFiCurve(device, options).finally(() => device.destroy());
    else if (bar) {
      bar.start(o.steps, 0);
      f = await fiOnWorkers(options, o.workers, (k) => bar.increment(k)).finally(() => bar.stop());
    } else if (o.workers > 1 && o.steps * steps >= THREADS_MIN_NEURON_STEPS) {
      // the lab's converged curve and larger: the kernel's neuron pairs shared with helper threads
      // (the lab's Euler curve stays on this thread and never loads them)
      const { fiCurveOnThreads } = await import("../experiments/fiThreads.js");
      f = fiCurveOnThreads(options, o.workers);
    } else f = fiCurve(options);
    if (o.csv) {
      writeFileAtomic(o.csv, fiToCsv(f));
      wrote(o.csv);
    }
    const check = o.checkDt ? checkFiConvergence(options, { tolerance_ms: o.checkDtToleranceMs }) : undefined;
    if (check) warn(convergenceWarning(check, (i) => `${+(options.amplitudes[i] as number).toPrecision(12)} µA/cm²`));
    const overlay = o.svg || o.png ? overlayOf(o) : null;
    const overlaid = overlay ? { overlay, result: await overlayCurve(options, overlay, o.workers) } : null;
    if (o.svg || o.png) {
      const { drawFi, writeFigureFiles } = await import("./figures.js");
      writeFigureFiles(o, drawFi(o, f, overlaid));
    }
    if (o.json) {
      const tolerances = o.method === "rk45" ? { rtol: o.rtol ?? DEFAULT_RTOL, atol: o.atol ?? DEFAULT_ATOL } : {};
      const convergence = check ? { convergence: check } : {};
      print(
        `${JSON.stringify({ model: modelName(o.model), method: o.method, dt_ms: o.dtMs, ...tolerances, start_ms: o.startMs, stop_ms: o.stopMs, duration_ms: o.durationMs, ...(f.precision ? { backend: "gpu" } : {}), ...(o.fastMath && !f.precision ? { fast_math: true } : {}), ...f, ...convergence })}\n`,
      );
      return;
    }
    const lines = [`amplitude_uA_per_cm2  spike_count  rate_Hz${f.precision ? "   (GPU, f32)" : ""}`];
    f.amplitudes_uA_per_cm2.forEach((a, i) => {
      lines.push(`${fmt(a).padStart(20)}  ${String(f.spike_counts[i]).padStart(11)}  ${fmt(f.rates_Hz[i] as number, 2).padStart(7)}`);
    });
    print(`${lines.join("\n")}\n`);
  });
}
