/**
 * The converged lab f–I curve, RK4 at dt 0.01 ms (51 amplitudes 0…10 µA/cm², step on [50, 200) ms,
 * 200 ms = 20,000 steps), spikelab against Brian2 2.5 C++ standalone with method='rk4' on the same work
 * (bench/peers/brian2_lab.py; `bash bench/peers/setup.sh` installs it from Debian).
 *   npx tsx bench/rk4.ts [repeats=5]
 * Rows, every one once per round, round-robin (the machine's load, shared with other work, falls on all
 * alike); medians:
 * - the simulation loop in process. spikelab: fiCurve on one thread, and fiCurveOnThreads on 2 threads
 *   (its helper thread kept between runs, "warm", and started inside the run, "cold"), exact and fast
 *   math; wall time, the CPU time of all threads, and the longest thread's on-CPU time (from
 *   /proc/self/task/…/schedstat: what the wall time would be with a core per thread, whatever the load).
 *   Brian2: `sim_s` of its prebuilt C++ standalone binary (compiled with -ffast-math) on 1 OpenMP thread
 *   (measured by Brian2 with std::clock(): the process's CPU time) and on 2 (omp_get_wtime(): wall time),
 *   and `run_cpu_s`, the binary's CPU time, all threads. On 2 threads with OpenMP's default (active) wait
 *   and with OMP_WAIT_POLICY=PASSIVE; "Brian2's best" is the fastest of its loops.
 * - the whole process. spikelab: `fi --method rk4 --dt-ms 0.01 --json` of dist/ (so `npm run build`
 *   first), exact and --fast-math, --workers 1 and 2; Brian2: the prebuilt C++ standalone on 1 and 2
 *   threads and the warm cython runtime, its fastest of those the reference.
 * The spike counts of both are printed: RK4 at this dt is converged, so they agree but for amplitudes at
 * a count's edge, if any (the equations are the same; Brian2 evaluates them in its own order).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { fiCurve, labFiOptions } from "../src/index.js";
import { fiCurveOnThreads, KernelThreads } from "../src/node.js";
import { pairHelpers } from "../src/wasm/pairs.js";

const repeats = Number(process.argv[2] ?? 5);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
/** A process to completion: its wall time and CPU time (user + system of it and its children, s). */
const timed = (cmd: string, args: string[], extraEnv: Record<string, string> = {}) => {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", cmd, ...args], {
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  const [wall, user, sys] = (r.stderr.trim().split("\n").pop() as string).split(" ").map(Number) as [number, number, number];
  return { stdout: r.stdout, wall_s: wall, cpu_s: user + sys };
};
interface Brian2Run {
  sim_s: number;
  run_cpu_s: number;
  wall_s: number;
  cpu_s: number;
  spike_counts: number[];
}
/**
 * Brian2 on `threads` OpenMP threads; `wait`: OMP_WAIT_POLICY, OpenMP's default (active: spinning at each
 * step's barriers, the fastest on free cores) or PASSIVE (sleeping: far faster on an oversubscribed machine,
 * see bench/throughput.ts). The bench takes Brian2's best of its configurations.
 */
const brian2 = (target: string, threads = 1, wait?: "PASSIVE"): Brian2Run => {
  const r = timed(
    "/usr/bin/python3",
    [here("peers/brian2_lab.py"), target, "51", String(threads), "rk4", "0.01"],
    wait ? { OMP_WAIT_POLICY: wait } : {},
  );
  return { ...JSON.parse(r.stdout.trim().split("\n").pop() as string), wall_s: r.wall_s, cpu_s: r.cpu_s };
};

