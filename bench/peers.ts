/**
 * spikelab against its peers, side by side in one run on this machine (`npm run bench`):
 *
 * 1. The lab's f–I sweep (51 amplitudes 0…10 µA/cm², 200 ms, dt 0.025 ms, forward Euler): spikelab's
 *    library in process (fiCurve, warm) and its CLI as a whole process (`spikelab fi --json`); the lab
 *    notebook's own numpy code (its loop, and the whole script); Brian2 2.5 with the cython runtime (warm
 *    cache) and C++ standalone (prebuilt binary); NEURON 8.2 (its fixed-step backward Euler). Every Euler
 *    simulator's 51 spike counts must equal test/fixtures/reference/lab-seed-euler.json (else the bench aborts);
 *    NEURON integrates with its own method, so the amplitudes where it differs are counted, not asserted.
 * 2. Throughput at N = 1,000 / 10,000 / 100,000 neurons (lab model, 200 ms, dt 0.025 ms, amplitudes spread
 *    0…10): spikelab with 1 worker (in process, spikes only) and 2 workers (`spikelab sweep --workers 2`
 *    as a whole process, start-up included), Brian2 C++ standalone on 1 and 2 threads (its simulation loop)
 *    and NEURON (its run loop; at 100,000 only when its estimate fits ~3 minutes a repeat, or with --full).
 *
 * Medians of REPEATS runs, taken round-robin (repeat r of every simulator before repeat r + 1), a markdown
 * table with ratios against spikelab and the issue's targets evaluated, printed and written to
 * bench/results.md. Every process it starts runs with NODE_EXTRA_CA_CERTS and NODE_OPTIONS unset (on this
 * machine the former adds ≈ 70 ms to each Node start). Needs `npm run build` and the peers
 * (`bash bench/peers/setup.sh`); `npm run bench` does both.
 *
 *   npx tsx bench/peers.ts [--repeats 3] [--sizes 1000,10000,100000] [--full] [--quick] [--out bench/results.md]
 *   --quick: 1 repeat, N up to 10,000, written to $TMPDIR/spikelab-bench-quick.md (a smoke test)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fiCurve, LAB_FI, labFiOptions, linspace, simulate } from "../src/index.js";

const { values: opt } = parseArgs({
  options: {
    repeats: { type: "string" },
    sizes: { type: "string" },
    full: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (opt.help) {
  console.log("npm run bench -- [--repeats N (3)] [--sizes 1000,10000,100000] [--full (NEURON at 100,000)] [--quick] [--out FILE]");
  process.exit(0);
}
const repeats = Number(opt.repeats ?? (opt.quick ? 1 : 3));
if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a positive integer; got "${opt.repeats}"`);
/**
 * The lab block's rows are short (tens of ms to seconds, the notebook's 30 s aside) and this shared
 * machine's noise is ±30 % on them from one run to the next: every simulator there gets at least 5.
 */
const labRepeats = opt.quick ? repeats : Math.max(repeats, 5);
const sizes = (opt.sizes ?? (opt.quick ? "1000,10000" : "1000,10000,100000")).split(",").map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`--sizes must be integers ≥ 2, comma-separated; got "${opt.sizes}"`);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const root = here("..");
const outFile = opt.out ?? (opt.quick ? join(tmpdir(), "spikelab-bench-quick.md") : here("results.md"));
const NEURON_LIMIT_S = 180; // NEURON at a size is skipped (without --full) when one repeat is estimated above this

const python = "/usr/bin/python3";
const cli = here("../dist/cli/main.js");
const STEPS = 8000; // 200 ms / 0.025 ms
const LAB_N = LAB_FI.steps;
/** The environment of every process the bench starts: without the ≈ 70 ms that NODE_EXTRA_CA_CERTS costs a Node start. */
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

const reference = JSON.parse(readFileSync(here("../test/fixtures/reference/lab-seed-euler.json"), "utf8")).experiment_2_fi
  .spike_counts as number[];
