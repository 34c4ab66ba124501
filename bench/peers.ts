/**
 * spikelab against its peers, in one run on this machine: the lab notebook's own numpy code,
 * Brian2 2.5 (cython runtime and C++ standalone) and NEURON 8.2 on the lab's f–I sweep (51 neurons,
 * 200 ms, dt 0.025 ms), then throughput for many neurons. Medians of REPEATS runs; ratios against
 * spikelab. Needs the peers: `bash bench/peers/setup.sh` (Debian packages, root), and `npm run build`.
 *
 *   npx tsx bench/peers.ts [REPEATS=3] [N_LARGE=20000]
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { fiCurve, LAB_FI, linspace, simulate } from "../src/index.js";
import { sweep } from "../src/node.js";

const repeats = Number(process.argv[2] ?? 3);
const nLarge = Number(process.argv[3] ?? 20000);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const python = "/usr/bin/python3";
const cli = here("../dist/cli/main.js");
// biome-ignore lint/suspicious/noExplicitAny: one JSON line from a peer script
type PeerResult = any;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const secs = (f: () => void) => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
};
/** Runs a peer script; its last stdout line is one JSON object. */
const py = (script: string, ...args: string[]): PeerResult =>
  JSON.parse(
    execFileSync(python, [here(`peers/${script}`), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")
      .pop() as string,
  );

interface Row {
  who: string;
  what: string;
  seconds: number;
  neuronSteps: number;
}
const rows: Row[] = [];
const add = (who: string, what: string, times: number[], neurons: number) => {
  rows.push({ who, what, seconds: median(times), neuronSteps: neurons * 8000 });
  console.error(`  ${who} — ${what}: ${times.map((t) => t.toFixed(3)).join(", ")} s`);
};
const repeat = <T>(f: () => T): T[] => Array.from({ length: repeats }, f);

console.error(`lab f–I sweep (51 neurons × 8000 steps), ${repeats} repeats; ${availableParallelism()} cores`);
const ref = fiCurve({ amplitudes: linspace(0, 10, 51), ...LAB_FI }).spike_counts;

// spikelab
fiCurve({ amplitudes: linspace(0, 10, 51), ...LAB_FI }); // warm-up
add(
  "spikelab",
  "library, in process (fiCurve)",
  repeat(() => secs(() => fiCurve({ amplitudes: linspace(0, 10, 51), ...LAB_FI }))),
  51,
);
add(
  "spikelab",
  "CLI process (`spikelab fi --json`)",
  repeat(() => secs(() => execFileSync(process.execPath, [cli, "fi", "--json"]))),
  51,
);

// the lab notebook
const nb = repeat(() => {
  const r = py("lab_notebook.py");
  if (JSON.stringify(r.spike_counts) !== JSON.stringify(ref)) throw new Error("the notebook's counts differ from spikelab's");
  return r.wall_s;
});
add("lab notebook (numpy)", "simulation loop", nb, 51);

// Brian2 cython runtime (first run fills the cache)
py("brian2_lab.py", "cython", "51");
const b2c = repeat(() => py("brian2_lab.py", "cython", "51"));
add(
  "Brian2 cython (warm cache)",
  "process",
  b2c.map((r) => r.wall_s),
  51,
);
add(
  "Brian2 cython (warm cache)",
  "run()",
  b2c.map((r) => r.run_s),
  51,
);

// Brian2 C++ standalone: code generation and compilation are excluded from run_s / sim_s
const b2s = repeat(() => py("brian2_lab.py", "cpp_standalone", "51"));
add(
  "Brian2 cpp_standalone",
  "binary run",
  b2s.map((r) => r.run_s),
  51,
);
add(
  "Brian2 cpp_standalone",
  "simulation loop",
  b2s.map((r) => r.sim_s),
  51,
);

// NEURON (backward Euler: its own method; its counts differ from Euler's by one at some amplitudes)
const nrn = repeat(() => py("neuron_lab.py", "51"));
add(
  "NEURON",
  "process",
  nrn.map((r) => r.wall_s),
  51,
);
add(
  "NEURON",
  "run loop",
  nrn.map((r) => r.run_s),
  51,
);

// many neurons: throughput
console.error(`\nmany neurons: ${nLarge} × 8000 steps`);
const amps = Array.from(linspace(0, 10, nLarge));
const big = () =>
  simulate({
    model: "lab",
    stimulus: { amplitude_uA_per_cm2: amps, start_ms: 50, stop_ms: 200 },
    duration_ms: 200,
    dt_ms: 0.025,
    record: { variables: [] },
  });
add(
  "spikelab",
  "1 thread (one batched run)",
  repeat(() => secs(big)),
  nLarge,
);
const spec = { model: "lab", dt_ms: 0.025, duration_ms: 200, start_ms: 50, stop_ms: 200, axes: [{ name: "amplitude", values: amps }] };
const pooled: number[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  await sweep(spec, { workers: availableParallelism() });
  pooled.push((performance.now() - t0) / 1000);
}
add("spikelab", `${availableParallelism()} worker threads (sweep)`, pooled, nLarge);
for (const threads of [1, availableParallelism()]) {
  const b = repeat(() => py("brian2_lab.py", "cpp_standalone", String(nLarge), String(threads)));
  add(
    "Brian2 cpp_standalone",
    `${threads} thread(s), simulation loop`,
    b.map((r) => r.sim_s),
    nLarge,
  );
}
const nl = repeat(() => py("neuron_lab.py", String(nLarge)));
add(
  "NEURON",
  "run loop",
  nl.map((r) => r.run_s),
  nLarge,
);

// the table
const base = (what: (r: Row) => boolean) => rows.find((r) => r.who === "spikelab" && what(r)) as Row;
console.log("\n| peer | what | median (s) | neuron-steps/s | time ÷ spikelab's |");
console.log("| --- | --- | ---: | ---: | ---: |");
for (const r of rows) {
  const small = r.neuronSteps === 51 * 8000;
  const ref = small ? base((x) => x.what.startsWith("library")) : base((x) => x.what.includes("worker"));
  const rate = r.neuronSteps / r.seconds;
  console.log(
    `| ${r.who} | ${r.what} | ${r.seconds.toFixed(3)} | ${rate >= 1e6 ? `${(rate / 1e6).toFixed(1)} M` : `${(rate / 1e3).toFixed(0)} k`} | ${(r.seconds / ref.seconds).toFixed(1)}× |`,
  );
}