/** On-CPU nanoseconds of every thread of this process (Linux), by thread id. */
const schedstat = (): Map<string, number> | null => {
  if (!existsSync("/proc/self/task")) return null;
  return new Map(
    readdirSync("/proc/self/task").map((t) => [t, Number(readFileSync(`/proc/self/task/${t}/schedstat`, "utf8").split(" ")[0])]),
  );
};
/** Runs f: wall, CPU of the process (all threads) and the longest thread's on-CPU time, seconds. */
const measure = (f: () => unknown) => {
  const s0 = schedstat();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const s1 = schedstat();
  let longest = Number.NaN;
  if (s0 && s1) longest = Math.max(...[...s1].map(([t, ns]) => (ns - (s0.get(t) ?? 0)) / 1e9));
  return { wall, cpu: (c.user + c.system) / 1e6, longest };
};

/** Helper threads being stopped: the cold rows start a new one each run. */
const stopping: Promise<void>[] = [];
const stopped = async () => {
  await Promise.all(stopping.splice(0));
};
// the lab's f–I protocol (51 amplitudes, [50, 200) ms), converged: RK4 at dt 0.01 ms
const lab = labFiOptions();
const amplitudes = lab.amplitudes;
const options = (fast: boolean) => ({ ...lab, dt_ms: 0.01, method: "rk4", ...(fast ? { fast_math: true } : {}) });
const loops = {
  "1 thread": (fast: boolean) => fiCurve(options(fast)),
  "2 threads, warm helper": (fast: boolean) => fiCurveOnThreads(options(fast), 2),
  "2 threads, cold helper": (fast: boolean) => {
    const threads = new KernelThreads(1); // started inside the run, as in a fresh process
    pairHelpers.current = threads;
    try {
      return fiCurve(options(fast));
    } finally {
      pairHelpers.current = undefined;
      stopping.push(threads.close()); // awaited between runs
    }
  },
} as const;
type Loop = keyof typeof loops;
for (let w = 0; w < 3; w++) {
  for (const fast of [false, true]) {
    for (const f of Object.values(loops)) {
      f(fast);
      await stopped();
    }
  }
}
brian2("cpp_standalone", 1); // builds once
brian2("cpp_standalone", 2);
brian2("cython"); // warms the cache
const load0 = loadavg();

const rows = new Map<string, { wall: number[]; cpu: number[]; longest: number[] }>();
const row = (name: string) => {
  let r = rows.get(name);
  if (!r) {
    r = { wall: [], cpu: [], longest: [] };
    rows.set(name, r);
  }
  return r;
};
const counts: Record<string, number[]> = {};
const b2: Record<string, Brian2Run[]> = { "1": [], "2": [], "2 passive": [], cython: [] };
const cli = here("../dist/cli/main.js");
for (let r = 0; r < repeats; r++) {
  for (const fast of [false, true]) {
    const mode = fast ? "fast" : "exact";
    for (const [name, f] of Object.entries(loops) as [Loop, (fast: boolean) => ReturnType<typeof fiCurve>][]) {
      let out: ReturnType<typeof fiCurve> | undefined;
      const m = measure(() => {
        out = f(fast);
      });
      await stopped();
      const key = `${name}|${mode}`;
      counts[key] = Array.from(out?.spike_counts ?? []);
      const x = row(`loop|${key}`);
      x.wall.push(m.wall);
      x.cpu.push(m.cpu);
      x.longest.push(m.longest);
    }
    for (const workers of [1, 2]) {
      const args = ["fi", "--method", "rk4", "--dt-ms", "0.01", "--json", "--workers", String(workers), ...(fast ? ["--fast-math"] : [])];
      const t = timed("node", [cli, ...args]);
      const x = row(`process|${workers}|${mode}`);
      x.wall.push(t.wall_s);
      x.cpu.push(t.cpu_s);
    }
  }
  b2["1"]?.push(brian2("cpp_standalone", 1));
  b2["2"]?.push(brian2("cpp_standalone", 2));
  b2["2 passive"]?.push(brian2("cpp_standalone", 2, "PASSIVE"));
  b2.cython?.push(brian2("cython"));
}
const load1 = loadavg();

