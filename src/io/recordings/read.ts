import { InvalidArgumentError, show } from "../../errors.js";
import { abfVoltageSweep, readAbfHeader } from "./abf.js";
import { TextRecordingParser, type TextUnits } from "./text.js";
import type { ByteSource, Recording, Sweep } from "./types.js";

export interface ReadOptions extends TextUnits {
  /** ABF/NWB: which recorded channel (0-based). Default 0. */
  readonly channel?: number;
  /** Read only this sweep (0-based; ABF reads its bytes alone, never the rest of the file). Default every sweep. */
  readonly sweep?: number;
}

/** The sweep numbers to read from a file of `count` sweeps: every one, or the one asked for (checked). */
export function selectSweeps(file: string, count: number, sweep: number | undefined): number[] {
  if (sweep === undefined) return Array.from({ length: count }, (_, i) => i);
  if (!(Number.isInteger(sweep) && sweep >= 0 && sweep < count))
    throw new InvalidArgumentError(`--sweep must be a sweep of ${file} (0…${count - 1}); got ${show(sweep)}`);
  return [sweep];
}

/** The format of a file from its first bytes (ABF and HDF5 signatures) and, for text, its name. */
export function sniffFormat(src: ByteSource): "abf" | "nwb" | "text" {
  const head = src.read(0, 8);
  const sig = String.fromCharCode(...head.subarray(0, 4));
  if (sig === "ABF " || sig === "ABF2") return "abf";
  if (head[0] === 0x89 && sig.slice(1) === "HDF") return "nwb";
  return "text";
}

/** An ABF recording: every sweep of one channel, each with its current step where the protocol has one. */
export function readAbf(src: ByteSource, file: string, options: ReadOptions = {}): Recording {
  const hd = readAbfHeader(src, file);
  const channel = options.channel ?? 0;
  if (!(Number.isInteger(channel) && channel >= 0 && channel < hd.channelCount))
    throw new InvalidArgumentError(
      `--channel must be a channel of ${file} (0…${hd.channelCount - 1}: ${hd.adcNames.join(", ")}); got ${show(channel)}`,
    );
  const numbers = selectSweeps(file, hd.sweepCount, options.sweep);
  const sweeps = numbers.map((k) => abfVoltageSweep(src, hd, k, channel));
  return {
    format: "abf",
    sweeps,
    sweep_numbers: numbers,
    sweep_count: hd.sweepCount,
    meta: {
      abf_version: hd.versionString,
      protocol: hd.protocol,
      creator: hd.creator,
      channel: `${channel} (${hd.adcNames[channel]}, ${hd.adcUnits[channel]})`,
      sample_rate_Hz: hd.sampleRate_Hz,
      sweep_count: hd.sweepCount,
      sweep_samples: hd.sweepPointCount,
      operation_mode: hd.operationMode === 3 ? "gap-free" : hd.operationMode === 5 ? "episodic" : String(hd.operationMode),
    },
    notes: [],
  };
}

/** Feeds a text source to the parser in 1 MiB chunks, line by line. */
export function readText(src: ByteSource, file: string, options: ReadOptions = {}): Recording {
  const p = new TextRecordingParser(file, options);
  const dec = new TextDecoder("utf-8");
  let rest = "";
  const chunk = 1 << 20;
  for (let at = 0; at < src.size; at += chunk) {
    const text = rest + dec.decode(src.read(at, chunk), { stream: at + chunk < src.size });
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) p.line(l);
  }
  if (rest) p.line(rest);
  const r = p.finish();
  if (options.sweep === undefined) return r;
  const numbers = selectSweeps(file, r.sweeps.length, options.sweep);
  return { ...r, sweeps: numbers.map((k) => r.sweeps[k] as Sweep), sweep_numbers: numbers, sweep_count: r.sweeps.length };
}
