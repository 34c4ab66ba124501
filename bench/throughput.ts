/**
 * Throughput where no prefix can be shared, beside the amplitude sweep where one can (issue #17):
 * N lab neurons (default 100,000), forward Euler, dt 0.025 ms, 8,000 steps (200 ms, step current on [50, 200) ms).
 *
 * - vary = gNa: neuron i has gNa = 30 + 0.0004·i mS/cm², every one at 10 µA/cm². No two neurons share a
 *   state at any step, so the quiet prefix (before the current flows) cannot be computed once for all.
 * - vary = amplitude: amplitudes spread 0…10 µA/cm² (the lab's f–I sweep, scaled up): the 2,000 steps before
 *   50 ms are computed once, on one pair of lanes, and copied to every neuron (wasm/run.ts).
 *
 * Rows, per vary: spikelab `sweep --workers 2 --out` as a whole process (exact kernel, and --fast-math);
 * Brian2 2.5 C++ standalone with 2 OpenMP threads (prebuilt binary: its simulation loop `sim_s`, and the
 * binary's whole run `run_s`; OMP_WAIT_POLICY=PASSIVE, see `omp`). Wall times, round-robin (repeat r of every
 * row before repeat r + 1), medians; and CPU seconds (spikelab's whole process, Brian2's binary), which an
 * oversubscribed machine disturbs less.
 * The spike counts are compared (spikelab exact against Brian2, and fast math against exact) and the
 * differing neurons counted. Needs `npm run build` and the peers (`bash bench/peers/setup.sh`).
 *
 *   npx tsx bench/throughput.ts [--repeats 3] [--n 100000] [--vary gNa,amplitude] [--out bench/results-throughput.md]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: { repeats: { type: "string" }, n: { type: "string" }, vary: { type: "string" }, out: { type: "string" } },
});
const repeats = Number(opt.repeats ?? 3);
const n = Number(opt.n ?? 100000);
const varies = (opt.vary ?? "gNa,amplitude").split(",");
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer; got "${opt.repeats}"`);
if (!Number.isInteger(n) || n < 2) throw new Error(`--n must be an integer ≥ 2; got "${opt.n}"`);
for (const v of varies) if (v !== "gNa" && v !== "amplitude") throw new Error(`--vary takes gNa and/or amplitude; got "${v}"`);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const outFile = opt.out ?? here("results-throughput.md");
const cli = here("../dist/cli/main.js");
const STEPS = 8000;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // ≈ 70 ms of every Node start on this machine
delete env.NODE_OPTIONS;
const scratch = mkdtempSync(join(tmpdir(), "spikelab-throughput-"));
const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
/**
 * Brian2's OpenMP threads wait passively (OMP_WAIT_POLICY=PASSIVE): on this shared, oversubscribed machine
 * the default busy-waiting at every step's barrier made its 2-thread loop 20× slower (2,000 neurons: 11.8 s
 * against 0.54 s passive, measured 2026-12-06, load ≈ 15), which would flatter spikelab.
 */
const omp = { ...env, OMP_WAIT_POLICY: "PASSIVE" };
/**
 * Runs a process; wall seconds, and its CPU seconds (user + system of it and its threads and children, from
 * /usr/bin/time): on an oversubscribed machine CPU time says more about the work than wall time does.
 */
function run(cmd: string, args: string[], runEnv = env): { wall_s: number; cpu_s: number; stdout: string } {
  const timeFile = join(scratch, "time.txt");
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", timeFile, cmd, ...args], {
    env: runEnv,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? "").trim().slice(-400)}`);
  const [user = Number.NaN, sys = Number.NaN] = (readFileSync(timeFile, "utf8").trim().split("\n").pop() ?? "").split(" ").map(Number);
  return { wall_s: (performance.now() - t0) / 1000, cpu_s: user + sys, stdout: r.stdout };
}

/** spikelab's sweep of the same neurons: gNa = 30 + 0.0004·i (the range's values) or amplitudes 0…10. */
const sweepArgs = (vary: string, fast: boolean, csv: string) => [
  cli,
  "sweep",
  ...(vary === "gNa"
    ? ["--param", `gNa=30:${(30 + 0.0004 * (n - 1)).toFixed(4)}:0.0004`, "--amplitude", "10"]
    : ["--amplitude", `0:10:${10 / (n - 1)}`]),
  "--workers",
  "2",
  ...(fast ? ["--fast-math"] : []),
  "--out",
  csv,
];
const brian2 = (vary: string) => {
  const r = run("/usr/bin/python3", [here("peers/brian2_lab.py"), "cpp_standalone", String(n), "2", "euler", "0.025", vary], omp);
  const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as {
    sim_s: number;
    run_s: number;
    run_cpu_s: number;
    spike_counts?: number[];
  };
  return out;
};
const sweepCounts = (csv: string) => {
  const [header, ...lines] = readFileSync(csv, "utf8").trim().split("\n");
  if (lines.length !== n) throw new Error(`spikelab sweep wrote ${lines.length} rows to ${csv}, expected ${n}`);
  const col = (header as string).split(",").indexOf("spike_count");
  return lines.map((l) => Number(l.split(",")[col]));
};
const differing = (a: readonly number[], b: readonly number[]) => a.filter((c, i) => c !== b[i]).length;

const load0 = loadavg()[0] as number;
const t0 = performance.now();
interface Rows {
  exact: number[];
  fast: number[];
  b2Loop: number[];
  b2Run: number[];
  /** CPU seconds: spikelab's whole processes, Brian2's prebuilt binary. */
  exactCpu: number[];
  fastCpu: number[];
  b2Cpu: number[];
  notes: string[];
}
const results = new Map<string, Rows>(
  varies.map((v) => [v, { exact: [], fast: [], b2Loop: [], b2Run: [], exactCpu: [], fastCpu: [], b2Cpu: [], notes: [] }]),
);
for (const vary of varies) {
  log(`Brian2 ${vary}: building (once)`);
  brian2(vary);
}
for (let r = 0; r < repeats; r++) {
  for (const vary of varies) {
    const rows = results.get(vary) as Rows;
    const csv = join(scratch, `${vary}.csv`);
    const counts: number[][] = [];
    for (const fast of [false, true]) {
      rmSync(csv, { force: true });
      const { wall_s: s, cpu_s } = run(process.execPath, sweepArgs(vary, fast, csv));
      (fast ? rows.fast : rows.exact).push(s);
      (fast ? rows.fastCpu : rows.exactCpu).push(cpu_s);
      counts.push(sweepCounts(csv));
      log(`  [${((performance.now() - t0) / 1000).toFixed(0)} s] ${vary} spikelab${fast ? " --fast-math" : ""}: ${s.toFixed(2)} s`);
    }
    const b = brian2(vary);
    rows.b2Loop.push(b.sim_s);
    rows.b2Run.push(b.run_s);
    rows.b2Cpu.push(b.run_cpu_s);
    log(
      `  [${((performance.now() - t0) / 1000).toFixed(0)} s] ${vary} Brian2 2 threads: loop ${b.sim_s.toFixed(2)} s, binary ${b.run_s.toFixed(2)} s`,
    );
    if (r === 0) {
      rows.notes.push(
        `fast math: ${differing(counts[1] as number[], counts[0] as number[])} of ${n.toLocaleString("en")} spike counts differ from the exact kernel's`,
      );
      if (b.spike_counts)
        rows.notes.push(
          `Brian2: ${differing(b.spike_counts, counts[0] as number[])} of ${n.toLocaleString("en")} spike counts differ from spikelab's exact ones`,
        );
    }
  }
}
rmSync(scratch, { recursive: true, force: true });

