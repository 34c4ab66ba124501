import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// A real single-node SLURM cluster (.ci/run starts one with scripts/slurm-local.sh). Without
// sbatch these tests are skipped, and say so.
const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const slurmScript = fileURLToPath(new URL("../scripts/slurm-local.sh", import.meta.url));
const hasSbatch = spawnSync("sbatch", ["--version"]).status === 0;
if (!hasSbatch)
  console.warn(
    "SLURM tests skipped: sbatch not found (install and start a local cluster: scripts/slurm-local.sh install && scripts/slurm-local.sh start)",
  );

const spikelab = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const squeueStates = (job: string) =>
  spawnSync("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasSbatch)("sweeps as SLURM job arrays (skipped when sbatch is not installed)", { timeout: 180_000 }, () => {
  let dir: string;
  let spec: string;
  let local: string;

  beforeAll(() => {
    if (spawnSync("sinfo", ["-h"]).status !== 0) execFileSync("bash", [slurmScript, "start"]);
    dir = mkdtempSync(join(tmpdir(), "spikelab-slurm-"));
    spec = join(dir, "grid.json");
    // 21 gNa × 21 amplitudes, 1 s each: a few seconds per array task, long enough to cancel one mid-run
    const s = spikelab(
      "sweep",
      "--param",
      "gNa=40:80:2",
      "--amplitude",
      "0:10:0.5",
      "--duration-ms",
      "1000",
      "--stop-ms",
      "1000",
      "--batch-size",
      "8",
      "--print-spec",
    );
    writeFileSync(spec, s.stdout);
    local = join(dir, "local.csv");
    expect(spikelab("sweep", "--spec", spec, "--out", local, "--workers", "1").status).toBe(0);
  }, 120_000);

  it("a 4-task array, merged, equals the local run of the same spec", () => {
    const run = join(dir, "run-a");
    const sub = spikelab("slurm", "submit", spec, "--tasks", "4", "--run-dir", run, "--wait");
    expect(sub.status, sub.stderr).toBe(0);
    expect(sub.stdout).toMatch(/submitted job \d+ \(array 0-3, 441 grid points\)/);
    const status = spikelab("slurm", "status", run);
    expect(status.stdout).toContain("4/4 shards done");
    expect(spikelab("merge", run).status).toBe(0);
    expect(readFileSync(join(run, "merged.csv"), "utf8")).toBe(readFileSync(local, "utf8"));
  });

  it("a task cancelled mid-run shows in status, merge names the missing points, resubmit completes it", async () => {
    const run = join(dir, "run-b");
    const sub = spikelab("slurm", "submit", spec, "--tasks", "4", "--run-dir", run);
    expect(sub.status, sub.stderr).toBe(0);
    const job = /submitted job (\d+)/.exec(sub.stdout)![1]!;
    // wait until shard 0 is running and has written some, but not all, of its points
    const shard0 = join(run, "results", "shard-0-of-4.csv");
    for (let i = 0; i < 600; i++) {
      if (existsSync(shard0) && readFileSync(shard0, "utf8").split("\n").length > 3) break;
      await sleep(50);
    }
    execFileSync("scancel", [`${job}_0`]);
    while (squeueStates(job).length) await sleep(200);

    const status = JSON.parse(spikelab("slurm", "status", run, "--json").stdout);
    const s0 = status.shards[0];
    expect(s0.state).toBe("cancelled");
    expect(s0.points_done).toBeLessThan(s0.points);
    expect(status.shards.slice(1).every((s: { state: string }) => s.state === "done")).toBe(true);

    const merge = spikelab("merge", run);
    expect(merge.status).toBe(2);
    expect(merge.stderr).toMatch(
      /cannot merge .*: \d+ of 441 grid points are missing: #\d+ \(gNa_mS_per_cm2=\d+, amplitude_uA_per_cm2=[\d.]+\)/,
    );

    const again = spikelab("slurm", "resubmit", run, "--wait");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/resubmitted shards 0 as job \d+/);
    expect(spikelab("merge", run).status).toBe(0);
    expect(readFileSync(join(run, "merged.csv"), "utf8")).toBe(readFileSync(local, "utf8"));
  });

  it("merge fails naming the points when a shard's file is missing", () => {
    const run = join(dir, "run-a");
    rmSync(join(run, "results", "shard-3-of-4.csv"));
    const merge = spikelab("merge", run, "--out", join(dir, "x.csv"));
    expect(merge.status).toBe(2);
    expect(merge.stderr).toContain("110 of 441 grid points are missing: #3 (gNa_mS_per_cm2=40, amplitude_uA_per_cm2=1.5), #7 (");
  });
});

describe("sharding without a cluster", () => {
  it("the --shard slices of a sweep together are the whole sweep, each point once", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-shard-"));
    const args = ["sweep", "--param", "gK=5:20:5", "--amplitude", "0:10:1", "--duration-ms", "100", "--stop-ms", "100", "--workers", "1"];
    const whole = join(dir, "whole.csv");
    spikelab(...args, "--out", whole);
    const rows = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const f = join(dir, `s${i}.csv`);
      expect(spikelab(...args, "--shard", `${i}/3`, "--out", f).status).toBe(0);
      for (const line of readFileSync(f, "utf8").trim().split("\n").slice(1)) {
        expect(rows.has(line)).toBe(false);
        rows.add(line);
      }
    }
    expect([...rows].sort()).toEqual(readFileSync(whole, "utf8").trim().split("\n").slice(1).sort());
  });

  it("reads the shard from SLURM's array variables, and explains when there are none", () => {
    const r = spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1,2,3", "--shard", "/3", "--json"], {
      encoding: "utf8",
      env: { ...process.env, SLURM_ARRAY_TASK_ID: "1" },
    });
    expect(JSON.parse(r.stdout).index).toEqual([1]);
    const bad = spawnSync(process.execPath, [bin, "sweep", "--amplitude", "1", "--shard"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--shard must be I/N (e.g. 0/4), or /N or nothing inside a SLURM array task");
  });
});
