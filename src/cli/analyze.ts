import { Command, InvalidArgumentError as CommanderArgumentError } from "commander";
import { EFEL_FEATURES, EfelTrace } from "../analysis/efel/features.js";
import { EFEL_DEFAULTS, type EfelSettings } from "../analysis/efel/settings.js";
import { firingPattern } from "../analysis/firing.js";
import { spikeTrain } from "../analysis/spikes.js";
import { describePeriod, MAX_INTERVALS } from "../experiments/refractory.js";
import { methodNames } from "../integrators/registry.js";
import { addRunOptions, checkStepWindow, LAB_RUN, type RunFlags } from "./common.js";
import { DEFAULT_SEARCH_METHOD, type Measurements, measure } from "./measure.js";
import { integerArg, numberArg, positiveArg } from "./parse.js";
import { progressBar } from "./progress.js";

interface AnalyzeFlags extends RunFlags {
  onsetDvdt: number;
  tolerance: number;
  refractory: boolean;
  pulseMs: number;
  pulseStartMs: number;
  conditioningAmplitude?: number;
  maxIntervalMs: number;
  intervals: number;
  observeMs: number;
  capFactor: number;
  recoveryPercent: number;
  fromV0?: boolean;
  searchMethod: string;
  trace?: string;
  sweep?: number;
  channel?: number;
  stimStartMs?: number;
  stimEndMs?: number;
  derivativeThreshold?: number;
  efel?: boolean;
  timeUnit?: string;
  voltageUnit?: string;
}

const round = (x: number | null, digits = 6) => (x === null ? null : Number(x.toFixed(digits)));

/** The analysis as JSON with unit-named keys. */
export function measurementsJson(m: Measurements) {
  const { run, aps, rheobase: rb, sustained: sus, refractory: r } = m;
  const s = run.spec.stimulus;
  const window: [number, number] | undefined = s?.type === "step" && s.stop_ms > s.start_ms ? [s.start_ms, s.stop_ms] : undefined;
  const train = spikeTrain(run.t_ms, run.traces.V?.[0] as Float64Array, { threshold_mV: run.spec.spike_threshold_mV, window_ms: window });
  return {
    model: run.model.name,
    method: run.spec.method,
    dt_ms: run.spec.dt_ms,
    duration_ms: run.spec.duration_ms,
    stimulus: run.spec.stimulus ?? null,
    parameters: run.spec.parameters,
    spike_detection_threshold_mV: run.spec.spike_threshold_mV,
    onset_dVdt_mV_per_ms: m.onset_dVdt_mV_per_ms,
    spike_count: train.spike_count,
    spike_times_ms: train.spike_times_ms,
    isi_ms: train.isi_ms,
    rate_Hz: train.rate_Hz,
    rate_window_ms: train.window_ms,
    ...(window
      ? (({ spike_count: _c, mean_rate_Hz: _r, ...rest }) => rest)(firingPattern(train.spike_times_ms, window[0], window[1]))
      : {}),
    threshold_mV: aps[0]?.onset_mV ?? null,
    spikes: aps,
    rheobase_uA_per_cm2: rb.rheobase_uA_per_cm2,
    rheobase_step_ms: rb.step_ms,
    rheobase_bracket_uA_per_cm2: rb.bracket_uA_per_cm2,
    rheobase_tolerance_uA_per_cm2: rb.tolerance_uA_per_cm2,
    rheobase_note: rb.note,
    search_method: m.search_method,
    sustained_threshold_uA_per_cm2: sus.sustained_threshold_uA_per_cm2,
    sustained_threshold_bracket_uA_per_cm2: sus.bracket_uA_per_cm2,
    sustained_threshold_note: sus.note,
    absolute_refractory_ms: r?.absolute_refractory_ms ?? null,
    relative_refractory_ms: r?.relative_refractory_ms ?? null,
    absolute_refractory: r ? describePeriod(r.absolute_refractory_ms, r.absolute_status, r.scanned_range_ms) : null,
    relative_refractory: r ? describePeriod(r.relative_refractory_ms, r.relative_status, r.scanned_range_ms) : null,
    refractory: r,
    refractory_note: m.refractory_note,
    timing_ms: {
      run: round(m.timing_ms.run, 1),
      rheobase: round(m.timing_ms.rheobase, 1),
      sustained: round(m.timing_ms.sustained, 1),
      refractory: round(m.timing_ms.refractory, 1),
    },
  };
}

const f = (x: number | null, unit: string, digits = 2) => (x === null ? "—" : `${x.toFixed(digits)} ${unit}`);