const ns = n * STEPS;
const fmt = (s: number) => s.toFixed(2);
const rate = (s: number) => `${(ns / s / 1e6).toFixed(1)} M`;
const lines: string[] = [
  "# Throughput: 100,000 lab neurons, no shared prefix vs the amplitude sweep (issue #17)",
  "",
  `\`npx tsx bench/throughput.ts --repeats ${repeats} --n ${n}\`, ${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${load0.toFixed(1)} at the start and ${(loadavg()[0] as number).toFixed(1)} at the end: the machine was shared with other engineers' work, so absolute times are noisy; the rows of one vary ran round-robin in the same minutes and their ratios are what to read.`,
  "",
  `${n.toLocaleString("en")} neurons × ${STEPS.toLocaleString("en")} forward-Euler steps (dt 0.025 ms, 200 ms, step current on [50, 200) ms). Wall seconds, medians of ${repeats} (all runs in brackets); neuron-steps/s from the median; ratio: Brian2's 2-thread loop time / the row's time (> 1: faster than Brian2's loop).`,
  "",
  "| neurons differ in | row | median s | runs | neuron-steps/s | vs Brian2 2-thread loop |",
  "| --- | --- | --- | --- | --- | --- |",
];
const verdicts: string[] = [];
for (const [vary, rows] of results) {
  const label = vary === "gNa" ? "gNa (no shared prefix)" : "amplitude (shared quiet prefix)";
  const b = median(rows.b2Loop);
  const add = (what: string, xs: number[]) =>
    lines.push(
      `| ${label} | ${what} | ${fmt(median(xs))} | ${xs.map(fmt).join(", ")} | ${rate(median(xs))} | ${(b / median(xs)).toFixed(2)}× |`,
    );
  add("spikelab, 2 workers, whole CLI process (`sweep --workers 2 --out`), exact", rows.exact);
  add("spikelab --fast-math, 2 workers, whole CLI process", rows.fast);
  add("Brian2 C++ standalone, 2 OpenMP threads (passive wait), simulation loop (`sim_s`)", rows.b2Loop);
  add("Brian2 C++ standalone, 2 OpenMP threads (passive wait), prebuilt binary's whole run (`run_s`)", rows.b2Run);
  const cpu = (xs: number[]) => `${fmt(median(xs))} s [${xs.map(fmt).join(", ")}]`;
  verdicts.push(
    `- ${label}, CPU seconds of the whole processes (medians [runs]): spikelab exact ${cpu(rows.exactCpu)}, fast math ${cpu(rows.fastCpu)}; Brian2's prebuilt binary (its 2 threads) ${cpu(rows.b2Cpu)}; ratio Brian2 / spikelab exact ${(median(rows.b2Cpu) / median(rows.exactCpu)).toFixed(2)}×, fast math ${(median(rows.b2Cpu) / median(rows.fastCpu)).toFixed(2)}×.`,
  );
  for (const note of rows.notes) verdicts.push(`- ${label}: ${note}.`);
  if (vary === "gNa") {
    const x = b / median(rows.exact);
    const xf = b / median(rows.fast);
    verdicts.push(`- Target, exact kernel at or above Brian2's 2-thread loop: ${x.toFixed(2)}× — ${x >= 1 ? "met" : "NOT met"}.`);
    verdicts.push(`- Target, fast math ≥ 1.5× Brian2's 2-thread loop: ${xf.toFixed(2)}× — ${xf >= 1.5 ? "met" : "NOT met"}.`);
  }
}
lines.push("", ...verdicts, "");
writeFileSync(outFile, `${lines.join("\n")}`);
console.log(lines.join("\n"));
log(`written to ${outFile}`);
