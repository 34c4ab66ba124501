import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { ResourceLimitError } from "../errors.js";
import { CHARS_PER_NUMBER, count, DEFAULT_MAX_OUTPUT_MIB } from "../limits.js";
import { formatBytes } from "../record/budget.js";
import type { TraceSink } from "../record/traces.js";
import { columnName } from "./columns.js";
import { checkFreeSpace, ensureParent, fileError, removeStaleTemps, removeWhenGone, tempPath } from "./files.js";

/**
 * A TraceSink that streams traces to a CSV file chunk by chunk (bounded memory for any run length).
 * Columns: t_ms, then each variable with its unit (V_mV, m, I_Na_uA_per_cm2 …); with several recorded
 * neurons each column gets the neuron's index (V_mV_0, V_mV_1 …). For one neuron the file equals
 * `runToCsv` of the same run kept in memory. Written to a temporary file beside it and renamed at
 * the end, so FILE is never half-written; a failed run leaves no file.
 */
export class CsvTraceSink implements TraceSink {
  private fd: number | undefined;
  private readonly tmp: string;
  private columns: Float64Array[] = [];
  private names: { variable: string; row: number }[] = [];
  /** Data rows written. */
  rows = 0;

  /** `maxBytes`: the largest file it may write (estimated when the run opens it); default 10 GiB. */
  constructor(
    readonly path: string,
    private readonly options: { maxBytes?: number; concentrations?: ReadonlySet<string> } = {},
  ) {
    this.tmp = tempPath(path);
    ensureParent(path);
    removeStaleTemps(path);
    try {
      this.fd = openSync(this.tmp, "w");
    } catch (e) {
      throw fileError("write", path, e);
    }
    // a kill mid-run (any signal) leaves no temporary file behind
    removeWhenGone(this.tmp);
  }

  /** Opens the columns; with the number of samples to come, refuses a file larger than the free disk space. */
  open(variables: readonly string[], neurons: readonly number[], samples?: number): void {
    if (samples !== undefined) {
      const columns = 1 + variables.length * neurons.length;
      const bytes = samples * columns * CHARS_PER_NUMBER;
      const what = `--csv ${this.path} (${count(samples)} samples × ${columns} columns)`;
      const less = "record less (a longer --sample-ms, fewer variables with --record)";
      const max = this.options.maxBytes ?? DEFAULT_MAX_OUTPUT_MIB * 2 ** 20;
      if (bytes > max) {
        throw new ResourceLimitError(
          `${what} would be about ${formatBytes(bytes)}, more than the limit of ${formatBytes(max)}; ${less}, or raise the limit (--max-output-mib)`,
        );
      }
      checkFreeSpace(this.path, bytes, what, `${less} or write to a folder with more room`);
    }
    this.names = variables.flatMap((variable) => neurons.map((_, row) => ({ variable, row })));
    const header = [
      "t_ms",
      ...variables.flatMap((v) => {
        const name = columnName(v, this.options.concentrations);
        return neurons.map((i) => (neurons.length === 1 ? name : `${name}_${i}`));
      }),
    ];
    writeSync(this.fd as number, `${header.join(",")}\n`);
  }

  write(t_ms: Float64Array, traces: Readonly<Record<string, Float64Array[]>>, count: number): void {
    this.columns = this.names.map(({ variable, row }) => (traces[variable] as Float64Array[])[row] as Float64Array);
    let text = "";
    for (let s = 0; s < count; s++) {
      text += String(t_ms[s]);
      for (const c of this.columns) text += `,${c[s]}`;
      text += "\n";
    }
    writeSync(this.fd as number, text);
    this.rows += count;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    try {
      renameSync(this.tmp, this.path);
    } catch (e) {
      rmSync(this.tmp, { force: true });
      throw fileError("write", this.path, e);
    }
  }

  abort(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}