export function analyzeCommand(): Command {
  const cmd = new Command("analyze").description(
    "measure a run: spikes, action-potential features, rheobase and (paired-pulse) refractory periods (default: the lab's experiment 1)",
  );
  addRunOptions(cmd, LAB_RUN, { csv: false, checkDt: false })
    .option(
      "--onset-dvdt <mV_per_ms>",
      "AP onset (voltage threshold): where dV/dt first exceeds this (mV/ms)",
      positiveArg("--onset-dvdt", "mV/ms"),
      10,
    )
    .option(
      "--tolerance <uA_per_cm2>",
      "bisection tolerance of every current threshold (µA/cm²)",
      positiveArg("--tolerance", "µA/cm²"),
      0.001,
    )
    .option("--no-refractory", "skip the paired-pulse refractory protocol")
    .option("--pulse-ms <ms>", "paired-pulse protocol: duration of each pulse (ms)", positiveArg("--pulse-ms", "ms"), 1)
    .option(
      "--pulse-start-ms <ms>",
      "paired-pulse protocol: start of the first pulse (ms)",
      numberArg("--pulse-start-ms", "ms", (x) => x >= 0, "a number ≥ 0"),
      10,
    )
    .option(
      "--conditioning-amplitude <uA_per_cm2>",
      "first pulse amplitude (µA/cm²); default 2 × the single-pulse threshold",
      positiveArg("--conditioning-amplitude", "µA/cm²"),
    )
    .option(
      "--max-interval-ms <ms>",
      "longest interval from the first spike to the second pulse (ms)",
      positiveArg("--max-interval-ms", "ms"),
      200,
    )
    .option(
      "--intervals <count>",
      "number of log-spaced intervals from 0.5 ms to --max-interval-ms",
      numberArg("--intervals", "", (x) => Number.isInteger(x) && x >= 2 && x <= MAX_INTERVALS, `a whole number in [2, ${MAX_INTERVALS}]`),
      40,
    )
    .option("--observe-ms <ms>", "a pulse fires if a spike follows its start within this time (ms)", positiveArg("--observe-ms", "ms"), 50)
    .option(
      "--cap-factor <x>",
      "absolute refractory: no spike up to this multiple of the single-pulse threshold",
      numberArg("--cap-factor", "", (x) => x > 1, "a number > 1"),
      10,
    )
    .option(
      "--recovery-percent <percent>",
      "relative refractory ends when the threshold is within this % of the single-pulse one",
      positiveArg("--recovery-percent", "%"),
      5,
    )
    .option("--from-v0", "start protocol runs at the model's V0 instead of its resting potential")
    .option(
      "--search-method <name>",
      "integration method of the rheobase and sustained-firing searches (accurate by default; euler is biased)",
      (raw: string) => {
        if (!methodNames().includes(raw))
          throw new CommanderArgumentError(`--search-method must be one of ${methodNames().join(", ")}; got "${raw}"`);
        return raw;
      },
      DEFAULT_SEARCH_METHOD,
    )
    .option("--trace <file>", "measure a recording instead of a run: text (t, V columns), CSV with unit-named header, ABF 1/2, NWB")
    .option("--sweep <n>", "with --trace: only this sweep (0-based); default every sweep", integerArg("--sweep", 0))
    .option("--channel <n>", "with --trace: the recorded channel of an ABF/NWB file (0-based)", integerArg("--channel", 0))
    .option(
      "--stim-start-ms <ms>",
      "with --trace: stimulus window start (ms); default the file's step, else the trace start",
      numberArg("--stim-start-ms", "ms"),
    )
    .option(
      "--stim-end-ms <ms>",
      "with --trace: stimulus window end (ms); default the file's step, else the trace end",
      numberArg("--stim-end-ms", "ms"),
    )
    .option(
      "--derivative-threshold <mV_per_ms>",
      "AP onset dV/dt criterion of a recording (--trace) and of --efel (eFEL's DerivativeThreshold; default 10)",
      positiveArg("--derivative-threshold", "mV/ms"),
    )
    .option("--efel", "also eFEL's features with eFEL's settings (Threshold −20 mV unless --threshold-mv), of the run or the recording")
    .option("--time-unit <unit>", "with --trace: time unit of a text file without one in its header (ms, s, us)")
    .option("--voltage-unit <unit>", "with --trace: voltage unit of a text file without one in its header (mV, V, uV)")
    .addHelpText(
      "after",
      `
Examples:
  spikelab analyze                               the lab's experiment 1, measured
  spikelab analyze --json > analysis.json        threshold_mV, rheobase_uA_per_cm2, absolute_refractory_ms, spikes[].peak_mV, …
  spikelab analyze --amplitude 10 --png fig.png  another stimulus, drawn
  spikelab analyze --max-interval-ms 50          a shorter scan (the relative period may then be "not reached")
  spikelab analyze --trace cell.abf --png fi.png every sweep of a recording; its f–I curve for a step protocol
  spikelab analyze --trace v.txt --stim-start-ms 700 --stim-end-ms 2700 --efel   eFEL's features, eFEL's definitions`,
    );
  return cmd.action(async (o: AnalyzeFlags, c: Command) => {
    if (o.trace !== undefined) {
      const { analyzeTrace } = await import("./analyzeTrace.js");
      await analyzeTrace({ ...o, trace: o.trace, thresholdGiven: c.getOptionValueSource("thresholdMv") === "cli" });
      return;
    }
    checkStepWindow(o);
    // the paired-pulse scan takes about a second: a progress bar on a terminal (not with --json)
    const bar = o.refractory ? await progressBar("refractory scan", "runs", o.json) : undefined;
    let started = false;
    const onRun = (runs: number, expected: number) => {
      if (!bar) return;
      if (!started) bar.start(expected, 0);
      started = true;
      bar.setTotal(expected);
      bar.update(runs);
    };
    let m: Measurements;
    try {
      m = measure(
        o,
        o.onsetDvdt,
        o.refractory
          ? {
              pulse_ms: o.pulseMs,
              first_pulse_start_ms: o.pulseStartMs,
              conditioning_amplitude_uA_per_cm2: o.conditioningAmplitude,
              max_interval_ms: o.maxIntervalMs,
              interval_count: o.intervals,
              observe_ms: o.observeMs,
              cap_factor: o.capFactor,
              recovery_fraction: o.recoveryPercent / 100,
              start_at_rest: !o.fromV0,
              onRun,
            }
          : null,
        o.tolerance,
        o.searchMethod,
      );
    } finally {
      bar?.stop();
    }
    if (o.searchMethod === "euler")
      process.stderr.write(
        `warning: the rheobase and sustained-firing searches use forward Euler (dt ${o.dtMs} ms), which biases current thresholds (lab model: 2.2254 vs 2.2363 µA/cm² converged); the default is ${DEFAULT_SEARCH_METHOD}\n`,
      );
    await writeFiguresOf(o, m);
    const j = measurementsJson(m);
    const efel = o.efel ? efelOfRun(m, o, c.getOptionValueSource("thresholdMv") === "cli") : null;
    if (o.json) {
      process.stdout.write(`${JSON.stringify(efel ? { ...j, ...efel } : j)}\n`);
      return;
    }
    printMeasurements(j);
    if (efel) console.log(efelLines(efel.efel_settings, efel.efel).join("\n"));
  });
}