if (reference.length !== LAB_N) throw new Error(`reference experiment_2_fi has ${reference.length} counts, expected ${LAB_N}`);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const log = (s: string) => process.stderr.write(`${s}\n`);
const t0Bench = performance.now();
const loadAtStart = loadavg();
const elapsed = () => `${((performance.now() - t0Bench) / 1000).toFixed(0)} s`;

/** Runs a process to completion; its wall time (s) from spawn to exit, and its stdout. */
function run(cmd: string, args: string[]): { wall_s: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 28 });
  const wall_s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? "").trim().split("\n").slice(-5).join(" | ")}`,
    );
  }
  return { wall_s, stdout: r.stdout };
}
// biome-ignore lint/suspicious/noExplicitAny: one JSON line from a peer script
type PeerResult = any;
/** Runs a peer script; its last stdout line is one JSON object; `process_s` is the whole process, measured here. */
function py(script: string, ...args: string[]): PeerResult {
  const r = run(python, [here(`peers/${script}`), ...args]);
  return { ...JSON.parse(r.stdout.trim().split("\n").pop() as string), process_s: r.wall_s };
}
/** Aborts the bench when an Euler simulator's lab counts are not the reference's. */
function checkCounts(who: string, counts: number[]) {
  const bad = reference.flatMap((c, i) => (counts[i] === c ? [] : [`#${i}: ${counts[i]} ≠ ${c}`]));
  if (counts.length !== LAB_N || bad.length > 0) {
    log(
      `\nABORT: ${who}'s spike counts on the lab sweep differ from test/fixtures/reference/lab-seed-euler.json (experiment_2_fi, Euler):`,
    );
    log(`  ${counts.length === LAB_N ? bad.join(", ") : `${counts.length} counts`}`);
    process.exit(1);
  }
}

type Kind = "loop" | "process";
interface Row {
  n: number; // neurons (51: the lab sweep)
  who: string;
  what: string;
  kind: Kind;
  times: number[];
  base?: boolean; // spikelab's row that the others of its kind (lab) or size (throughput) are compared to
}
const rows: Row[] = [];
const notes: string[] = [];
const row = (n: number, who: string, what: string, kind: Kind, base = false): Row => {
  const r: Row = { n, who, what, kind, times: [], base };
  rows.push(r);
  return r;
};
const push = (r: Row, s: number) => {
  r.times.push(s);
  log(`  [${elapsed()}] N=${r.n} ${r.who} — ${r.what}: ${s.toFixed(3)} s`);
};

// ---------------------------------------------------------------- 1. the lab sweep
log(`spikelab bench: ${repeats} repeat(s), ${availableParallelism()} cores; NODE_EXTRA_CA_CERTS unset for every process started`);
log(`lab f–I sweep: ${LAB_N} neurons × ${STEPS} Euler steps`);
const labFi = (fast_math = false) => fiCurve({ ...labFiOptions(), fast_math });
// also the warm-up: V8 compiles a WebAssembly kernel in its baseline tier first and optimizes it in the
// background once it runs hot, so "warm" takes a few runs (the first is ≈ 3× slower)
for (let w = 0; w < 3; w++) {
  checkCounts("spikelab (library)", labFi().spike_counts);
  checkCounts("spikelab (library, fast math)", labFi(true).spike_counts);
}
const slLoop = row(LAB_N, "spikelab", "library in process: fiCurve loop (warm)", "loop", true);
const slLoopFast = row(LAB_N, "spikelab --fast-math", "library in process: fiCurve loop (warm)", "loop");
const slCli = row(LAB_N, "spikelab", "CLI whole process: `spikelab fi --json`", "process", true);
const slCliFast = row(LAB_N, "spikelab --fast-math", "CLI whole process: `spikelab fi --fast-math --json`", "process");
const nbLoop = row(LAB_N, "lab notebook (numpy)", "simulation loop", "loop");
const nbProc = row(LAB_N, "lab notebook (numpy)", "whole script (python3 lab_notebook.py)", "process");
const b2cProc = row(LAB_N, "Brian2 cython (warm cache)", "whole process", "process");
const b2cRun = row(LAB_N, "Brian2 cython (warm cache)", "run()", "loop");
const b2sProc = row(LAB_N, "Brian2 cpp_standalone (prebuilt)", "whole process (codegen + no-op make + binary)", "process");
const b2sBin = row(LAB_N, "Brian2 cpp_standalone (prebuilt)", "binary run", "process");
const b2sSim = row(LAB_N, "Brian2 cpp_standalone (prebuilt)", "simulation loop (Brian2's timer)", "loop");
const nrnProc = row(LAB_N, "NEURON", "whole process", "process");
const nrnRun = row(LAB_N, "NEURON", "run loop (continuerun)", "loop");

