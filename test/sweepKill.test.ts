import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Kill tests of the built CLI (dist/cli/main.js; `npm run build` first): a sweep killed with SIGKILL at
// three points and during its final rename, partial files damaged in four ways, two writers on one
// --out, and a streamed --csv killed mid-run. A resumed file must equal the uninterrupted run's byte
// for byte, or the resume must refuse naming the file and the line.

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
// 5 × 11 = 55 points in batches of 2 on one thread (≈ 20 ms a batch): slow enough to be killed mid-way
const SWEEP = [
  "sweep",
  ...["--param", "gNa=40:80:10", "--amplitude", "0:10:1", "--duration-ms", "100", "--stop-ms", "100"],
  ...["--method", "rk4", "--dt-ms", "0.01", "--batch-size", "2", "--workers", "1"],
];
const POINTS = 55;

let root: string;
/** The uninterrupted run: its results and the spec file beside them. */
let whole: string;
let wholeSpec: string;

const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
const folder = () => mkdtempSync(join(root, "case-"));
const rowsIn = (path: string): number => {
  try {
    return readFileSync(path, "utf8").split("\n").length - 2; // header and the text after the last line end
  } catch {
    return -1;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the sweep into `out` and SIGKILLs it once the file holds at least `rows` rows; resolves when it is gone. */
async function killAfter(cwd: string, out: string, rows: number): Promise<void> {
  const child = spawn(process.execPath, [bin, ...SWEEP, "--out", out], { cwd, stdio: "ignore" });
  const gone = new Promise<void>((r) => child.on("exit", () => r()));
  for (let waited = 0; rowsIn(join(cwd, out)) < rows && waited < 30_000; waited++) await sleep(1);
  child.kill("SIGKILL");
  await gone;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "spikelab-kill-"));
  const r = cli(root, ...SWEEP, "--out", "whole.csv");
  expect(r.status, r.stderr).toBe(0);
  whole = readFileSync(join(root, "whole.csv"), "utf8");
  wholeSpec = join(root, "whole.csv.spec.json");
  expect(whole.split("\n")).toHaveLength(POINTS + 2);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a sweep killed with SIGKILL and resumed", () => {
  it.each([
    ["after its first batch", 1],
    ["half-way", POINTS / 2],
    ["with one batch to go", POINTS - 2],
  ])("%s equals the uninterrupted run byte for byte, and leaves no lock or temporary file", async (_when, rows) => {
    const dir = folder();
    await killAfter(dir, "x.csv", rows);
    const left = rowsIn(join(dir, "x.csv"));
    expect(left).toBeGreaterThanOrEqual(Math.floor(rows));
    expect(left, "killed before it finished").toBeLessThan(POINTS);
    const r = cli(dir, ...SWEEP, "--out", "x.csv", "--resume");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "x.csv"), "utf8")).toBe(whole);
    expect(readdirSync(dir).sort()).toEqual(["x.csv", "x.csv.spec.json"]);
  });

  it("during its final rename (the complete unsorted rows, a temporary file half-written) equals it too", () => {
    const dir = folder();
    const [header, ...rows] = whole.trimEnd().split("\n");
    // what a kill between writing FILE.tmp-PID and renaming it leaves: the rows in completion order, and the temporary file
    writeFileSync(join(dir, "x.csv"), `${header}\n${rows.reverse().join("\n")}\n`);
    copyFileSync(wholeSpec, join(dir, "x.csv.spec.json"));
    const dead = spawnSync("true").pid as number; // a process id that no longer exists
    writeFileSync(join(dir, `x.csv.tmp-${dead}`), whole.slice(0, whole.length / 2));
    const r = cli(dir, ...SWEEP, "--out", "x.csv", "--resume");
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "x.csv"), "utf8")).toBe(whole);
    expect(readdirSync(dir).sort()).toEqual(["x.csv", "x.csv.spec.json"]);
  });
});