/** eFEL's features of a simulated run, with eFEL's settings (its Threshold −20 mV unless --threshold-mv is given), on the step window. */
function efelOfRun(m: Measurements, o: AnalyzeFlags, thresholdGiven: boolean) {
  const s = m.run.spec.stimulus;
  const V = m.run.traces.V?.[0] as Float64Array;
  const t = m.run.t_ms;
  const window =
    s?.type === "step" && s.stop_ms > s.start_ms
      ? { stim_start_ms: s.start_ms, stim_end_ms: s.stop_ms }
      : { stim_start_ms: t[0] as number, stim_end_ms: t[t.length - 1] as number };
  const efel_settings: EfelSettings = {
    ...EFEL_DEFAULTS,
    ...(thresholdGiven ? { Threshold: o.thresholdMv } : {}),
    ...(o.derivativeThreshold === undefined ? {} : { DerivativeThreshold: o.derivativeThreshold }),
  };
  const names = EFEL_FEATURES.filter((n) => !n.endsWith("_indices") && n !== "Spikecount");
  return {
    efel_settings,
    efel_window_ms: [window.stim_start_ms, window.stim_end_ms],
    efel: new EfelTrace(t, V, window, efel_settings).features(names),
  };
}

/** eFEL's features as printed lines. */
export function efelLines(settings: EfelSettings, values: Record<string, number[] | null>): string[] {
  const r6 = (x: number) => Number(x.toFixed(6));
  return [
    `eFEL-compatible features (Threshold ${settings.Threshold} mV, DerivativeThreshold ${settings.DerivativeThreshold} mV/ms, interp_step ${settings.interp_step} ms):`,
    ...Object.entries(values).map(
      ([k, v]) =>
        `  ${k.padEnd(32)} ${v === null ? "None" : v.length > 8 ? `${v.slice(0, 8).map(r6).join(", ")}, … (${v.length})` : v.map(r6).join(", ")}`,
    ),
  ];
}

const writeFiguresOf = async (o: AnalyzeFlags, m: Measurements) => {
  if (!o.svg && !o.png) return;
  const { drawRun, writeFigureFiles } = await import("./figures.js");
  writeFigureFiles(o, drawRun(m.run, m.onset_dVdt_mV_per_ms, m.refractory));
};