// warm-ups, untimed: Brian2's cython cache and C++ standalone build for N = 51
const versions: Record<string, string> = {};
log(`  [${elapsed()}] warm-up: Brian2 cython cache, Brian2 C++ standalone build (N = ${LAB_N})`);
versions.brian2 = String(py("brian2_lab.py", "cython", String(LAB_N)).peer).replace(/ cython$/, "");
const b2Build = py("brian2_lab.py", "cpp_standalone", String(LAB_N));
log(`    Brian2 C++ standalone build (codegen + make) for N = ${LAB_N}: ${b2Build.build_s.toFixed(1)} s`);
let nrnDiffer = -1;
const nrnDiffs: string[] = [];
for (let r = 0; r < labRepeats; r++) {
  const t0 = performance.now();
  const lib = labFi();
  push(slLoop, (performance.now() - t0) / 1000);
  checkCounts("spikelab (library)", lib.spike_counts);
  const t1 = performance.now();
  const libFast = labFi(true);
  push(slLoopFast, (performance.now() - t1) / 1000);
  checkCounts("spikelab (library, fast math)", libFast.spike_counts);

  const c = run(process.execPath, [cli, "fi", "--json"]);
  push(slCli, c.wall_s);
  checkCounts("spikelab (CLI)", JSON.parse(c.stdout).spike_counts);
  const cf = run(process.execPath, [cli, "fi", "--fast-math", "--json"]);
  push(slCliFast, cf.wall_s);
  checkCounts("spikelab (CLI, fast math)", JSON.parse(cf.stdout).spike_counts);

  const nb = py("lab_notebook.py");
  checkCounts("the lab notebook", nb.spike_counts);
  push(nbLoop, nb.wall_s);
  push(nbProc, nb.process_s);

  const bc = py("brian2_lab.py", "cython", String(LAB_N));
  checkCounts("Brian2 cython", bc.spike_counts);
  push(b2cProc, bc.process_s);
  push(b2cRun, bc.run_s);

  const bs = py("brian2_lab.py", "cpp_standalone", String(LAB_N));
  checkCounts("Brian2 cpp_standalone", bs.spike_counts);
  push(b2sProc, bs.process_s);
  push(b2sBin, bs.run_s);
  push(b2sSim, bs.sim_s);

  const nr = py("neuron_lab.py", String(LAB_N));
  versions.neuron = nr.peer;
  push(nrnProc, nr.process_s);
  push(nrnRun, nr.run_s);
  const counts = nr.spike_counts as number[];
  nrnDiffs.length = 0;
  reference.forEach((c, i) => {
    if (counts[i] !== c) nrnDiffs.push(`${(i * 0.2).toFixed(1)} µA/cm²: ${counts[i]} vs ${c}`);
  });
  nrnDiffer = nrnDiffs.length;
}

