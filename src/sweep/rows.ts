import { readFileSync } from "node:fs";
import { SpikelabError } from "../errors.js";
import { type Axis, gridSize } from "./grid.js";
import type { Shard } from "./shard.js";
import type { SweepSpecResolved } from "./spec.js";

/** The columns of a sweep's CSV: index, each axis with its unit, the spike statistics, and `precision` for f32 (GPU) results. */
export const STATS = ["spike_count", "rate_Hz", "first_spike_latency_ms"] as const;

/** The rows of a sweep results file, checked one by one. */
export interface CheckedRows {
  /** Data lines by grid index. */
  readonly rows: Map<number, string>;
  /** Line number (1-based) of a last line cut by a kill (no line end), when `cut: "drop"` dropped it. */
  readonly cutLine?: number;
  /** Characters of the file up to the end of its last whole line. */
  readonly complete: number;
}

const WHOLE = /^(0|[1-9][0-9]*)$/;

/**
 * Reads a sweep results file (CSV) and checks every row against the sweep's spec: the header, the
 * number of columns, a whole-number index in range (and in the shard), each axis value equal to the
 * grid's own value at that index, numeric statistics (count a whole number ≥ 0, rate ≥ 0, latency
 * empty or ≥ 0), the precision mark, and duplicates (an identical repeat is harmless, a conflicting
 * one is an error). A last line without its line end was cut by a kill: `cut: "drop"` drops it (a
 * resume), `cut: "error"` refuses it (a merge). Every error names the file and the line.
 */
export function checkRows(
  path: string,
  spec: SweepSpecResolved,
  header: readonly string[],
  { shard, cut = "error" }: { shard?: Shard; cut?: "drop" | "error" } = {},
): CheckedRows {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SpikelabError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const complete = text.lastIndexOf("\n") + 1;
  const lines = text.slice(0, complete).split("\n");
  lines.pop(); // after the last line end
  let cutLine: number | undefined;
  if (complete < text.length) {
    cutLine = lines.length + 1;
    if (cut === "error") {
      throw new SpikelabError(
        `${path} line ${cutLine} is cut (no line end): the run that wrote it was interrupted; resume it (--resume) before merging`,
      );
    }
  }
  const at = (line: number, what: string) => new SpikelabError(`${path} line ${line}: ${what}`);
  const rows = new Map<number, string>();
  if (lines.length === 0) return { rows, complete, ...(cutLine ? { cutLine } : {}) };
  if (lines[0] !== header.join(",")) {
    throw at(1, `the columns "${(lines[0] as string).slice(0, 200)}" are not this sweep's "${header.join(",")}"`);
  }
  const total = gridSize(spec.axes);
  const axes = spec.axes.length;
  const f32 = spec.precision === "f32";
  const stride = spec.axes.map((_, a) => gridSize(spec.axes.slice(a + 1))); // points per step of axis a
  // a finite number ≥ 0 (blanks are not 0), parsed once
  const finite = (s: string) => {
    const x = Number(s);
    return x >= 0 && x !== Number.POSITIVE_INFINITY && s.trim() !== "";
  };
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k] as string;
    const n = k + 1;
    const fields = line.split(",");
    if (fields.length !== header.length) {
      throw at(n, `${fields.length} fields, expected ${header.length} (${header.join(",")}); got "${line.slice(0, 120)}"`);
    }
    const indexText = fields[0] as string;
    const i = Number(indexText);
    if (!WHOLE.test(indexText) || i >= total) throw at(n, `index must be a whole number in [0, ${total - 1}]; got "${indexText}"`);
    if (shard && i % shard.count !== shard.index) throw at(n, `grid point #${i} is not in shard ${shard.index}/${shard.count}`);
    for (let a = 0; a < axes; a++) {
      // the grid point's value on axis a (as gridPoint: the last axis fastest), as the CSV writes it
      const values = (spec.axes[a] as Axis).values;
      const expected = String(values[Math.floor(i / (stride[a] as number)) % values.length]);
      if (fields[1 + a] !== expected) {
        throw at(n, `${header[1 + a]} at grid point #${i} must be the grid's value ${expected}; got "${fields[1 + a]}"`);
      }
    }
    const count = fields[1 + axes] as string;
    const rate = fields[2 + axes] as string;
    const latency = fields[3 + axes] as string;
    if (!WHOLE.test(count)) throw at(n, `spike_count must be a whole number ≥ 0; got "${count}"`);
    if (!finite(rate)) throw at(n, `rate_Hz must be a number ≥ 0; got "${rate}"`);
    if (latency !== "" && !finite(latency))
      throw at(n, `first_spike_latency_ms must be empty (no spike) or a number ≥ 0; got "${latency}"`);
    if (f32 && fields[4 + axes] !== "f32") throw at(n, `precision must be "f32"; got "${fields[4 + axes]}"`);
    const before = rows.get(i);
    if (before === undefined) rows.set(i, line);
    else if (before !== line) {
      const first = lines.indexOf(before) + 1; // the line (1-based) that set it
      throw at(n, `grid point #${i} appears again with other values (first at line ${first})`);
    }
  }
  return { rows, complete, ...(cutLine ? { cutLine } : {}) };
}
