import { InvalidArgumentError, show } from "../../errors.js";
import { type Recording, type Sweep, scaleInPlace, TIME_UNITS, VOLTAGE_UNITS } from "./types.js";

/** Units of a text recording, where the file does not name them (CLI --time-unit / --voltage-unit). */
export interface TextUnits {
  readonly time?: string;
  readonly voltage?: string;
}

/** A growable Float64Array. */
class Column {
  data = new Float64Array(1024);
  length = 0;
  push(x: number) {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

const UNIT_RE = /^(.*?)(?:[_\s]*[([]\s*([^)\]]+?)\s*[)\]]|_([A-Za-zµ]+))$/;

/** A header name's quantity and unit: "t_ms" → (t, ms), "V (mV)" → (V, mV), "time" → (time, undefined). */
export function parseColumnName(name: string): { base: string; unit?: string } {
  const m = UNIT_RE.exec(name.trim());
  if (!m) return { base: name.trim() };
  const unit = (m[2] ?? m[3]) as string;
  if (unit in TIME_UNITS || unit in VOLTAGE_UNITS) return { base: (m[1] as string).trim(), unit };
  return { base: name.trim() };
}

/** The cells of a line: runs of characters between spaces, tabs, commas and semicolons (no regex: the hot loop of a large file). */
function tokens(s: string): string[] {
  const out: string[] = [];
  let from = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    const sep = c === 32 || c === 9 || c === 44 || c === 59 || c === 13;
    if (sep) {
      if (from >= 0) out.push(s.slice(from, i));
      from = -1;
    } else if (from < 0) from = i;
  }
  return out;
}

const bad = (file: string, line: number, what: string, value: unknown, allowed: string) =>
  new InvalidArgumentError(`${file} line ${line}: ${what} must be ${allowed}; got ${show(value)}`);

/**
 * Reads a text recording line by line (so a large file is never held whole as text): either eFEL's
 * format — two or more whitespace-separated numeric columns, time (ms) then voltage (mV) — or CSV with a
 * header naming each column with its unit (`t_ms,V_mV`, `time (s),Vm (V)`). The first column is time;
 * every further column is one sweep (several sweeps in one file). Lines starting with # are comments.
 * Time must not decrease (repeated time stamps, as NEURON's CVode writes, are kept; analysis removes them).
 */
export class TextRecordingParser {
  readonly #file: string;
  readonly #units: TextUnits;
  #line = 0;
  #columns: Column[] | null = null;
  #names: string[] = [];
  #timeScale = 1;
  #voltageScale = 1;
  #csv = false;
  #lastT = Number.NEGATIVE_INFINITY;
  readonly #notes: string[] = [];

  constructor(file: string, units: TextUnits = {}) {
    this.#file = file;
    this.#units = units;
    if (units.time !== undefined && !(units.time in TIME_UNITS))
      throw new InvalidArgumentError(`--time-unit must be one of ${Object.keys(TIME_UNITS).join(", ")}; got ${show(units.time)}`);
    if (units.voltage !== undefined && !(units.voltage in VOLTAGE_UNITS))
      throw new InvalidArgumentError(`--voltage-unit must be one of ${Object.keys(VOLTAGE_UNITS).join(", ")}; got ${show(units.voltage)}`);
  }