const all = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(", ");
const b2Loop1 = median((b2["1"] as Brian2Run[]).map((x) => x.sim_s));
const b2Loop2 = Math.min(...["2", "2 passive"].map((t) => median((b2[t] as Brian2Run[]).map((x) => x.sim_s))));
const bBest = Math.min(b2Loop1, b2Loop2);
const bWhole = Math.min(...Object.values(b2).map((runs) => median(runs.map((x) => x.wall_s))));
console.log(
  `converged lab f–I, RK4 dt 0.01 ms, 51 × 20,000 steps; medians of ${repeats} [all runs]; ${new Date().toISOString()}; load average ${load0.map((x) => x.toFixed(2)).join(" ")} before, ${load1.map((x) => x.toFixed(2)).join(" ")} after`,
);
console.log("\nloop in process (s): wall | CPU, all threads | longest thread on-CPU;  × Brian2's loop on 1 thread / its best");
for (const mode of ["exact", "fast"]) {
  for (const name of Object.keys(loops)) {
    const x = rows.get(`loop|${name}|${mode}`) as { wall: number[]; cpu: number[]; longest: number[] };
    const [w, c, l] = [median(x.wall), median(x.cpu), median(x.longest)];
    console.log(
      `spikelab ${mode.padEnd(5)} ${name.padEnd(23)} wall ${w.toFixed(4)} [${all(x.wall)}] ×${(b2Loop1 / w).toFixed(2)}/${(bBest / w).toFixed(2)} | CPU ${c.toFixed(4)} | longest thread ${l.toFixed(4)} ×${(b2Loop1 / l).toFixed(2)}/${(bBest / l).toFixed(2)}`,
    );
  }
}
for (const t of ["1", "2", "2 passive"]) {
  const runs = b2[t] as Brian2Run[];
  console.log(
    `Brian2 C++ standalone loop, ${t === "1" ? "1 OpenMP thread (sim_s: std::clock(), CPU)" : `2 OpenMP threads, ${t === "2" ? "default (active) wait" : "passive wait"} (sim_s: omp_get_wtime(), wall)`}  ${median(runs.map((x) => x.sim_s)).toFixed(4)} [${all(runs.map((x) => x.sim_s))}]; the binary's CPU ${median(runs.map((x) => x.run_cpu_s)).toFixed(4)}`,
  );
}
console.log("\nwhole process (s): wall | CPU;  × Brian2's fastest whole process");
for (const mode of ["exact", "fast"]) {
  for (const workers of [1, 2]) {
    const x = rows.get(`process|${workers}|${mode}`) as { wall: number[]; cpu: number[] };
    const w = median(x.wall);
    console.log(
      `spikelab fi --json ${mode.padEnd(5)} --workers ${workers}  wall ${w.toFixed(3)} [${all(x.wall)}] ×${(bWhole / w).toFixed(1)} | CPU ${median(x.cpu).toFixed(3)}`,
    );
  }
}
for (const [name, runs] of Object.entries(b2)) {
  console.log(
    `Brian2 ${name === "cython" ? "cython (warm cache)" : `C++ standalone prebuilt, ${name === "1" ? "1 thread" : name === "2" ? "2 threads" : "2 threads, passive wait"}`}  wall ${median(runs.map((x) => x.wall_s)).toFixed(3)} [${all(runs.map((x) => x.wall_s))}] | CPU ${median(runs.map((x) => x.cpu_s)).toFixed(3)}`,
  );
}
console.log(`Brian2 fastest whole process ${bWhole.toFixed(3)}`);
const reference = (b2["1"] as Brian2Run[])[0]?.spike_counts ?? [];
for (const [key, c] of Object.entries(counts)) {
  const d = c.flatMap((x, i) => (x === reference[i] ? [] : [`${amplitudes[i]?.toFixed(1)}: ${x} vs ${reference[i]}`]));
  console.log(`spike counts (${key}) differing from Brian2's: ${d.length ? d.join("; ") : "none"}`);
}