// ---------------------------------------------------------------- 2. throughput
/** Amplitudes of N neurons, 0…10 µA/cm² (as `spikelab sweep --amplitude 0:10:STEP` and the peers' linspace). */
const spread = (n: number) => Array.from(linspace(0, 10, n));
const scratch = mkdtempSync(join(tmpdir(), "spikelab-bench-"));
const nrnPerRepeat = new Map<number, number>(); // measured NEURON process seconds by N
for (const n of sizes) {
  log(`\nthroughput: ${n.toLocaleString("en")} neurons × ${STEPS} Euler steps`);
  const sl1 = row(n, "spikelab", "1 worker, in process (simulate, spikes only)", "loop");
  const sl2 = row(n, "spikelab", "2 workers, whole CLI process (`spikelab sweep --workers 2 --out`)", "process", true);
  const sl2Fast = row(
    n,
    "spikelab --fast-math",
    "2 workers, whole CLI process (`spikelab sweep --workers 2 --fast-math --out`)",
    "process",
  );
  const b21 = row(n, "Brian2 cpp_standalone", "1 thread, simulation loop", "loop");
  const b22 = row(n, "Brian2 cpp_standalone", "2 threads (OpenMP), simulation loop", "loop");
  // NEURON: estimated from the largest size measured so far (its set-up and run loop both scale with N)
  const known = [...nrnPerRepeat].filter(([m]) => m < n).pop();
  // NEURON's time grows faster than N here (10,000 → 100,000 neurons: 16 s → 476 s a repeat, measured), so
  // the linear estimate is tripled
  const estimate = known ? (3 * known[1] * n) / known[0] : 0;
  const withNeuron = opt.full || estimate <= NEURON_LIMIT_S;
  const nrn = withNeuron ? row(n, "NEURON", "run loop (continuerun)", "loop") : undefined;
  if (!withNeuron) {
    const msg = `NEURON at N = ${n.toLocaleString("en")} skipped: estimated ${estimate.toFixed(0)} s a repeat from N = ${known?.[0].toLocaleString("en")} (limit ${NEURON_LIMIT_S} s; \`--full\` runs it)`;
    notes.push(msg);
    log(`  ${msg}`);
  }
  const amps = spread(n);
  const step = 10 / (n - 1);
  const csv = join(scratch, `sweep-${n}.csv`);
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const res = simulate({
      model: "lab",
      method: "euler",
      stimulus: { amplitude_uA_per_cm2: amps, start_ms: 50, stop_ms: 200 },
      duration_ms: 200,
      dt_ms: 0.025,
      record: { variables: [] },
    });
    push(sl1, (performance.now() - t0) / 1000);
    if (res.spikes.count.length !== n) throw new Error(`spikelab simulate returned ${res.spikes.count.length} neurons, expected ${n}`);

    const sweepArgs = (fast: boolean) => [
      cli,
      "sweep",
      "--model",
      "lab",
      "--method",
      "euler",
      "--dt-ms",
      "0.025",
      "--duration-ms",
      "200",
      "--start-ms",
      "50",
      "--stop-ms",
      "200",
      "--amplitude",
      `0:10:${step}`,
      "--workers",
      "2",
      ...(fast ? ["--fast-math"] : []),
      "--out",
      csv,
    ];
    const counts: string[][] = [];
    for (const [fast, target] of [
      [false, sl2],
      [true, sl2Fast],
    ] as const) {
      rmSync(csv, { force: true });
      const c = run(process.execPath, sweepArgs(fast));
      push(target, c.wall_s);
      const [header, ...lines] = readFileSync(csv, "utf8").trim().split("\n");
      if (lines.length !== n) throw new Error(`spikelab sweep wrote ${lines.length} rows to ${csv}, expected ${n}`);
      const col = (header as string).split(",").indexOf("spike_count");
      counts.push(lines.map((l) => l.split(",")[col] as string));
    }
    const differ = (counts[0] as string[]).filter((c, i) => c !== counts[1]?.[i]).length;
    if (r === 0)
      notes.push(
        `Fast math at N = ${n.toLocaleString("en")}: ${differ} of ${n.toLocaleString("en")} spike counts differ from the exact kernel's.`,
      );

    for (const [threads, target] of [
      [1, b21],
      [2, b22],
    ] as const) {
      const b = py("brian2_lab.py", "cpp_standalone", String(n), String(threads));
      if (r === 0 && b.build_s > 2)
        log(`    (Brian2 built its C++ for N = ${n}, ${threads} thread(s): ${b.build_s.toFixed(1)} s, not timed)`);
      push(target, b.sim_s);
    }
    if (nrn) {
      const p = py("neuron_lab.py", String(n));
      push(nrn, p.run_s);
      nrnPerRepeat.set(n, Math.max(nrnPerRepeat.get(n) ?? 0, p.process_s));
    }
  }
}
rmSync(scratch, { recursive: true, force: true });