export function printMeasurements(j: ReturnType<typeof measurementsJson>): void {
  const out: string[] = [];
  out.push(`model ${j.model}, ${j.method}, dt ${j.dt_ms} ms, ${j.duration_ms} ms`);
  out.push(
    `spikes: ${j.spike_count}${j.spike_count ? ` at ${j.spike_times_ms.map((t) => t.toFixed(3)).join(", ")} ms` : ""}; rate ${j.rate_Hz.toFixed(2)} Hz in [${j.rate_window_ms.join(", ")}) ms${j.isi_ms.length ? `; ISIs ${j.isi_ms.map((t) => t.toFixed(3)).join(", ")} ms` : ""}`,
  );
  if ("sustained" in j)
    out.push(
      `firing in the step: first-ISI rate ${j.first_isi_rate_Hz == null ? "—" : `${j.first_isi_rate_Hz.toFixed(2)} Hz`}; steady-state rate (last ISIs) ${j.steady_state_rate_Hz == null ? "—" : `${j.steady_state_rate_Hz.toFixed(2)} Hz`}; ${j.sustained ? "sustained to the end of the step" : "not sustained"}`,
    );
  out.push(`threshold (AP onset, dV/dt − I_inj/Cm > ${j.onset_dVdt_mV_per_ms} mV/ms): ${f(j.threshold_mV, "mV", 3)}`);
  out.push("spike  onset_ms  onset_mV  peak_ms  peak_mV  amplitude_mV  half_width_ms  ahp_ms  ahp_mV");
  j.spikes.forEach((s, i) => {
    const c = (x: number | null, d = 3) => (x === null ? "—" : x.toFixed(d));
    out.push(
      `${String(i + 1).padStart(5)}  ${c(s.onset_ms).padStart(8)}  ${c(s.onset_mV).padStart(8)}  ${c(s.peak_ms).padStart(7)}  ${c(s.peak_mV).padStart(7)}  ${c(s.amplitude_mV).padStart(12)}  ${c(s.half_width_ms).padStart(13)}  ${c(s.ahp_ms).padStart(6)}  ${c(s.ahp_mV).padStart(6)}`,
    );
  });
  out.push(
    `rheobase (${j.rheobase_step_ms} ms step, ${j.search_method}, tolerance ${j.rheobase_tolerance_uA_per_cm2} µA/cm²): ${j.rheobase_uA_per_cm2 === null ? `none — ${j.rheobase_note}` : `${j.rheobase_uA_per_cm2.toFixed(4)} µA/cm²`}`,
  );
  out.push(
    `sustained-firing threshold (firing lasts to the end of the step, from rest; ${j.search_method}): ${j.sustained_threshold_uA_per_cm2 === null ? j.sustained_threshold_note : `${j.sustained_threshold_uA_per_cm2.toFixed(4)} µA/cm²`}`,
  );
  const r = j.refractory;
  if (j.refractory_note) out.push(j.refractory_note);
  if (r) {
    out.push(
      `paired pulses (${r.pulse_ms} ms each, from rest ${r.initial_mV.toFixed(3)} mV): single-pulse threshold ${r.single_pulse_threshold_uA_per_cm2.toFixed(4)} µA/cm²; first pulse ${r.conditioning_amplitude_uA_per_cm2.toFixed(4)} µA/cm² → spike at ${r.first_spike_ms.toFixed(3)} ms`,
    );
    out.push(
      `absolute refractory (no second spike up to ${r.cap_factor}× = ${r.cap_uA_per_cm2.toFixed(3)} µA/cm²): ${j.absolute_refractory}`,
    );
    out.push(
      `relative refractory (second-pulse threshold back within ${Math.round(r.recovery_fraction * 100)} %): ${j.relative_refractory}`,
    );
    out.push("interval_ms  threshold_uA_per_cm2  ratio");
    r.intervals_ms.forEach((d, i) => {
      const t = r.thresholds_uA_per_cm2[i];
      out.push(
        `${d.toFixed(3).padStart(11)}  ${(t === null || t === undefined ? `> ${r.cap_uA_per_cm2.toFixed(3)}` : t.toFixed(4)).padStart(20)}  ${(r.threshold_ratios[i]?.toFixed(3) ?? "—").padStart(5)}`,
      );
    });
  }
  out.push(
    `time: run ${j.timing_ms.run} ms, rheobase ${j.timing_ms.rheobase} ms, sustained threshold ${j.timing_ms.sustained} ms, refractory ${j.timing_ms.refractory} ms`,
  );
  console.log(out.join("\n"));
}
