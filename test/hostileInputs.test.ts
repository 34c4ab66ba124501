import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Hostile inputs to the built CLI (dist/cli/main.js; `npm run build` first): requests too large to run,
// output paths that cannot be written, damaged results, mistyped flags. Each must end at once with exit
// status 2 and ONE line on stderr naming the argument: no stack trace, no file left behind, in bounded
// time (30 s, the process is killed past it) and memory (a 256 MiB heap and a 320 MiB peak RSS).

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const maxrss = fileURLToPath(new URL("./helpers/maxrss.cjs", import.meta.url));
const HEAP_MIB = 256;
const RSS_KIB = 320 * 1024;
const TIME_MS = 30_000;

let root: string;
/** A finished run folder (spec.json, results/shard-0-of-1.csv) for `merge`, made once by the CLI itself. */
let runFolder: string;

const listing = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((p) => relative(dir, join(dir, p)))
    .sort();

function spikelab(cwd: string, args: readonly string[]) {
  const rssFile = join(root, `rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, "--require", maxrss, bin, ...args], {
    cwd,
    encoding: "utf8",
    timeout: TIME_MS,
    env: { ...process.env, SPIKELAB_MAXRSS_FILE: rssFile, SPIKELAB_DEBUG: "" },
  });
  let rss = Number.NaN;
  try {
    rss = Number(readFileSync(rssFile, "utf8"));
    rmSync(rssFile);
  } catch {
    // killed before it could write: rss stays NaN and the case fails
  }
  return { ...r, rss };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "spikelab-hostile-"));
  runFolder = join(root, "run");
  mkdirSync(join(runFolder, "results"), { recursive: true });
  const sweep = ["sweep", "--amplitude", "0:1:0.5", "--duration-ms", "20", "--start-ms", "0", "--stop-ms", "20", "--workers", "1"];
  const printed = spawnSync(process.execPath, [bin, ...sweep, "--print-spec"], { encoding: "utf8" });
  expect(printed.status).toBe(0);
  writeFileSync(join(runFolder, "spec.json"), printed.stdout);
  const shard = join(runFolder, "results", "shard-0-of-1.csv");
  expect(spawnSync(process.execPath, [bin, "sweep", "--spec", join(runFolder, "spec.json"), "--out", shard, "--workers", "1"]).status).toBe(
    0,
  );
  rmSync(`${shard}.spec.json`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const cores = availableParallelism();
const machineMiB = Math.floor(totalmem() / 2 ** 20);

/** [the argument the answer must name, the arguments, files the case needs in its working folder]. */
type Case = readonly [RegExp | string, readonly string[], ((dir: string) => void)?];

const withRun = (dir: string) => cpSync(runFolder, join(dir, "run"), { recursive: true });
const withFile = (name: string, text: string) => (dir: string) => writeFileSync(join(dir, name), text);

const CASES: readonly Case[] = [
  // too large to start: each axis is small enough, their product is not
  [/--param gNa .*× --amplitude .*--max-points/, ["sweep", "--param", "gNa=0:1000:0.0001", "--amplitude", "0:10:0.001", "--out", "x.csv"]],
  [/--param gNa .*× --param gK .*× --amplitude/, ["sweep", "--param", "gNa=1:100:1", "--param", "gK=1:100:1", "--amplitude", "0:10:0.01"]],
  ["--amplitude", ["sweep", "--amplitude", "0:10:0.0000001", "--out", "x.csv"]],
  ["--amplitude", ["sweep", "--amplitude", "1e308:1.7e308:1e300"]],
  ["--param gNa", ["sweep", "--param", "gNa=0:1e308:1e-308"]],
  ["without --out", ["sweep", "--amplitude", "0:10:0.001", "--param", "gNa=0:100:0.5"]],
  [
    /--duration-ms .*--max-neuron-steps/,
    ["sweep", "--amplitude", "0:10:0.01", "--duration-ms", "1e7", "--stop-ms", "1e7", "--out", "x.csv"],
  ],
  [/--steps 1000000000 .*--max-points/, ["fi", "--steps", "1000000000", "--json"]],
  ["--steps 20000000", ["fi", "--steps", "20000000", "--out", "fi.csv"]],
  ["--steps 10000000 without --out", ["fi", "--steps", "10000000", "--json"]],
  [/--steps 100000 .*--max-neuron-steps/, ["fi", "--steps", "100000", "--duration-ms", "1e6", "--stop-ms", "1e6", "--out", "fi.csv"]],
  ["--workers", ["fi", "--workers", "100000", "--steps", "3"]],
  ["--workers", ["fi", "--workers", "100000", "--steps", "3", "--out", "fi.csv"]],
  ["--workers", ["sweep", "--workers", String(4 * cores + 1), "--amplitude", "1"]],
  ["--workers", ["sweep", "--workers", "0", "--amplitude", "1"]],
  ["--workers", ["sweep", "--workers", "1.5", "--amplitude", "1"]],
  ["--max-points", ["sweep", "--max-points", "1e9", "--amplitude", "1"]],
  ["--max-points", ["fi", "--max-points", "0"]],
  ["--max-neuron-steps", ["fi", "--max-neuron-steps", "0"]],
  ["--max-neuron-steps", ["run", "--max-neuron-steps", "1e400"]],
  [/--duration-ms .*--max-neuron-steps/, ["run", "--duration-ms", "1e12", "--record", "none"]],
  [/--duration-ms .*--max-neuron-steps/, ["run", "--duration-ms", "1e6", "--dt-ms", "1e-6", "--record", "none"]],
  // analyze records V: the memory guard answers first, with the ways out
  [/--sample-ms/, ["analyze", "--duration-ms", "1e12", "--stop-ms", "20"]],
  ["duration_ms (1e+308)", ["run", "--duration-ms", "1e308"]],
  ["--memory-limit-mib", ["run", "--memory-limit-mib", "1e15", "--duration-ms", "1e7", "--dt-ms", "0.001", "--json"]],
  ["--memory-limit-mib", ["run", "--memory-limit-mib", "0"]],
  ["--memory-limit-mib", ["run", "--memory-limit-mib", "abc"]],
  ["--json", ["run", "--memory-limit-mib", String(Math.min(machineMiB, 20000)), "--duration-ms", "1e7", "--dt-ms", "0.001", "--json"]],
  ["--json", ["run", "--duration-ms", "300000", "--json"]],
  [/--sample-ms/, ["run", "--duration-ms", "1e9", "--record", "V"]],
  [/--csv x\.csv .*--max-output-mib/, ["run", "--duration-ms", "1e9", "--csv", "x.csv"]],
  [/--csv x\.csv .*--max-output-mib/, ["run", "--duration-ms", "1e7", "--dt-ms", "0.001", "--csv", "x.csv"]],
  ["--max-output-mib", ["run", "--max-output-mib", "-1", "--csv", "x.csv"]],
  // output paths that cannot be written: no hang, one line naming the path
  ["--intervals", ["analyze", "--intervals", "100000000"]],
  ["--max-neuron-steps", ["analyze", "--max-interval-ms", "1e9"]],
  ["--record", ["run", "--svg", "a.svg", "--record", "V"]],
  ["/proc/nope", ["run", "--csv", "/proc/nope/x.csv"]],
  ["/proc/nope", ["run", "--csv", "/proc/nope/x.csv", "--json"]],
  ["/proc/nope", ["run", "--svg", "/proc/nope/a.svg"]],
  ["/proc/nope", ["lab", "--out", "/proc/nope"]],
  ["/proc/nope", ["lab", "--out", "/proc/nope/deeper/still"]],
  ["/dev/null", ["lab", "--out", "/dev/null"]],
  ["/dev/null", ["run", "--csv", "/dev/null/x.csv"]],
  ["/proc/nope", ["fi", "--csv", "/proc/nope/fi.csv", "--steps", "2"]],
  ["/proc/nope", ["fi", "--out", "/proc/nope/fi.csv", "--steps", "2"]],
  ["/proc/nope", ["sweep", "--amplitude", "0:1:0.5", "--out", "/proc/nope/x.csv"]],
  ["/proc/nope", ["merge", "run", "--out", "/proc/nope/x.csv"], withRun],
  ["/proc/nope", ["slurm", "submit", "run/spec.json", "--tasks", "2", "--dry-run", "--run-dir", "/proc/nope/run"], withRun],
  ["folder", ["run", "--csv", "folder"], (dir) => mkdirSync(join(dir, "folder"))],
  ["folder", ["sweep", "--amplitude", "1", "--out", "folder"], (dir) => mkdirSync(join(dir, "folder"))],
  ["--out x.csv", ["sweep", "--amplitude", "0:1:0.5", "--out", "x.csv"], withFile("x.csv", "index\n")],
  // damaged results: merge names the file and the line
  [
    /shard-0-of-1\.csv line 3/,
    ["merge", "run", "--out", "m.csv"],
    (dir) => {
      withRun(dir);
      const f = join(dir, "run", "results", "shard-0-of-1.csv");
      writeFileSync(f, readFileSync(f, "utf8").replace(/\n(1,0\.5,)/, "\n$1x"));
    },
  ],
  [
    /shard-0-of-1\.csv line 4 is cut/,
    ["merge", "run", "--out", "m.csv"],
    (dir) => {
      withRun(dir);
      const f = join(dir, "run", "results", "shard-0-of-1.csv");
      writeFileSync(f, readFileSync(f, "utf8").slice(0, -3));
    },
  ],
  // friction: flags that do not exist, windows past the run's end, reversed ranges
  ["--amp", ["run", "--amp", "5"]],
  ["--amplitude", ["fi", "--amplitude", "5"]],
  ["--stop-ms", ["run", "--duration-ms", "50", "--stop-ms", "60"]],
  ["--stop-ms", ["analyze", "--duration-ms", "50", "--stop-ms", "60"]],
  ["--to", ["fi", "--from", "10", "--to", "0"]],
  ["--to", ["fi", "--from", "10", "--to", "0", "--out", "fi.csv"]],
  ["--amplitude TO", ["sweep", "--amplitude", "10:0:1"]],
  ["--steps", ["fi", "--steps", "1e400"]],
  ["--dt-ms", ["run", "--dt-ms", "NaN"]],
  ["--threshold-mv", ["run", "--threshold-mv", "1e400"]],
  ["--shard", ["sweep", "--amplitude", "1", "--shard", "5/4"]],
  ["--batch-size", ["sweep", "--batch-size", "0"]],
];

describe("hostile inputs to the CLI", () => {
  it("are at least 60", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [c[1].join(" "), c] as const))("spikelab %s: exit 2, one line naming it, nothing left behind", (_name, c) => {
    const [names, args, setup] = c;
    const dir = mkdtempSync(join(root, "case-"));
    setup?.(dir);
    const before = listing(dir);
    const r = spikelab(dir, args);
    expect(r.signal, "ended within the time bound").toBeNull();
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.split("\n").filter((l) => l.length);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^spikelab: /);
    if (typeof names === "string") expect(lines[0]).toContain(names);
    else expect(lines[0]).toMatch(names);
    expect(r.stderr).not.toMatch(/\n\s+at |node:internal|internal error|FATAL|Error:/);
    expect(r.rss, "peak RSS (KiB)").toBeLessThan(RSS_KIB);
    expect(listing(dir)).toEqual(before);
  });
});