// ---------------------------------------------------------------- 3. the table and the targets
const med = (r: Row) => median(r.times);
const fmtS = (s: number) => (s >= 100 ? s.toFixed(1) : s >= 1 ? s.toFixed(2) : s.toFixed(3));
const fmtRate = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : `${(x / 1e3).toFixed(0)} k`);
const fmtX = (x: number) => (x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`);
const baseOf = (r: Row) => rows.find((b) => b.base && b.n === r.n && (r.n !== LAB_N || b.kind === r.kind)) as Row;
const table: string[] = [
  "| N | simulator | what is timed | median (s) | runs (s) | neuron-steps/s | time ÷ spikelab's |",
  "| ---: | --- | --- | ---: | --- | ---: | ---: |",
];
for (const r of rows) {
  const m = med(r);
  table.push(
    `| ${r.n.toLocaleString("en")} | ${r.who} | ${r.what} | ${fmtS(m)} | ${r.times.map(fmtS).join(", ")} | ${fmtRate((r.n * STEPS) / m)} | ${fmtX(m / med(baseOf(r)))} |`,
  );
}

const verdict = (ok: boolean) => (ok ? "**PASS**" : "**FAIL**");
const targets: string[] = [];
const loopX = med(nbLoop) / med(slLoop);
targets.push(
  `- Lab sweep loop ≥ 1000× faster than the notebook's loop: ${fmtS(med(nbLoop))} s / ${fmtS(med(slLoop))} s = ${fmtX(loopX)} — ${verdict(loopX >= 1000)}`,
);
const b2LoopX = med(b2sSim) / med(slLoop);
targets.push(
  `- Lab sweep loop no slower than Brian2's C++ standalone loop: ${fmtS(med(b2sSim))} s / ${fmtS(med(slLoop))} s = ${fmtX(b2LoopX)} — ${verdict(b2LoopX >= 1)}`,
);
const fastLoopX = med(b2sSim) / med(slLoopFast);
targets.push(
  `  - with \`--fast-math\` (not bit-identical; same counts): ${fmtS(med(b2sSim))} s / ${fmtS(med(slLoopFast))} s = ${fmtX(fastLoopX)} — ${verdict(fastLoopX >= 1)}; against the notebook ${fmtX(med(nbLoop) / med(slLoopFast))}`,
);
const b2Fastest = med(b2sProc) <= med(b2cProc) ? b2sProc : b2cProc;
const procX = med(b2Fastest) / med(slCli);
targets.push(
  `- \`spikelab fi --json\` process ≥ 20× faster than Brian2's fastest whole process (${b2Fastest.who}, ${fmtS(med(b2Fastest))} s): ${fmtS(med(b2Fastest))} s / ${fmtS(med(slCli))} s = ${fmtX(procX)} — ${verdict(procX >= 20)}`,
);
const nbX = med(nbProc) / med(slCli);
targets.push(
  `- \`spikelab fi --json\` process ≥ 150× faster than the notebook's whole script: ${fmtS(med(nbProc))} s / ${fmtS(med(slCli))} s = ${fmtX(nbX)} — ${verdict(nbX >= 150)}`,
);
const big = rows.find((r) => r.n === 100000 && r.who === "spikelab" && r.base);
const bigFast = rows.find((r) => r.n === 100000 && r.who === "spikelab --fast-math" && r.kind === "process");
const b2Big = rows.find((r) => r.n === 100000 && r.what.startsWith("2 threads"));
if (big && b2Big) {
  const x = med(b2Big) / med(big);
  targets.push(
    `- 100,000 neurons on 2 cores at or above Brian2 C++ 2 threads (its loop against spikelab's whole process): ${fmtS(med(b2Big))} s / ${fmtS(med(big))} s = ${fmtX(x)} — ${verdict(x >= 1)} (spikelab ${fmtRate((1e5 * STEPS) / med(big))} neuron-steps/s against ${fmtRate((1e5 * STEPS) / med(b2Big))})`,
  );
  if (bigFast) {
    const xf = med(b2Big) / med(bigFast);
    targets.push(
      `  - with \`--fast-math\` (not bit-identical; same counts): ${fmtS(med(b2Big))} s / ${fmtS(med(bigFast))} s = ${fmtX(xf)} — ${verdict(xf >= 1)} (${fmtRate((1e5 * STEPS) / med(bigFast))} neuron-steps/s)`,
    );
  }
} else targets.push("- 100,000 neurons on 2 cores: not measured in this run (`--quick` or `--sizes` without 100000)");

