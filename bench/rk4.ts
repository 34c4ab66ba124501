/**
 * The converged lab f–I curve, RK4 at dt 0.01 ms (51 amplitudes 0…10 µA/cm², step on [50, 200) ms,
 * 200 ms = 20,000 steps), spikelab against Brian2 2.5 C++ standalone with method='rk4' on the same work
 * (bench/peers/brian2_lab.py; `bash bench/peers/setup.sh` installs it from Debian).
 *   npx tsx bench/rk4.ts [repeats=5]
 * Rows: the simulation loop in process (spikelab: fiCurve after warm-up; Brian2: its own sim_s of the
 * prebuilt binary) and the whole process (spikelab: `fi --method rk4 --dt-ms 0.01 --json` of dist/, so
 * `npm run build` first; Brian2: the prebuilt C++ standalone and the warm cython runtime). Medians.
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
const fi = () => fiCurve({ ...lab, dt_ms: 0.01, method: "rk4" });
for (let w = 0; w < 3; w++) fi();
const loop: number[] = [];
let counts: number[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  counts = Array.from(fi().spike_counts);
  loop.push((performance.now() - t0) / 1000);
}
const cliRuns: number[] = [];
for (let r = 0; r < repeats; r++)
  cliRuns.push(timed("node", [here("../dist/cli/main.js"), "fi", "--method", "rk4", "--dt-ms", "0.01", "--json"]).wall_s);

brian2("cpp_standalone"); // builds once
const b2: { sim_s: number; wall_s: number; spike_counts: number[] }[] = [];
for (let r = 0; r < repeats; r++) b2.push(brian2("cpp_standalone"));
brian2("cython"); // warms the cache
const b2c: number[] = [];
for (let r = 0; r < repeats; r++) b2c.push(brian2("cython").wall_s);

const bLoop = median(b2.map((x) => x.sim_s));
const bWhole = Math.min(median(b2.map((x) => x.wall_s)), median(b2c));
const differ = counts.flatMap((c, i) =>
  c === b2[0]?.spike_counts[i] ? [] : [`${amplitudes[i]?.toFixed(1)}: ${c} vs ${b2[0]?.spike_counts[i]}`],
);
console.log(`converged lab f–I, RK4 dt 0.01 ms, 51 × 20,000 steps; medians of ${repeats}`);
console.log(`spikelab loop (in process)        ${median(loop).toFixed(4)} s`);
console.log(`Brian2 C++ standalone loop        ${bLoop.toFixed(4)} s   → spikelab ${(bLoop / median(loop)).toFixed(2)}× Brian2`);
console.log(`spikelab fi --json process        ${median(cliRuns).toFixed(3)} s`);
console.log(
  `Brian2 fastest whole process      ${bWhole.toFixed(3)} s   (C++ standalone prebuilt ${median(b2.map((x) => x.wall_s)).toFixed(3)}, cython warm ${median(b2c).toFixed(3)}) → spikelab ${(bWhole / median(cliRuns)).toFixed(1)}×`,
);
console.log(`spike counts differing from Brian2's: ${differ.length ? differ.join("; ") : "none"}`);
