/**
 * Features of long recordings (issue 20: "features of a 1,000,000-sample recording in < 1 s"). Run by hand:
 *
 *   npx tsx bench/recordings.ts            # writes bench/results-recordings.md
 *
 * Two recordings, each timed as median of 5 after one warm-up (wall clock, in process):
 * - a simulated one: hh1952 firing at 10 µA/cm² for 25 s, dt 0.025 ms = 1,000,001 samples, written to a temporary
 *   two-column text file (eFEL's format) and read back by the streaming text reader;
 * - a real one: test/fixtures/abf/File_axon_2.abf, a 20-minute gap-free ABF 1.8 recording, 1,200,000 samples at 1 kHz.
 * Timed: reading the file; spikelab's own features (`analyzeSweep`: spikes, onsets, peaks, half-widths, AHPs,
 * firing pattern); every eFEL-compatible feature (`EfelTrace`, which first resamples the trace at 0.1 ms as eFEL does).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EFEL_FEATURES, EfelTrace } from "../src/analysis/efel/features.js";
import { analyzeSweep } from "../src/analysis/sweep.js";
import { openRecording } from "../src/io/recordings/open.js";
import { simulate } from "../src/simulate.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
async function time(f: () => unknown | Promise<unknown>, repeats = 5): Promise<number> {
  await f();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const rows: string[] = [];
const dir = mkdtempSync(join(tmpdir(), "spikelab-bench-rec-"));
try {
  const run = simulate({
    model: "hh1952",
    stimulus: { type: "step", amplitude_uA_per_cm2: 10, start_ms: 0, stop_ms: 25000 },
    duration_ms: 25000,
    dt_ms: 0.025,
    method: "rk4",
    record: { variables: ["V"] },
  });
  const V = run.traces.V?.[0] as Float64Array;
  const lines: string[] = [];
  for (let i = 0; i < V.length; i++) lines.push(`${run.t_ms[i]} ${V[i]}`);
  const file = join(dir, "hh-25s.txt");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const real = fileURLToPath(new URL("../test/fixtures/abf/File_axon_2.abf", import.meta.url));
  for (const [label, path, stim] of [
    ["hh1952 25 s, dt 0.025 ms (text file)", file, [0, 25000]],
    ["File_axon_2.abf, 20 min at 1 kHz (ABF 1.8)", real, undefined],
  ] as const) {
    const rec = await openRecording(path);
    const s = rec.sweeps[0] as (typeof rec.sweeps)[number];
    const window = stim ?? [s.t_ms[0] as number, s.t_ms[s.t_ms.length - 1] as number];
    const read = await time(() => openRecording(path));
    const own = await time(() => analyzeSweep(s, { threshold_mV: stim ? 0 : -20, stim_start_ms: window[0], stim_end_ms: window[1] }));
    const efel = await time(() =>
      new EfelTrace(s.t_ms, s.V_mV, { stim_start_ms: window[0], stim_end_ms: window[1] }).features(EFEL_FEATURES),
    );
    const tr = new EfelTrace(s.t_ms, s.V_mV, { stim_start_ms: window[0], stim_end_ms: window[1] });
    const spikes = analyzeSweep(s, { threshold_mV: stim ? 0 : -20 }).spikes.length;
    rows.push(
      `| ${label} | ${s.t_ms.length.toLocaleString("en")} | ${tr.t.length.toLocaleString("en")} | ${spikes} | ${read.toFixed(0)} | ${own.toFixed(0)} | ${efel.toFixed(0)} |`,
    );
    console.log(rows[rows.length - 1]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const md = `# Features of long recordings (bench/recordings.ts)

Median of 5 runs after a warm-up, wall clock in process (Node ${process.version}, this machine shared with other work).
"eFEL samples" is the length of the trace resampled at eFEL's 0.1 ms, on which every eFEL-compatible feature is
computed; spikelab's own features use the samples as recorded.

| recording | samples | eFEL samples | spikes | read file (ms) | spikelab features (ms) | all ${EFEL_FEATURES.length} eFEL features (ms) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

Measured ${new Date().toISOString().slice(0, 16)} UTC.
`;
writeFileSync(fileURLToPath(new URL("./results-recordings.md", import.meta.url)), md);