const pyVersion = run(python, ["--version"]).stdout.trim();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
const perNeuron = med(nbLoop) / LAB_N;
notes.unshift(
  `Times are medians of ${repeats} run(s) (${labRepeats} in the lab block), taken round-robin. "loop" rows are timed inside the process (spikelab: around the library call; the notebook: around its loop; Brian2: run() or its C++ loop timer; NEURON: continuerun); "process" rows are whole processes from spawn to exit, interpreter start-up and module loading included. In the lab block, each row is compared with spikelab's row of the same kind (loop ↔ library loop, process ↔ CLI process); in the throughput blocks, with spikelab's 2-worker CLI process at that N. Above 1× means slower than spikelab.`,
  `Every process started runs with NODE_EXTRA_CA_CERTS and NODE_OPTIONS unset (on this machine the former adds ≈ 70 ms to each Node start).`,
  `Spike counts on the lab sweep: spikelab (library and CLI), the notebook, Brian2 cython and C++ standalone all equal test/fixtures/reference/lab-seed-euler.json (Euler), checked on every run. NEURON integrates with its own fixed-step backward Euler and differs at ${nrnDiffer} of 51 amplitudes${nrnDiffer > 0 ? ` (${nrnDiffs.slice(0, 6).join("; ")}${nrnDiffs.length > 6 ? "; …" : ""})` : ""}.`,
  `The notebook is not run at N ≥ 1,000: its loop is scalar Python over one neuron at a time (${fmtS(perNeuron)} s a neuron here, so ≈ ${fmtS((perNeuron * 1000) / 60)} min for 1,000 and ≈ ${fmtS((perNeuron * 1e5) / 3600)} h for 100,000 neurons).`,
  `Load average (1, 5, 15 min) at the start: ${loadAtStart.map((x) => x.toFixed(2)).join(", ")}; at the end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")} (the machine is shared: other work running meanwhile shows here and slows every simulator, Brian2's OpenMP threads most).`,
  `spikelab's forward-Euler kernel computes the 50 ms before the step (2,000 of the 8,000 steps) once for all the neurons of a run that differ only in their amplitude, and copies the state (bit-identical: equal inputs give equal states; src/wasm/run.ts): a quarter of the neuron-steps at every N here. Brian2 and NEURON compute them for each neuron. The neuron-steps/s column counts N × 8000 for every simulator.`,
  `Brian2 C++ standalone is built once per (N, threads) in $TMPDIR/spikelab-bench-brian2/ and the build is never timed; its "whole process" reruns Brian2's code generation and a make with nothing to compile. spikelab's in-process runs go through tsx (TypeScript source); its CLI runs dist/ (\`npm run build\`).`,
);
const md = [
  "# spikelab against its peers",
  "",
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`${command}\` (${((performance.now() - t0Bench) / 60000).toFixed(1)} min).`,
  `Machine: ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; Node ${process.version}, ${pyVersion} (/usr/bin/python3), ${versions.brian2}, ${versions.neuron}.`,
  "Model: the lab's Hodgkin–Huxley neuron, forward Euler (NEURON: backward Euler), dt 0.025 ms, 200 ms (8000 steps), step current on [50, 200) ms.",
  "",
  table.join("\n"),
  "",
  "## Targets (issue 9)",
  "",
  targets.join("\n"),
  "",
  "## Notes",
  "",
  notes.map((s) => `- ${s}`).join("\n"),
  "",
].join("\n");
writeFileSync(outFile, md);
console.log(`\n${md}`);
const shown = relative(process.cwd(), outFile);
log(`wrote ${shown.startsWith("..") ? outFile : shown}`);