  /** Feeds one line of the file. */
  line(raw: string): void {
    this.#line++;
    const s = raw.trim();
    if (s === "" || s.startsWith("#")) return;
    const cells = tokens(s);
    if (this.#columns === null) {
      this.#csv = /[,;\t]/.test(s);
      if (cells.some((c) => !Number.isFinite(Number(c)))) {
        this.#header(s);
        return;
      }
      this.#start(cells.length, undefined);
    }
    const cols = this.#columns as Column[];
    if (cells.length !== cols.length)
      throw bad(
        this.#file,
        this.#line,
        "the number of columns",
        cells.length,
        `${cols.length} like the first row (${this.#names.join(", ")})`,
      );
    for (let k = 0; k < cells.length; k++) {
      const x = Number(cells[k]);
      if (!Number.isFinite(x)) throw bad(this.#file, this.#line, `column ${k + 1} (${this.#names[k]})`, cells[k], "a finite number");
      if (k === 0) {
        if (x < this.#lastT)
          throw bad(this.#file, this.#line, "time", x, `non-decreasing (the line before has ${this.#lastT}; is the first column time?)`);
        this.#lastT = x;
      }
      (cols[k] as Column).push(x);
    }
  }

  #header(s: string) {
    const names = s.split(/\s*[,;\t]\s*/).map((c) => c.trim());
    const cols = names.length > 1 ? names : s.split(/\s+/);
    if (cols.length < 2)
      throw bad(this.#file, this.#line, "the header", s, "at least two columns: time, then one voltage column per sweep (t_ms,V_mV)");
    const parsed = cols.map(parseColumnName);
    const tu = parsed[0]?.unit ?? this.#units.time;
    if (tu === undefined || !(tu in TIME_UNITS))
      throw bad(
        this.#file,
        this.#line,
        `the time column "${cols[0]}"`,
        cols[0],
        `named with its unit (t_ms, time_s, "t (ms)") or given --time-unit`,
      );
    const vus = parsed.slice(1).map((p) => p.unit ?? this.#units.voltage);
    vus.forEach((u, i) => {
      if (u === undefined || !(u in VOLTAGE_UNITS))
        throw bad(
          this.#file,
          this.#line,
          `the voltage column "${cols[i + 1]}"`,
          cols[i + 1],
          `named with a voltage unit (V_mV, "Vm (V)") or given --voltage-unit`,
        );
    });
    if (new Set(vus).size > 1) throw bad(this.#file, this.#line, "the voltage columns' units", vus.join(", "), "one unit for every sweep");
    this.#start(cols.length, cols);
    this.#timeScale = TIME_UNITS[tu] as number;
    this.#voltageScale = VOLTAGE_UNITS[vus[0] as string] as number;
  }

  #start(n: number, names: string[] | undefined) {
    if (n < 2)
      throw bad(
        this.#file,
        this.#line,
        "the number of columns",
        n,
        "at least 2: time, then voltage (a voltage-only column needs its time column)",
      );
    this.#columns = Array.from({ length: n }, () => new Column());
    this.#names = names ?? ["t", ...Array.from({ length: n - 1 }, (_, i) => (n === 2 ? "V" : `V${i + 1}`))];
    if (!names) {
      const tu = this.#units.time ?? "ms";
      const vu = this.#units.voltage ?? "mV";
      this.#timeScale = TIME_UNITS[tu] as number;
      this.#voltageScale = VOLTAGE_UNITS[vu] as number;
      if (this.#units.time === undefined || this.#units.voltage === undefined)
        this.#notes.push(`no header: columns read as time (${tu}) and voltage (${vu}), eFEL's text format`);
    }
  }

  /** The recording, once every line is fed. */
  finish(): Recording {
    const cols = this.#columns;
    if (cols === null || (cols[0] as Column).length < 3)
      throw new InvalidArgumentError(
        `${this.#file} must hold at least 3 samples of time and voltage; got ${cols ? (cols[0] as Column).length : 0}`,
      );
    const t = scaleInPlace((cols[0] as Column).done(), this.#timeScale);
    const sweeps: Sweep[] = cols
      .slice(1)
      .map((c, i) => ({ t_ms: t, V_mV: scaleInPlace(c.done(), this.#voltageScale), name: this.#names[i + 1] as string }));
    // repeated time stamps are kept as recorded; the analysis reduces them (and says so per sweep)
    return { format: this.#csv ? "csv" : "text", sweeps, meta: { samples: t.length, columns: cols.length }, notes: [...this.#notes] };
  }
}

/** Parses a whole text recording held as a string (the browser; small files). */
export function parseTextRecording(text: string, file = "recording", units: TextUnits = {}): Recording {
  const p = new TextRecordingParser(file, units);
  let from = 0;
  for (;;) {
    const nl = text.indexOf("\n", from);
    p.line(nl < 0 ? text.slice(from) : text.slice(from, nl));
    if (nl < 0) break;
    from = nl + 1;
  }
  return p.finish();
}
