/**
 * The converged lab f–I curve, RK4 at dt 0.01 ms (51 amplitudes 0…10 µA/cm², step on [50, 200) ms,
 * 200 ms = 20,000 steps), spikelab against Brian2 2.5 C++ standalone with method='rk4' on the same work
 * (bench/peers/brian2_lab.py; `bash bench/peers/setup.sh` installs it from Debian).
 *   npx tsx bench/rk4.ts [repeats=5]
 * Rows: the simulation loop in process (spikelab: fiCurve after warm-up, exact and fast math, wall and CPU
 * time; Brian2: its own sim_s of the prebuilt binary, which Brian2 compiles with -ffast-math — on one thread
 * Brian2 measures it with std::clock(), the process's CPU time, so spikelab's CPU row is the like-for-like one
 * on a loaded machine) and the whole process (spikelab:
 * `fi --method rk4 --dt-ms 0.01 --json` of dist/, so `npm run build` first, exact and --fast-math; Brian2:
 * the prebuilt C++ standalone and the warm cython runtime). Every row runs once per round, round-robin,
 * so that the machine's load (shared with other work) falls on all alike. Medians.
 * The spike counts of both are printed: RK4 at this dt is converged, so they agree but for a few
 * amplitudes at a count's edge (the equations are the same; Brian2 evaluates them in its own order).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fiCurve, labFiOptions } from "../src/index.js";

const repeats = Number(process.argv[2] ?? 5);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const timed = (cmd: string, args: string[]) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  return { stdout: r.stdout, wall_s: (performance.now() - t0) / 1000 };
};
const brian2 = (target: string) =>
  JSON.parse(
    timed("/usr/bin/python3", [here("peers/brian2_lab.py"), target, "51", "1", "rk4", "0.01"])
      .stdout.trim()
      .split("\n")
      .pop() as string,
  );

// the lab's f–I protocol (51 amplitudes, [50, 200) ms), converged: RK4 at dt 0.01 ms
const lab = labFiOptions();
const amplitudes = lab.amplitudes;
const fi = (fast: boolean) => fiCurve({ ...lab, dt_ms: 0.01, method: "rk4", ...(fast ? { fast_math: true } : {}) });
for (let w = 0; w < 3; w++) for (const fast of [false, true]) fi(fast);
brian2("cpp_standalone"); // builds once
brian2("cython"); // warms the cache
const loop: Record<string, number[]> = { exact: [], fast: [] };
/** The loop's CPU seconds (user + system of this process): Brian2's single-thread `sim_s` is std::clock(), CPU time too. */
const loopCpu: Record<string, number[]> = { exact: [], fast: [] };
const cliRuns: Record<string, number[]> = { exact: [], fast: [] };
const counts: Record<string, number[]> = {};
const b2: { sim_s: number; wall_s: number; spike_counts: number[] }[] = [];
const b2c: number[] = [];
const cli = here("../dist/cli/main.js");
for (let r = 0; r < repeats; r++) {
  for (const fast of [false, true]) {
    const key = fast ? "fast" : "exact";
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    counts[key] = Array.from(fi(fast).spike_counts);
    loop[key]?.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    loopCpu[key]?.push((c.user + c.system) / 1e6);
    const args = ["fi", "--method", "rk4", "--dt-ms", "0.01", "--json", ...(fast ? ["--fast-math"] : [])];
    cliRuns[key]?.push(timed("node", [cli, ...args]).wall_s);
  }
  b2.push(brian2("cpp_standalone"));
  b2c.push(brian2("cython").wall_s);
}

const bLoop = median(b2.map((x) => x.sim_s));
const bWhole = Math.min(median(b2.map((x) => x.wall_s)), median(b2c));
const differ = (c: number[]) =>
  c.flatMap((x, i) => (x === b2[0]?.spike_counts[i] ? [] : [`${amplitudes[i]?.toFixed(1)}: ${x} vs ${b2[0]?.spike_counts[i]}`]));
const all = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(", ");
console.log(`converged lab f–I, RK4 dt 0.01 ms, 51 × 20,000 steps; medians of ${repeats} (all runs in brackets)`);
for (const key of ["exact", "fast"]) {
  const l = loop[key] as number[];
  console.log(
    `spikelab loop (in process, ${key})${key === "fast" ? " " : ""}  ${median(l).toFixed(4)} s [${all(l)}]  → ${(bLoop / median(l)).toFixed(2)}× Brian2's loop`,
  );
}
for (const key of ["exact", "fast"]) {
  const l = loopCpu[key] as number[];
  console.log(
    `spikelab loop CPU (${key})${key === "fast" ? " " : ""}  ${median(l).toFixed(4)} s [${all(l)}]  → ${(bLoop / median(l)).toFixed(2)}× Brian2's loop (CPU against CPU)`,
  );
}
console.log(
  `Brian2 C++ standalone loop (-ffast-math; sim_s is std::clock(): CPU time)  ${bLoop.toFixed(4)} s [${all(b2.map((x) => x.sim_s))}]`,
);
for (const key of ["exact", "fast"]) {
  const c = cliRuns[key] as number[];
  console.log(
    `spikelab fi --json process (${key})  ${median(c).toFixed(3)} s [${all(c)}]  → ${(bWhole / median(c)).toFixed(1)}× Brian2's fastest process`,
  );
}
console.log(
  `Brian2 fastest whole process      ${bWhole.toFixed(3)} s   (C++ standalone prebuilt ${median(b2.map((x) => x.wall_s)).toFixed(3)} [${all(b2.map((x) => x.wall_s))}], cython warm ${median(b2c).toFixed(3)} [${all(b2c)}])`,
);
for (const key of ["exact", "fast"]) {
  const d = differ(counts[key] as number[]);
  console.log(`spike counts (${key}) differing from Brian2's: ${d.length ? d.join("; ") : "none"}`);
}
