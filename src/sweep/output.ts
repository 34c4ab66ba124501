import { appendFileSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { SpikelabError } from "../errors.js";
import { acquireLock, ensureParent, removeStaleTemps, writeFileAtomic } from "../io/files.js";
import type { BatchResult } from "./batch.js";
import { gridPoint, gridSize } from "./grid.js";
import { checkRows, STATS } from "./rows.js";
import { type Shard, shardPoints } from "./shard.js";
import { axisColumns, type SweepSpecResolved } from "./spec.js";

/** The columns of a sweep's CSV: index, each axis with its unit, the spike statistics, and `precision` for f32 (GPU) results. */
export const sweepHeader = (spec: SweepSpecResolved): string[] => [
  "index",
  ...axisColumns(spec),
  ...STATS,
  ...(spec.precision === "f32" ? ["precision"] : []),
];

const cell = (x: number) => (Number.isNaN(x) ? "" : String(x)); // empty: no spike (latency)

/** CSV lines of one finished batch, with the axis values of each point (axis values are finite: String of each). */
function batchLines(spec: SweepSpecResolved, b: BatchResult): string {
  let text = "";
  const mark = spec.precision === "f32" ? ",f32\n" : "\n";
  const { spike_count, rate_Hz, first_spike_latency_ms } = b;
  for (let r = 0; r < b.index.length; r++) {
    const i = b.index[r] as number;
    let line = String(i);
    for (const v of gridPoint(spec.axes, i)) line += `,${v}`;
    text += `${line},${cell(spike_count[r] as number)},${cell(rate_Hz[r] as number)},${cell(first_spike_latency_ms[r] as number)}${mark}`;
  }
  return text;
}

/**
 * What the results-so-far file says: the grid points already done, every row checked (rows.ts). A
 * last line cut by a kill is dropped (and its line number returned); any other damage is an error
 * naming the file and the line.
 */
function readDone(path: string, spec: SweepSpecResolved, shard: Shard | undefined): { done: Set<number>; cutLine?: number } {
  const header = sweepHeader(spec);
  const checked = checkRows(path, spec, header, { cut: "drop", ...(shard ? { shard } : {}) });
  if (checked.cutLine !== undefined) truncateSync(path, Buffer.byteLength(readFileSync(path, "utf8").slice(0, checked.complete)));
  if (checked.complete === 0) writeFileSync(path, `${header.join(",")}\n`);
  return { done: new Set(checked.rows.keys()), ...(checked.cutLine === undefined ? {} : { cutLine: checked.cutLine }) };
}

/**
 * A sweep's results file, written as batches finish so that nothing computed is lost: every
 * finished batch is appended at once; a kill at any moment leaves a valid CSV (a cut last line
 * is dropped on resume); `resume` continues without redoing or duplicating points; the final file
 * is sorted by grid index and written atomically. A `.json` path streams to `<path>.partial.csv`
 * and becomes JSON at the end. The spec is kept beside it (`<path>.spec.json`) to check a resume.
 */
export class SweepOutput {
  readonly done: Set<number>;
  /** The line of the partial file that a kill had cut and that the resume dropped (to be recomputed). */
  readonly droppedLine?: number;
  /** Releases the lock on the output (FILE.lock): by finish(), or by close() when the sweep fails. */
  private readonly unlock: () => void;
  /** Number of points this file will hold when complete (the shard's, or the whole grid's). */
  readonly expected: number;
  /** True when resuming a JSON result that was already finished: nothing to do. */
  private finished = false;
  private readonly csvPath: string;
  private readonly header: string;
  private readonly shard: Shard | undefined;

  constructor(
    readonly path: string,
    private readonly spec: SweepSpecResolved,
    { resume = false, overwrite = false, shard }: { resume?: boolean; overwrite?: boolean; shard?: Shard } = {},
  ) {
    this.expected = shardPoints(gridSize(spec.axes), shard ?? { index: 0, count: 1 }).length;
    this.csvPath = path.endsWith(".json") ? `${path}.partial.csv` : path;
    this.header = sweepHeader(spec).join(",");
    this.shard = shard;
    ensureParent(path);
    // one writer per output: a second one (another run, or a --resume of this one) is refused
    this.unlock = acquireLock(`${path}.lock`, `--out ${path}`);
    try {
      removeStaleTemps(path); // a final rename cut by SIGKILL leaves FILE.tmp-PID
      const { done, droppedLine } = this.open(path, spec, resume, overwrite, shard);
      this.done = done;
      if (droppedLine !== undefined) this.droppedLine = droppedLine;
    } catch (e) {
      this.unlock();
      throw e;
    }
  }

  private open(
    path: string,
    spec: SweepSpecResolved,
    resume: boolean,
    overwrite: boolean,
    shard: Shard | undefined,
  ): { done: Set<number>; droppedLine?: number } {
    const specPath = `${path}.spec.json`;
    const specText = `${JSON.stringify({ ...spec, batch_size: undefined }, null, 1)}\n`;
    const finished = this.csvPath !== path && existsSync(path) && !existsSync(this.csvPath);
    if (resume && (existsSync(this.csvPath) || finished)) {
      if (!existsSync(specPath)) throw new SpikelabError(`cannot resume ${path}: ${specPath}, the spec it was started with, is missing`);
      if (readFileSync(specPath, "utf8") !== specText) {
        throw new SpikelabError(
          `cannot resume ${path}: it was started with another sweep spec (${specPath}); use the same flags, or --overwrite`,
        );
      }
      this.finished = finished;
      if (finished) return { done: new Set(shardPoints(gridSize(spec.axes), shard ?? { index: 0, count: 1 })) };
      const { done, cutLine } = readDone(this.csvPath, spec, shard);
      return cutLine === undefined ? { done } : { done, droppedLine: cutLine };
    }
    if (!resume && !overwrite && (existsSync(path) || existsSync(this.csvPath))) {
      throw new SpikelabError(`--out ${path} exists; pass --resume to continue it or --overwrite to start again`);
    }
    writeFileAtomic(specPath, specText);
    writeFileAtomic(this.csvPath, `${this.header}\n`);
    return { done: new Set() };
  }

  /** Appends a finished batch (one write). */
  append(b: BatchResult): void {
    appendFileSync(this.csvPath, batchLines(this.spec, b));
    for (const i of b.index) this.done.add(i);
  }

  /** True when every grid point is in the file. */
  get complete(): boolean {
    return this.done.size === this.expected;
  }

  /** Rewrites the complete results sorted by grid index (CSV) or as JSON, atomically. */
  finish(): void {
    try {
      if (this.finished) return;
      const { rows } = checkRows(this.csvPath, this.spec, sweepHeader(this.spec), this.shard ? { shard: this.shard } : {});
      writeSweepResults(this.path, this.spec, rows);
      if (this.csvPath !== this.path) rmSync(this.csvPath);
    } finally {
      this.unlock();
    }
  }

  /** Releases the output's lock without finishing (the sweep failed; its partial file stays for --resume). */
  close(): void {
    this.unlock();
  }
}

/** The data rows of a sweep CSV by grid index (a later duplicate of an index replaces the earlier). */
export function readRows(path: string): Map<number, string> {
  const lines = readFileSync(path, "utf8").split("\n").slice(1);
  const rows = new Map<number, string>();
  for (const l of lines) if (l.length) rows.set(Number(l.slice(0, l.indexOf(","))), l);
  return rows;
}

/** Writes sweep rows sorted by grid index, as CSV or (for a .json path) JSON columns, atomically. */
export function writeSweepResults(path: string, spec: SweepSpecResolved, rows: ReadonlyMap<number, string>): void {
  const header = sweepHeader(spec);
  const sorted = [...rows.keys()].sort((a, b) => a - b).map((i) => rows.get(i) as string);
  if (!path.endsWith(".json")) {
    writeFileAtomic(path, `${header.join(",")}\n${sorted.map((l) => `${l}\n`).join("")}`);
    return;
  }
  const columns: Record<string, (number | string | null)[]> = Object.fromEntries(header.map((n) => [n, []]));
  for (const l of sorted) {
    l.split(",").forEach((v, c) => {
      const name = header[c] as string;
      columns[name]!.push(v === "" ? null : name === "precision" ? v : Number(v));
    });
  }
  writeFileAtomic(path, `${JSON.stringify({ spec, ...columns })}\n`);
}