describe("a damaged partial file, resumed", () => {
  /** A partial file: the header and the first 20 rows of the uninterrupted run, then `tail`. */
  const partial = (dir: string, edit: (rows: string[]) => string[]) => {
    const [header, ...rows] = whole.trimEnd().split("\n");
    writeFileSync(join(dir, "x.csv"), `${[header, ...edit(rows.slice(0, 20))].join("\n")}\n`);
    copyFileSync(wholeSpec, join(dir, "x.csv.spec.json"));
  };

  it("with a cut last line: the line is dropped (and said so), and the final file equals the uninterrupted run's", () => {
    const dir = folder();
    const [header, ...rows] = whole.trimEnd().split("\n");
    writeFileSync(join(dir, "x.csv"), `${[header, ...rows.slice(0, 20)].join("\n")}\n${(rows[20] as string).slice(0, 9)}`);
    copyFileSync(wholeSpec, join(dir, "x.csv.spec.json"));
    const r = cli(dir, ...SWEEP, "--out", "x.csv", "--resume");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("x.csv: dropped line 22, cut by an interruption");
    expect(readFileSync(join(dir, "x.csv"), "utf8")).toBe(whole);
  });

  it.each([
    ["a garbage line", (rows: string[]) => [...rows.slice(0, 5), "xx,yy,zz", ...rows.slice(5)], /x\.csv line 7: 3 fields, expected 6/],
    [
      "an empty index",
      (rows: string[]) => [...rows.slice(0, 5), (rows[5] as string).replace(/^\d+/, ""), ...rows.slice(6)],
      /x\.csv line 7: index/,
    ],
    [
      "a changed axis value (gNa 40 → 41)",
      (rows: string[]) => [(rows[0] as string).replace(/^0,40,/, "0,41,"), ...rows.slice(1)],
      /x\.csv line 2: gNa_mS_per_cm2 at grid point #0 must be the grid's value 40; got "41"/,
    ],
    [
      "a conflicting duplicate",
      (rows: string[]) => [...rows, (rows[3] as string).replace(/,(\d+),([^,]*),([^,]*)$/, ",99,$2,$3")],
      /x\.csv line 22: grid point #3 appears again with other values \(first at line 5\)/,
    ],
    [
      "an index beyond the grid",
      (rows: string[]) => [...rows, "55,40,0,0,0,"],
      /x\.csv line 22: index must be a whole number in \[0, 54\]; got "55"/,
    ],
    [
      "a count that is not a number",
      (rows: string[]) => [(rows[0] as string).replace(/^(0,40,0),\d+/, "$1,abc"), ...rows.slice(1)],
      /line 2: spike_count/,
    ],
  ])("with %s: refused, naming the file and the line, and the file left as it was", (_what, edit, message) => {
    const dir = folder();
    partial(dir, edit);
    const before = readFileSync(join(dir, "x.csv"), "utf8");
    const r = cli(dir, ...SWEEP, "--out", "x.csv", "--resume");
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(readFileSync(join(dir, "x.csv"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "x.csv.lock"))).toBe(false);
  });
});

describe("two writers on one --out", () => {
  it("the second is refused while the first runs; once the first is killed, its stale lock is taken over", async () => {
    const dir = folder();
    const first: ChildProcess = spawn(process.execPath, [bin, ...SWEEP, "--out", "x.csv"], { cwd: dir, stdio: "ignore" });
    const gone = new Promise<void>((r) => first.on("exit", () => r()));
    for (let waited = 0; rowsIn(join(dir, "x.csv")) < 1 && waited < 30_000; waited++) await sleep(1);
    // hold the first writer where it is (lock taken, rows streaming): on a loaded machine it could otherwise
    // finish its 55 points before the second process has started, and there would be no writer to refuse
    first.kill("SIGSTOP");
    const second = cli(dir, ...SWEEP, "--out", "x.csv", "--resume");
    first.kill("SIGKILL");
    await gone;
    expect(second.status).toBe(2);
    expect(second.stderr.trim()).toBe(
      `spikelab: --out x.csv is being written by process ${first.pid} (lock x.csv.lock); wait for it to finish, or stop it first`,
    );
    expect(existsSync(join(dir, "x.csv.lock"))).toBe(true); // left by the SIGKILL
    const third = cli(dir, ...SWEEP, "--out", "x.csv", "--resume");
    expect(third.status, third.stderr).toBe(0);
    expect(readFileSync(join(dir, "x.csv"), "utf8")).toBe(whole);
    expect(readdirSync(dir).sort()).toEqual(["x.csv", "x.csv.spec.json"]);
  });
});

describe("a streamed `run --csv` ended by a signal", () => {
  it.each(["SIGTERM", "SIGINT", "SIGKILL"] as const)("by %s leaves neither the file nor its temporary file", async (signal) => {
    const dir = folder();
    const child = spawn(process.execPath, [bin, "run", "--duration-ms", "1000000", "--csv", "long.csv"], { cwd: dir, stdio: "ignore" });
    const gone = new Promise<void>((r) => child.on("exit", () => r()));
    const tmp = join(dir, `long.csv.tmp-${child.pid}`);
    for (let waited = 0; !existsSync(tmp) && waited < 30_000; waited++) await sleep(1);
    await sleep(100);
    child.kill(signal);
    await gone;
    // the watcher that removes the temporary file polls once a second
    for (let waited = 0; readdirSync(dir).length > 0 && waited < 5000; waited += 50) await sleep(50);
    expect(readdirSync(dir)).toEqual([]);
  });
});
